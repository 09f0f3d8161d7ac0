"""Many writers on one SQLite file: every write stored, none refused with "database is locked"."""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa
from sqlmodel import func, select

from cop.communities import people
from cop.communities.models import Organisation
from cop.core.audit import AuditEvent
from cop.core.db import current_data_version, get_engine, read_session, write_session
from cop.core.permissions import SYSTEM

THREADS = 8
WRITES_PER_THREAD = 500


def test_eight_threads_of_500_writes_lose_nothing_and_surface_no_lock_error(
    sqlite_url: str,
) -> None:
    engine = get_engine(sqlite_url)
    start_version = current_data_version(engine)
    failures: list[BaseException] = []
    go = threading.Barrier(THREADS)

    def writer(thread: int) -> None:
        go.wait()
        try:
            for i in range(WRITES_PER_THREAD):
                with write_session(engine) as s:
                    people.create_organisation(s, SYSTEM, name=f"Ville {thread}-{i} · Zürich")
        except BaseException as exc:  # noqa: BLE001 - every failure is reported below
            failures.append(exc)

    started = time.monotonic()
    threads = [threading.Thread(target=writer, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.monotonic() - started

    assert not any(t.is_alive() for t in threads), "writers still running after 5 minutes"
    assert failures == [], f"{len(failures)} writes failed, first: {failures[0]!r}"
    total = THREADS * WRITES_PER_THREAD
    with read_session(engine) as s:
        names = set(s.exec(select(Organisation.name)))
        audited = s.exec(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "organisation.create")
        ).one()
    assert names == {
        f"Ville {t}-{i} · Zürich" for t in range(THREADS) for i in range(WRITES_PER_THREAD)
    }
    assert audited == total
    assert current_data_version(engine) == start_version + total
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    print(f"{total} writes from {THREADS} threads in {elapsed:.1f} s")
