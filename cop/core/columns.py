"""Shared column types and the fields every editable record carries."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from cop.core import clock

# Named constraints keep Alembic's batch mode (SQLite) and autogenerate stable.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, in UTC; tests move the clock through ``cop.core.clock``."""
    return clock.now()


class UTCDateTime(TypeDecorator):
    """A datetime that is always stored and returned in UTC, time-zone aware.

    PostgreSQL keeps TIMESTAMPTZ; SQLite has no time zones, so values are
    normalised to UTC on the way in and tagged UTC on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Editable(SQLModel):
    """Optimistic locking, who/when stamps and soft delete, for every editable table.

    The ``*_by_id`` stamps are plain user ids without a foreign key: a key
    would tie every table to ``user`` in a cycle (user -> person -> user) that
    restores and migrations would have to break; the audit trail is the
    authoritative record of who did what.
    """

    version: int = Field(default=1, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    created_by_id: int | None = Field(default=None)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_by_id: int | None = Field(default=None)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
