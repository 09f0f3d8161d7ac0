"""The append-only audit trail: who changed which fields of which record, and when."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, Session, SQLModel, col, select

from cop.core.columns import UTCDateTime, utcnow
from cop.core.permissions import Actor

_NOT_AUDITED = {"password_hash", "updated_at", "updated_by_id", "created_at", "created_by_id"}


def plain(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def snapshot(record: SQLModel) -> dict[str, Any]:
    """The audited fields of a record, as plain values."""
    return {k: plain(v) for k, v in record.model_dump().items() if k not in _NOT_AUDITED}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Changed fields only, as ``{field: [old, new]}``."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    record: SQLModel | None = None,
    *,
    record_type: str | None = None,
    record_id: int | None = None,
    community_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (so it commits or rolls back with the write)."""
    event = AuditEvent(
        actor_user_id=actor.user_id or None,
        actor_name=actor.username,
        action=action,
        record_type=record_type or (str(record.__tablename__) if record is not None else ""),
        record_id=record_id if record_id is not None else getattr(record, "id", None),
        community_id=community_id,
        changes=changes or {},
    )
    session.add(event)
    return event


def history(
    session: Session,
    record_type: str,
    record_id: int,
    limit: int = 100,
    *,
    parts: dict[str, list[int]] | None = None,
) -> list[AuditEvent]:
    """The events of one record and of its ``parts`` (record type -> ids: an action's milestones
    and indicators, say), newest first, for its detail page."""
    which = sa.and_(
        col(AuditEvent.record_type) == record_type, col(AuditEvent.record_id) == record_id
    )
    for part_type, ids in (parts or {}).items():
        if ids:
            which = sa.or_(
                which,
                sa.and_(
                    col(AuditEvent.record_type) == part_type, col(AuditEvent.record_id).in_(ids)
                ),
            )
    stmt = (
        select(AuditEvent)
        .where(which)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(limit)
    )
    return list(session.exec(stmt))


class AuditEvent(SQLModel, table=True):
    """One write: who, when, which record, which fields changed (old and new values).

    Append-only: nothing updates or deletes these rows except anonymisation,
    which redacts values of a person's own data.
    """

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_user_id: int | None = Field(default=None, index=True)
    actor_name: str = Field(default="", max_length=200)
    action: str = Field(max_length=64, index=True)
    record_type: str = Field(max_length=64)
    record_id: int | None = None
    community_id: int | None = Field(default=None, index=True)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
