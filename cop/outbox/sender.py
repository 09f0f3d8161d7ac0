"""Sending what the outbox holds: claim due rows, send each outside any transaction, record the outcome.

Several senders may run at once (``cop notify send`` from cron, and a
background thread in every server process of every replica). A sender claims
due rows for a lease before it sends them: on PostgreSQL with
``SELECT ... FOR UPDATE SKIP LOCKED``, on SQLite (one writer at a time) with an
``UPDATE`` that only takes rows still unclaimed, checking how many it took. A
row is sent once; only a sender that dies between the mail server's answer and
the record of it leaves a row to be sent again when its lease ends.

A failed attempt is retried after 1, 5, 25, 125 minutes, then every 6 hours;
after ``MAX_ATTEMPTS`` the row is given up (``failed_at``) and the admin page
shows it with its last error and a "Retry now" button. Sent rows are deleted
after ``KEEP_SENT``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cop.core import clock, mailer
from cop.core.db import get_engine, read_session, write_session
from cop.outbox.models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
BACKOFF_FACTOR = 5
LONGEST_WAIT = timedelta(hours=6)
LEASE = timedelta(minutes=5)
BATCH = 20
POLL_SECONDS = 5.0
KEEP_SENT = timedelta(days=30)  # a sent row (address, subject, time) is kept this long
ERROR_MAX = 1000


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 5, 25, 125 minutes, then 6 hours."""
    return min(FIRST_RETRY * BACKOFF_FACTOR ** max(attempts - 1, 0), LONGEST_WAIT)


def worker_name() -> str:
    """A name no other sender has: host, process, and a random tail (threads of one process differ)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True)
class Claimed:
    """One claimed e-mail, read whole so it can be sent after the claim's transaction ended."""

    id: int
    to_address: str
    subject: str
    body_text: str
    body_html: str | None
    parts: list[dict[str, Any]]


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    given_up: int = 0
    errors: list[str] = field(default_factory=list)


def _due(now: datetime) -> list[Any]:
    return [
        col(OutboxMessage.sent_at).is_(None),
        col(OutboxMessage.failed_at).is_(None),
        OutboxMessage.next_attempt_at <= now,
        sa.or_(
            col(OutboxMessage.claimed_until).is_(None),
            col(OutboxMessage.claimed_until) < now,
        ),
    ]


def claim(
    session: Session, worker_id: str, batch: int = BATCH, lease: timedelta = LEASE
) -> list[Claimed]:
    """Claim up to ``batch`` due e-mails for ``lease``; what another sender holds is left alone."""
    now = clock.now()
    until = now + lease
    due = (
        select(OutboxMessage.id)
        .where(*_due(now))
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(batch)
    )
    take = sa.update(OutboxMessage).values(claimed_by=worker_id, claimed_until=until)
    if session.get_bind().dialect.name == "postgresql":
        # Rows another sender has locked are skipped, not waited for.
        ids = list(session.exec(due.with_for_update(skip_locked=True)).all())
        if not ids:
            return []
        session.execute(take.where(col(OutboxMessage.id).in_(ids)))
    else:
        ids = list(session.exec(due).all())
        if not ids:
            return []
        # Compare and set: a row claimed since the read above is not taken again.
        taken = session.execute(take.where(col(OutboxMessage.id).in_(ids), *_due(now)))
        if not taken.rowcount:  # type: ignore[attr-defined]  # an UPDATE's CursorResult has rowcount; Result's stub does not say so
            return []
        ids = list(
            session.exec(
                select(OutboxMessage.id).where(
                    col(OutboxMessage.id).in_(ids),
                    OutboxMessage.claimed_by == worker_id,
                    OutboxMessage.claimed_until == until,
                )
            ).all()
        )
    rows = session.exec(
        select(OutboxMessage).where(col(OutboxMessage.id).in_(ids)).order_by(col(OutboxMessage.id))
    ).all()
    return [
        Claimed(m.id, m.to_address, m.subject, m.body_text, m.body_html, list(m.parts))  # type: ignore[arg-type]  # ids of stored rows are never None
        for m in rows
    ]


