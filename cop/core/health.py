"""Whether this server can serve: the database answers and its schema is the code's.

Read by ``/healthz`` (serve.py) for the reverse proxy and orchestrators. A replica
whose database is down or behind on migrations answers 503 with the reason, so the
proxy sends people to one that works instead of to an error page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cop.core import schema
from cop.core.db import get_engine


@dataclass(frozen=True)
class Health:
    """What ``/healthz`` answers: ``ok`` or the short reason why not."""

    ok: bool
    reason: str
    database: str
    schema_revision: str | None
    expected_revision: str

    def as_json(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ok else "unavailable",
            "reason": self.reason,
            "database": self.database,
            "schema_revision": self.schema_revision,
            "expected_revision": self.expected_revision,
        }


@lru_cache(maxsize=1)
def _expected_revision() -> str:
    """The code's head revision: read from the migration scripts once per process."""
    return schema.head_revision()


def check(engine: Engine | None = None) -> Health:
    """One round trip to the database and a look at its Alembic revision."""
    engine = engine or get_engine()
    expected = _expected_revision()
    dialect = engine.dialect.name
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        current = schema.current_revision(engine)
    except sa.exc.SQLAlchemyError as exc:
        # The driver's message names hosts and files, which a public endpoint does not show;
        # the server log has it.
        return Health(
            False,
            f"database unreachable ({type(getattr(exc, 'orig', exc)).__name__})",
            dialect,
            None,
            expected,
        )
    if current != expected:
        return Health(
            False,
            f"schema at {current or 'none'}, code expects {expected}: run the migrations",
            dialect,
            current,
            expected,
        )
    return Health(True, "", dialect, current, expected)
