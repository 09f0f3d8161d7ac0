"""A database and a world per test module (not per case), on SQLite and on PostgreSQL.

The project's ``engine`` fixture gives every test an empty database; the
sweep's thousands of cases share one instead, built once per module and
database, so it stays fast. The databases are the same ones ``engine``
uses: a copy of the migrated SQLite template, or the run's PostgreSQL
schema emptied first.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from cop.core import db, passwords
from tests.conftest import empty_postgres

from .world import HostileWorld, build


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[Engine]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("hostile") / "cop.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_url")
    engine = db.get_engine(url)
    if request.param == "postgresql":
        empty_postgres(engine)
    yield engine
    if request.param == "sqlite":
        db._engines.pop(url, None)
        engine.dispose()


@pytest.fixture(scope="module")
def hostile_world(module_engine: Engine) -> Iterator[HostileWorld]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "BCRYPT_COST", 4)
        yield build(module_engine)
