"""Fixtures shared by every test: a real database (SQLite file and PostgreSQL) per test.

``db`` is parametrised over both databases. SQLite: a copy of a file migrated
once per run. PostgreSQL (when ``COP_TEST_DATABASE_URL`` is set, as CI sets
it): a throwaway schema migrated once per run and emptied between tests; it is
dropped at the end. Without the variable the PostgreSQL variants skip with a
reason, except under ``CI=true`` where that is an error.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

import cop.registry  # noqa: F401  (every table, and the search index kept in step)
from cop.core import clock, db, passwords, schema

# One Chromium for the whole run; the AppTest demo workspace and signed-in page runs.
pytest_plugins = ["tests.browser_fixtures", "tests.page_fixtures"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``last`` (they stop the shared PostgreSQL server) run after all others."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)


PG_URL = os.environ.get("COP_TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _fast_bcrypt_and_real_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """bcrypt cost 4 keeps account tests quick; the cost-12 rule has its own test."""
    monkeypatch.setattr(passwords, "BCRYPT_COST", 4)
    yield
    clock.freeze(None)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    engine.dispose()
    return path


def _pg_schema_url(schema_name: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema_name}"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    if not PG_URL:
        if IN_CI:
            pytest.fail(
                "CI=true but COP_TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI"
            )
        pytest.skip("PostgreSQL variant: set COP_TEST_DATABASE_URL to run it")
    name = f"cop_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    url = _pg_schema_url(name)
    engine = sa.create_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    yield url
    db.dispose_engines()
    admin.dispose()  # its pooled connection may predate a server restart (the test marked last)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
    admin.dispose()


def empty_postgres(engine: Engine) -> None:
    """Empty every table but Alembic's and data_version, restart the id sequences.

    The versions go on counting from where the last test left them, one step on for the
    emptying, as they do in a workspace: answers kept by version (cop.shell.cache) are keyed by the engine, which
    every test on this server shares, so a version counted again from zero would meet
    the previous test's answers.

    DELETE with foreign-key triggers off (session_replication_role, needs a superuser
    as on the test server) is several times faster than TRUNCATE on these small
    tables; without the privilege it falls back to TRUNCATE.
    """
    with engine.begin() as conn:
        names = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename NOT IN ('alembic_version', 'data_version')"
            )
        ]
        superuser = conn.exec_driver_sql(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).scalar()
        if superuser:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for name in names:
                conn.exec_driver_sql(f'DELETE FROM "{name}"')
            sequences = (
                conn.exec_driver_sql(
                    "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()"
                )
                .scalars()
                .all()
            )
            for sequence in sequences:
                conn.exec_driver_sql(f'ALTER SEQUENCE "{sequence}" RESTART WITH 1')
        elif names:
            conn.exec_driver_sql(
                "TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"
            )
        conn.exec_driver_sql(
            "INSERT INTO data_version (id, value) VALUES (1, 0), (2, 0) ON CONFLICT (id) DO NOTHING"
        )
        conn.exec_driver_sql("UPDATE data_version SET value = value + 1")  # emptied: a write


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    """The URL of an empty, migrated database; also made the process default."""
    if request.param == "sqlite":
        path = tmp_path / "cop.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_url")
        empty_postgres(db.get_engine(url))
    monkeypatch.setenv("COP_DATABASE_URL", url)
    monkeypatch.setenv("COP_DATA_DIR", str(tmp_path))
    yield url
    if request.param == "sqlite":
        engine = db._engines.pop(url, None)
        if engine is not None:
            engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Engine:
    return db.get_engine(db_url)


@pytest.fixture
def sqlite_url(
    tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """SQLite only, for what is specific to the embedded database."""
    path = tmp_path / "cop.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("COP_DATABASE_URL", url)
    monkeypatch.setenv("COP_DATA_DIR", str(tmp_path))
    yield url
    engine = db._engines.pop(url, None)
    if engine is not None:
        engine.dispose()
