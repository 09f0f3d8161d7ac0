"""``cop backup`` / ``cop restore``: a database-neutral archive that moves a workspace between databases."""

from __future__ import annotations

import json
import threading
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, select

from cop.backup import archive as portability
from cop.backup import bulk_load
from cop.backup.seed import seed
from cop.communities import people
from cop.communities import service as communities
from cop.communities.models import Community, Organisation
from cop.core import schema
from cop.core.columns import UTCDateTime
from cop.core.db import current_data_version, get_engine, read_session, write_session
from cop.core.errors import PermissionDenied
from cop.core.permissions import SYSTEM
from tests import factories
from tests.conftest import empty_postgres

PROBE = "zz_portability_probe"
SEARCH_PROBE = "search_portability_probe"
NAMES = [
    "مجتمع الممارسة",
    "Łódź · Düsseldorf 🌍",
    "Z̤͔ͧ̑̓ä͖̭̈̇lgo",
    "王芳",
    "👩🏽‍🤝‍👩🏻",
    "a\u200bb",
    "'; DROP TABLE user; --",
]


@pytest.fixture
def probe_tables() -> Iterator[tuple[sa.Table, sa.Table]]:
    """A table as a later capability might add one: every column kind, a self-reference, bytes.

    It is not in any migration, so each test creates it where needed; a
    ``search_*`` table beside it must stay out of the archive.
    """
    probe = sa.Table(
        PROBE,
        SQLModel.metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey(f"{PROBE}.id")),
        sa.Column("community_id", sa.Integer, sa.ForeignKey("community.id")),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary),
        sa.Column("meta", sa.JSON),
        sa.Column("at", UTCDateTime(timezone=True)),
        sa.Column("day", sa.Date),
        sa.Column("clock", sa.Time),
        sa.Column("span", sa.Interval),
        sa.Column("amount", sa.Numeric(12, 2, asdecimal=True)),
        sa.Column("ratio", sa.Float),
        sa.Column("flag", sa.Boolean),
        sa.Column("token", sa.Uuid),
    )
    search = sa.Table(
        SEARCH_PROBE,
        SQLModel.metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body", sa.Text),
    )
    yield probe, search
    SQLModel.metadata.remove(probe)
    SQLModel.metadata.remove(search)


def create_probe(engine: Engine, *tables: sa.Table) -> None:
    with engine.begin() as conn:
        for table in tables:
            table.create(conn, checkfirst=True)


def drop_probe(engine: Engine, *tables: sa.Table) -> None:
    with engine.begin() as conn:
        for table in tables:
            table.drop(conn, checkfirst=True)


def probe_rows(community_id: int) -> list[dict[str, Any]]:
    return [
        # The child has a smaller id than its parent: restore must not depend on row order.
        {
            "id": 1,
            "parent_id": 2,
            "community_id": community_id,
            "label": NAMES[0],
            "payload": bytes(range(256)),
            "meta": {"names": NAMES, "nested": {"n": 1.5, "none": None, "list": [1, "ü"]}},
            "at": datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC),
            "day": date(1990, 1, 1),
            "clock": time(13, 45, 30),
            "span": timedelta(days=2, seconds=7),
            "amount": Decimal("1234.50"),
            "ratio": -0.125,
            "flag": True,
            "token": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        },
        {
            "id": 2,
            "parent_id": None,
            "community_id": None,
            "label": NAMES[1],
            "payload": b"",
            "meta": [],
            "at": None,
            "day": date(2100, 12, 31),
            "clock": None,
            "span": None,
            "amount": None,
            "ratio": None,
            "flag": False,
            "token": None,
        },
        {
            "id": 5,
            "parent_id": 1,
            "community_id": community_id,
            "label": NAMES[4],
            "payload": None,
            "meta": None,
            "at": datetime(2026, 1, 1, tzinfo=UTC),
            "day": None,
            "clock": None,
            "span": None,
            "amount": Decimal("0.01"),
            "ratio": 1e300,
            "flag": None,
            "token": None,
        },
    ]