@contextmanager
def _claiming(engine: Engine) -> Iterator[Session]:
    """A short write transaction that leaves ``data_version`` alone: a claim changes nothing a page shows."""
    with Session(engine.execution_options(cop_write=True), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _anything_due(engine: Engine) -> bool:
    """A plain read first, so an idle sender never takes SQLite's write lock."""
    with read_session(engine) as session:
        return (
            session.exec(select(OutboxMessage.id).where(*_due(clock.now())).limit(1)).first()
            is not None
        )


def _mark_sent(engine: Engine, message_id: int, worker_id: str) -> None:
    """Sent: keep who, what and when, forget the text (an invitation's carries its link)."""
    with _claiming(engine) as session:
        session.execute(
            sa.update(OutboxMessage)
            .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.claimed_by) == worker_id)
            .values(
                sent_at=clock.now(),
                claimed_by=None,
                claimed_until=None,
                body_text="",
                body_html=None,
                parts=[],
                last_error="",
            )
        )


def _mark_failed(
    engine: Engine, message_id: int, worker_id: str, error: str, max_attempts: int
) -> str:
    """Another attempt later, or given up after the last; returns which (retrying, failed)."""
    with write_session(engine) as session:  # the admin's list of problems changes
        message = session.get(OutboxMessage, message_id)
        if message is None or message.claimed_by != worker_id:
            return "lost"
        now = clock.now()
        message.attempts += 1
        message.last_error = error[:ERROR_MAX]
        message.claimed_by = None
        message.claimed_until = None
        if message.attempts >= max_attempts:
            message.failed_at = now
        else:
            message.next_attempt_at = now + backoff(message.attempts)
        session.add(message)
        return "failed" if message.failed_at else "retrying"


def _release(engine: Engine, ids: list[int], worker_id: str) -> None:
    with _claiming(engine) as session:
        session.execute(
            sa.update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids), col(OutboxMessage.claimed_by) == worker_id)
            .values(claimed_by=None, claimed_until=None)
        )


def send_due(
    engine: Engine | None = None,
    *,
    worker_id: str | None = None,
    batch: int = BATCH,
    lease: timedelta = LEASE,
    max_attempts: int = MAX_ATTEMPTS,
) -> SendReport:
    """Send every e-mail that is due, batch by batch; nothing without ``COP_SMTP_URL``."""
    engine = engine or get_engine()
    worker_id = worker_id or worker_name()
    report = SendReport()
    while mailer.is_configured() and _anything_due(engine):
        with _claiming(engine) as session:
            claimed = claim(session, worker_id, batch, lease)
        if not claimed:
            break
        for position, message in enumerate(claimed):
            try:
                delivered = mailer.send(
                    message.to_address,
                    message.subject,
                    message.body_text,
                    html=message.body_html,
                    parts=message.parts,
                )
            except mailer.DELIVERY_ERRORS as exc:
                error = f"{type(exc).__name__}: {exc}".strip()
                outcome = _mark_failed(engine, message.id, worker_id, error, max_attempts)
                report.retrying += outcome == "retrying"
                report.given_up += outcome == "failed"
                report.errors.append(error)
                continue
            if not delivered:  # the setting went away meanwhile: leave the rest for later
                _release(engine, [m.id for m in claimed[position:]], worker_id)
                return report
            _mark_sent(engine, message.id, worker_id)
            report.sent += 1
    if report.sent:
        _forget_old_sent(engine)
    return report


def _forget_old_sent(engine: Engine) -> None:
    with _claiming(engine) as session:
        session.execute(
            sa.delete(OutboxMessage).where(
                col(OutboxMessage.sent_at).is_not(None),
                col(OutboxMessage.sent_at) < clock.now() - KEEP_SENT,
            )
        )


def run_forever(
    engine: Engine | None = None,
    *,
    database_url: str | None = None,
    interval: float = POLL_SECONDS,
    stop: threading.Event | None = None,
) -> None:
    """Send what is due every ``interval`` seconds until ``stop`` is set; an error waits for the next round."""
    stop = stop or threading.Event()
    worker_id = worker_name()
    while not stop.is_set():
        try:
            send_due(engine or get_engine(database_url), worker_id=worker_id)
        except Exception:  # noqa: BLE001 - a database or mail server away must not end the sender
            log.exception("The outbox sender failed this round; it tries again.")
        stop.wait(interval)


_started: set[str] = set()
_start_lock = threading.Lock()


def start_background_sender(database_url: str) -> bool:
    """Start this process's sender thread for ``database_url`` once; False when it runs already."""
    with _start_lock:
        if database_url in _started:
            return False
        _started.add(database_url)
    threading.Thread(
        target=run_forever,
        kwargs={"database_url": database_url},
        name="cop-outbox-sender",
        daemon=True,
    ).start()
    return True
