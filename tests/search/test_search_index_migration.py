"""Migrations 0015 and 0016 refile SQLite's search entries (by community, then by kind, record and
community), and upgrade PostgreSQL untouched; 0018 gives PostgreSQL its search function."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Engine

from cop.core import db, schema
from cop.core.db import read_session
from cop.core.permissions import Role
from cop.search.queries import search
from tests import factories

BEFORE = "0014_oidc"
BY_COMMUNITY = "0015_search_community_rowids"
KIND_CODE = "CASE kind WHEN 'workshop' THEN 0 WHEN 'action' THEN 1 ELSE 9 END"
PG_URL = os.environ.get("COP_TEST_DATABASE_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def at_0014(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh database migrated to 0014 only (on PostgreSQL a schema of its own)."""
    name = f"cop_migration_{uuid.uuid4().hex[:10]}"
    admin = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    elif not PG_URL:
        pytest.skip("PostgreSQL variant: set COP_TEST_DATABASE_URL to run it")
    else:
        admin = sa.create_engine(PG_URL)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{name}"
    engine = db.get_engine(url)
    schema.upgrade(engine, BEFORE)
    yield engine
    db._engines.pop(url, None)
    engine.dispose()
    if admin is not None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        admin.dispose()


@contextmanager
def _todays_index_columns(engine: Engine) -> Iterator[None]:
    """Records made here are indexed by today's flush hook, which fills PostgreSQL's approved
    flag (migration 0017): the column is there while they are made, then gone as at 0014."""
    postgres = engine.dialect.name != "sqlite"
    if postgres:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "ALTER TABLE search_document ADD COLUMN approved boolean NOT NULL DEFAULT false"
            )
    yield
    if postgres:
        with engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE search_document DROP COLUMN approved")


def _as_filed_before_0015(engine: Engine) -> None:
    """Put SQLite's entries back at 0014's rowids (record id * 8 + kind), as 0014's code filed them."""
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"CREATE TEMP TABLE entries AS SELECT record_id * 8 + ({KIND_CODE}) AS old, kind, "
            "record_id, community_id, title, body FROM search_fts"
        )
        conn.exec_driver_sql("DELETE FROM search_fts")
        conn.exec_driver_sql(
            "INSERT INTO search_fts (rowid, kind, record_id, community_id, title, body) "
            "SELECT old, kind, record_id, community_id, title, body FROM entries"
        )


def _downgrade(engine: Engine, revision: str) -> None:
    config = schema.alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def _rowids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return sorted(r for (r,) in conn.exec_driver_sql("SELECT rowid FROM search_fts"))


def test_upgrade_to_0015_files_entries_by_community(at_0014: Engine) -> None:
    """Today's search reads 0016's layout: it is checked after the upgrade to head, below."""
    engine = at_0014
    first, second = factories.community(engine), factories.community(engine)
    with _todays_index_columns(engine):
        for c in (first, second):
            facilitator = factories.actor(engine, Role.FACILITATOR, c.id)
            factories.workshop(engine, facilitator, c.id, title=f"Harbour walk {c.id}")
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        _as_filed_before_0015(engine)
        assert max(_rowids(engine)) < 1 << 32

    schema.upgrade(engine, BY_COMMUNITY)

    assert schema.current_revision(engine) == BY_COMMUNITY
    if sqlite:
        assert [r >> 32 for r in _rowids(engine)] == sorted([first.id, second.id])
        _downgrade(engine, BEFORE)
        assert max(_rowids(engine)) < 1 << 32 and len(_rowids(engine)) == 2
    else:
        _downgrade(engine, BEFORE)
    assert schema.current_revision(engine) == BEFORE


def test_upgrade_files_entries_by_kind_record_and_community_and_search_finds_them(
    at_0014: Engine,
) -> None:
    engine = at_0014
    first, second = factories.community(engine), factories.community(engine)
    workshops = {}
    with _todays_index_columns(engine):
        for c in (first, second):
            facilitator = factories.actor(engine, Role.FACILITATOR, c.id)
            workshops[c.id] = factories.workshop(
                engine, facilitator, c.id, title=f"Harbour walk {c.id}"
            )
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        _as_filed_before_0015(engine)
    schema.upgrade(engine, BY_COMMUNITY)

    schema.upgrade(engine)

    assert schema.current_revision(engine) == schema.head_revision()
    reader = factories.actor(engine)
    with read_session(engine) as s:
        for c in (first, second):
            hits = search(s, reader, "harbour", community_id=c.id)
            assert [(h.community_id, h.title) for h in hits] == [(c.id, f"Harbour walk {c.id}")]
        assert len(search(s, reader, "harbour")) == 2
    if sqlite:  # workshops are kind 0: record id, then community
        assert _rowids(engine) == sorted(
            (w.id << 16) + c for c, w in workshops.items() if w.id is not None
        )
        _downgrade(engine, BY_COMMUNITY)
        assert [r >> 32 for r in _rowids(engine)] == sorted([first.id, second.id])
    else:
        _downgrade(engine, BY_COMMUNITY)
    assert schema.current_revision(engine) == BY_COMMUNITY


APPROVED_FLAG = "0017_search_approved_flag"


def _postgres_objects(engine: Engine) -> tuple[set[str], bool]:
    """search_document's indexes, and whether the search function is there."""
    with engine.connect() as conn:
        indexes = {
            name
            for (name,) in conn.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = 'search_document'"
            )
        }
        function = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_proc WHERE proname = 'cop_search_newest' "
            "AND pronamespace = current_schema()::regnamespace"
        ).scalar_one()
    return indexes, bool(function)


def test_upgrade_to_0018_gives_postgresql_its_search_function_and_community_index(
    at_0014: Engine,
) -> None:
    """0018 is PostgreSQL's: one function call a kind, one community's entries read along
    (community_id, kind, record_id); SQLite is left as it was."""
    engine = at_0014
    schema.upgrade(engine, APPROVED_FLAG)
    first, second = factories.community(engine), factories.community(engine)
    for c in (first, second):
        facilitator = factories.actor(engine, Role.FACILITATOR, c.id)
        factories.workshop(engine, facilitator, c.id, title=f"Harbour walk {c.id}")

    schema.upgrade(engine)

    reader = factories.actor(engine)
    with read_session(engine) as s:
        assert [h.title for h in search(s, reader, "harbour", community_id=first.id)] == [
            f"Harbour walk {first.id}"
        ]
        assert len(search(s, reader, "harbour")) == 2
    if engine.dialect.name == "sqlite":
        return
    indexes, function = _postgres_objects(engine)
    assert function and "ix_search_document_community_kind" in indexes
    assert "ix_search_document_community" not in indexes
    _downgrade(engine, APPROVED_FLAG)
    indexes, function = _postgres_objects(engine)
    assert not function and "ix_search_document_community_kind" not in indexes
    assert "ix_search_document_community" in indexes
