"""The health check behind ``/healthz``: ok only when the database answers and is current."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command

from cop.core import health, schema


def test_a_reachable_current_database_is_ok(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    try:
        found = health.check(engine)
    finally:
        engine.dispose()
    assert found.ok, found.reason
    assert found.as_json()["status"] == "ok"
    assert found.schema_revision == schema.head_revision()


def test_a_database_behind_on_migrations_is_not_ok_and_says_so(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'behind.db'}")
    schema.upgrade(engine, "head")
    # The revision before head: what a replica has when an operator forgot the upgrade.
    with engine.begin() as conn:
        config = schema.alembic_config(str(engine.url))
        config.attributes["connection"] = conn
        command.downgrade(config, "-1")
    try:
        found = health.check(engine)
    finally:
        engine.dispose()
    assert not found.ok
    assert found.as_json()["status"] == "unavailable"
    assert "run the migrations" in found.reason
    assert found.schema_revision != found.expected_revision


def test_an_unreachable_postgresql_is_not_ok_and_names_no_host() -> None:
    engine = sa.create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:1/test", connect_args={"connect_timeout": 3}
    )
    try:
        found = health.check(engine)
    finally:
        engine.dispose()
    assert not found.ok
    assert found.reason.startswith("database unreachable")
    assert "127.0.0.1" not in found.reason


def test_a_missing_sqlite_folder_is_not_ok(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'cop.db'}")
    try:
        found = health.check(engine)
    finally:
        engine.dispose()
    assert not found.ok
    assert str(tmp_path) not in found.reason