def indexed(engine: Engine) -> int:
    """Documents in the search index, which the archive leaves out and a restore rebuilds."""
    table = "search_fts" if engine.dialect.name == "sqlite" else "search_document"
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def dump(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every archived table's rows, in id order; the backup's and restore's own audit events set aside."""
    with engine.connect() as conn:
        existing = set(sa.inspect(conn).get_table_names())
        tables = {}
        for table in portability.archived_tables():
            if table.name == "data_version" or table.name not in existing:
                continue
            rows = [
                dict(r)
                for r in conn.execute(
                    sa.select(table).order_by(*table.primary_key.columns)
                ).mappings()
            ]
            if table.name == "audit_event":
                rows = [r for r in rows if r["action"] not in {"backup.create", "backup.restore"}]
            tables[table.name] = rows
        return tables


def build_workspace(engine: Engine) -> int:
    """Seeded bulk data, then records made through the services: Unicode, edits, a soft delete."""
    seed(engine, "small", random_seed=3)
    world = factories.world(engine)
    with write_session(engine) as s:
        for i, name in enumerate(NAMES):
            communities.create_community(
                s, SYSTEM, name=name, slug=f"unicode-{i}", description=name * 3
            )
        person = people.create_person(s, SYSTEM, name="Ayşe Öztürk", email="ayse@example.org")
        people.create_organisation(
            s, SYSTEM, name="Δήμος Θεσσαλονίκης", country="GR", latitude=40.6401, longitude=22.9444
        )
    with write_session(engine) as s:
        people.delete_person(s, SYSTEM, person.id)
        communities.rename_community(
            s, world.admin, world.community.id, world.community.version, name="Renamed ✓"
        )
    return world.community.id


def test_backup_from_sqlite_restores_into_postgresql_and_back_losing_nothing(
    sqlite_url: str, pg_url: str, tmp_path: Path, probe_tables: tuple[sa.Table, sa.Table]
) -> None:
    probe, search = probe_tables
    source = get_engine(sqlite_url)
    community_id = build_workspace(source)
    create_probe(source, probe, search)
    with source.begin() as conn:
        child, parent, grandchild = probe_rows(community_id)
        for row in (parent, child, grandchild):
            conn.execute(probe.insert(), row)
        conn.execute(search.insert(), [{"id": 1, "body": "derived"}])
    original = dump(source)
    assert all(
        original[t.name]
        for t in portability.archived_tables()
        if t.name
        in {"organisation", "person", "user", "community", "membership", "audit_event", PROBE}
    )

    first = tmp_path / "from-sqlite.zip"
    counts = portability.backup(source, first)
    with zipfile.ZipFile(first) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
    assert manifest["schema_revision"] == schema.head_revision()
    assert f"tables/{PROBE}.jsonl" in names and f"tables/{SEARCH_PROBE}.jsonl" not in names
    assert {t["name"] for t in manifest["tables"]} == {
        t.name for t in portability.archived_tables()
    }
    assert counts[PROBE] == 3

    postgres = get_engine(pg_url)
    empty_postgres(postgres)
    create_probe(postgres, probe)
    try:
        portability.restore(postgres, first)
        assert dump(postgres) == original
        assert indexed(postgres) == indexed(source) > 0
        with read_session(postgres) as s:
            assert set(
                s.exec(select(Community.name).where(Community.slug.startswith("unicode-")))
            ) == set(NAMES)
        second = tmp_path / "from-postgresql.zip"
        portability.backup(postgres, second)

        # The sequences continue after the restored ids.
        with write_session(postgres) as s:
            organisation = people.create_organisation(s, SYSTEM, name="Grad Zagreb")
        assert organisation.id == max(r["id"] for r in original["organisation"]) + 1
        with postgres.begin() as conn:
            assert (
                conn.execute(
                    probe.insert().values(label="after").returning(probe.c.id)
                ).scalar_one()
                == 6
            )
    finally:
        drop_probe(postgres, probe)

    back = get_engine(f"sqlite:///{tmp_path / 'back.db'}")
    create_probe(back, probe)
    portability.restore(back, second)
    assert dump(back) == original
    assert indexed(back) == indexed(source)
    assert schema.current_revision(back) == schema.head_revision()


def rewrite_manifest(archive: Path, target: Path, **changes: Any) -> Path:
    """A copy of ``archive`` with manifest fields changed (a newer or damaged backup)."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                for key, value in changes.items():
                    manifest[key] = value(manifest[key]) if callable(value) else value
                data = json.dumps(manifest).encode()
            dst.writestr(item, data)
    return target


def test_restore_into_a_database_with_data_refuses_unless_told_to_replace(
    engine: Engine, tmp_path: Path
) -> None:
    factories.world(engine)
    archive = tmp_path / "workspace.zip"
    portability.backup(engine, archive)
    before = dump(engine)
    with write_session(engine) as s:
        communities.create_community(s, SYSTEM, name="Made after the backup", slug="after-backup")

    with pytest.raises(portability.NotEmpty, match="already holds data"):
        portability.restore(engine, archive)
    assert len(dump(engine)["community"]) == len(before["community"]) + 1

    version_before = current_data_version(engine)
    portability.restore(engine, archive, replace=True)
    assert dump(engine) == before
    assert current_data_version(engine) > version_before  # every replica's cache is stale now
    with read_session(engine) as s:
        assert s.exec(select(Community).where(Community.slug == "after-backup")).first() is None


def test_restore_is_audited_as_one_event(engine: Engine, tmp_path: Path) -> None:
    factories.community(engine)
    archive = tmp_path / "workspace.zip"
    portability.backup(engine, archive)
    portability.restore(engine, archive, replace=True)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT changes FROM audit_event WHERE action = 'backup.restore'")
        ).all()
    assert len(rows) == 1
    changes = rows[0][0] if isinstance(rows[0][0], dict) else json.loads(rows[0][0])
    assert changes["archive"] == "workspace.zip" and changes["rows"]["community"] == 1


def test_a_backup_is_audited_with_who_made_it_outside_the_archive(
    engine: Engine, tmp_path: Path
) -> None:
    world = factories.world(engine)
    with pytest.raises(PermissionDenied):
        portability.backup(engine, tmp_path / "refused.zip", actor=world.facilitator)
    assert not (tmp_path / "refused.zip").exists()
    counts = portability.backup(engine, tmp_path / "by-admin.zip", actor=world.admin)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT actor_user_id, changes FROM audit_event WHERE action = 'backup.create'")
        ).all()
    assert len(rows) == 1 and rows[0][0] == world.admin.user_id
    changes = rows[0][1] if isinstance(rows[0][1], dict) else json.loads(rows[0][1])
    assert changes["archive"] == "by-admin.zip" and changes["rows"] == counts
    with zipfile.ZipFile(tmp_path / "by-admin.zip") as zf:
        archived = [
            json.loads(line)["action"] for line in zf.read("tables/audit_event.jsonl").splitlines()
        ]
    assert "backup.create" not in archived  # the snapshot was taken before the event


def test_a_backup_from_a_newer_version_is_refused_and_changes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    factories.community(engine)
    archive = tmp_path / "workspace.zip"
    portability.backup(engine, archive)
    newer = rewrite_manifest(
        archive, tmp_path / "newer.zip", schema_revision="9999_from_the_future"
    )
    target = get_engine(f"sqlite:///{tmp_path / 'target.db'}")
    with pytest.raises(portability.ArchiveError, match="9999_from_the_future.*does not know"):
        portability.restore(target, newer)
    assert schema.current_revision(target) is None


def test_a_damaged_backup_leaves_the_target_as_it_was(engine: Engine, tmp_path: Path) -> None:
    factories.world(engine)
    archive = tmp_path / "workspace.zip"
    portability.backup(engine, archive)

    def more_people(tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**t, "rows": t["rows"] + 1} if t["name"] == "person" else t for t in tables]

    damaged = rewrite_manifest(archive, tmp_path / "damaged.zip", tables=more_people)
    fresh = get_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    with pytest.raises(portability.ArchiveError, match="damaged"):
        portability.restore(fresh, damaged)
    assert schema.current_revision(fresh) is None  # even the migration was rolled back

    before = dump(engine)
    with pytest.raises(portability.ArchiveError, match="damaged"):
        portability.restore(engine, damaged, replace=True)
    assert dump(engine) == before


def test_a_file_that_is_not_a_backup_is_refused(engine: Engine, tmp_path: Path) -> None:
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "something-else"}))
    for path in (other, tmp_path / "missing.zip", tmp_path):
        with pytest.raises(portability.ArchiveError):
            portability.restore(engine, path)


def test_a_backup_never_overwrites_a_file(engine: Engine, tmp_path: Path) -> None:
    archive = tmp_path / "workspace.zip"
    archive.write_bytes(b"precious")
    with pytest.raises(portability.ArchiveError, match="already exists"):
        portability.backup(engine, archive)
    assert archive.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("workspace")) == [
        "workspace.zip"
    ]


def test_a_backup_taken_while_people_write_is_one_consistent_moment(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes committed while the archive is being written must not show up in half the tables."""
    factories.world(engine)
    version_before = current_data_version(engine)
    written, stop = threading.Semaphore(0), threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            with write_session(engine) as s:
                people.create_organisation(s, SYSTEM, name=f"Written during the backup {n}")
            written.release()

    original_write_table = portability._write_table
    tables_written: list[str] = []

    def slow_write_table(conn, zf, table, columns):  # noqa: ANN001, ANN202
        rows = original_write_table(conn, zf, table, columns)
        tables_written.append(table.name)
        if table.name == "audit_event":  # then let 20 writes commit before the other tables
            for _ in range(20):
                assert written.acquire(timeout=60), "the writer made no progress during the backup"
        return rows

    monkeypatch.setattr(portability, "_write_table", slow_write_table)
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        counts = portability.backup(engine, tmp_path / "busy.zip")
    finally:
        stop.set()
        thread.join(timeout=60)

    assert tables_written.index("audit_event") < tables_written.index("organisation")
    with zipfile.ZipFile(tmp_path / "busy.zip") as zf:
        audit = [json.loads(line) for line in zf.read("tables/audit_event.jsonl").splitlines()]
        (data_version,) = [
            row
            for row in map(json.loads, zf.read("tables/data_version.jsonl").splitlines())
            if row["id"] == 1  # row 2 is the records' version
        ]
    created = sum(1 for event in audit if event["action"] == "organisation.create")
    assert counts["organisation"] == created, (
        "organisations and their audit events come from different moments"
    )
    with read_session(engine) as s:
        assert (
            s.exec(select(sa.func.count()).select_from(Organisation)).one()
            >= counts["organisation"] + 20
        )
    assert (
        data_version["value"] == version_before + counts["organisation"]
    )  # one write, one organisation


def test_rebuilders_of_derived_data_run_inside_the_restore(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.community(engine)
    archive = tmp_path / "workspace.zip"
    portability.backup(engine, archive)
    seen: list[int] = []
    monkeypatch.setattr(
        bulk_load,
        "REBUILDERS",
        [
            lambda conn: seen.append(
                conn.execute(sa.select(sa.func.count()).select_from(Community)).scalar_one()
            )
        ],
    )
    portability.restore(engine, archive, replace=True)
    assert seen == [1]


def test_a_backup_from_an_older_schema_is_restored_and_brought_up_to_date(
    engine: Engine, tmp_path: Path
) -> None:
    old = get_engine(f"sqlite:///{tmp_path / 'old.db'}")
    schema.upgrade(old, "0001_core")
    with old.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO community (id, version, created_at, updated_at, slug, name, theme, description, visibility)"
            " VALUES (7, 1, '2021-05-04 10:00:00.000000', '2021-05-04 10:00:00.000000', 'values-cop',"
            " 'Volunteering with migrants – Düsseldorf', '', '', 'workspace')"
        )
    archive = tmp_path / "old.zip"
    portability.backup(old, archive)
    assert portability.read_manifest(archive)["schema_revision"] == "0001_core"

    portability.restore(engine, archive)  # the target is at this code's head: down, load, up again
    assert schema.current_revision(engine) == schema.head_revision()
    with read_session(engine) as s:
        community = s.get(Community, 7)
    assert community.name == "Volunteering with migrants – Düsseldorf"
    assert community.created_at == datetime(2021, 5, 4, 10, tzinfo=UTC)
