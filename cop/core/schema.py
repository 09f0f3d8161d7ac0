"""Migrating the database and checking it is current before the app serves.

The app upgrades a behind SQLite file itself (one process owns it), but on
PostgreSQL it refuses with a clear message: several replicas starting at once
must not race each other through a migration.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from cop.core import settings
from cop.core.db import get_engine

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"


class SchemaBehind(RuntimeError):
    """The PostgreSQL schema is older than this code: an operator must run the upgrade."""


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", (url or settings.database_url()).replace("%", "%%"))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine | None = None) -> str | None:
    with (engine or get_engine()).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction per migration."""
    engine = engine or get_engine()
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def ensure_schema(engine: Engine | None = None) -> None:
    """Called at app start: upgrade SQLite, refuse a behind PostgreSQL."""
    engine = engine or get_engine()
    if current_revision(engine) == head_revision():
        return
    if engine.dialect.name == "sqlite":
        upgrade(engine)
        return
    raise SchemaBehind(
        "The database schema is not current. Run `cop db upgrade` once, then start the app."
    )
