"""The shared moves of every editable record: load live, save with a version check, soft delete.

A save states the version the user started from. If the stored record moved
on meanwhile the save is refused with a ConflictError that carries the current
values and, read back from the audit trail, which fields the other person
changed and how, so neither side's work is lost.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, col, select

from cop.core import clock
from cop.core.audit import AuditEvent, diff, record_event, snapshot
from cop.core.columns import Editable
from cop.core.errors import ConflictError, NotFound
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor
from cop.core.validation import record_id as valid_id
from cop.core.validation import version_of

T = TypeVar("T", bound=SQLModel)
E = TypeVar("E", bound=Editable)


def get_live(
    session: Session,
    model: type[T],
    record_id: Any,
    *,
    for_update: bool = False,
    label: str | None = None,
) -> T:
    """The record with this id unless missing or soft-deleted; ids from URLs are checked here."""
    label = label or model.__name__.lower()
    number = valid_id(record_id)
    if number is None:
        raise NotFound(
            Message(
                N_("There is no {label} with id {id}."), label=label, id=repr(str(record_id)[:40])
            )
        )
    stmt = select(model).where(model.id == number)  # type: ignore[attr-defined]  # every table model declares an id; SQLModel itself does not
    if for_update:
        stmt = stmt.with_for_update()
    record = session.exec(stmt).first()
    if record is None or getattr(record, "deleted_at", None) is not None:
        raise NotFound(Message(N_("There is no {label} with id {id}."), label=label, id=record_id))
    return record


def changes_since(session: Session, record: SQLModel, version: int) -> dict[str, dict[str, Any]]:
    """What others changed after ``version``: field -> {was, now, by}, from the audit trail."""
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.record_type == record.__tablename__, AuditEvent.record_id == record.id)  # type: ignore[attr-defined]  # every table model declares an id; SQLModel itself does not
        .order_by(col(AuditEvent.id))
    )
    version = version_of(version)
    changed: dict[str, dict[str, Any]] = {}
    current = snapshot(record)
    for event in events:
        versions = event.changes.get("version")
        if not versions or versions[1] <= version:
            continue
        for field, (old, _new) in event.changes.items():
            if field == "version":
                continue
            entry = changed.setdefault(field, {"was": old})
            entry["now"] = current.get(field)
            entry["by"] = event.actor_name
            entry["by_user_id"] = event.actor_user_id
    return changed


def stamp_new(record: T, actor: Actor) -> T:
    record.created_by_id = actor.user_id or None
    record.updated_by_id = actor.user_id or None
    return record


def create(
    session: Session,
    actor: Actor,
    record: T,
    *,
    community_id: int | None = None,
    action: str | None = None,
) -> T:
    """Insert a new record and audit all its fields."""
    stamp_new(record, actor)
    session.add(record)
    session.flush()
    if community_id is None:
        # Community-scoped records carry their community; a community is its own scope.
        community_id = getattr(record, "community_id", None) or (
            getattr(record, "id", None)
            if getattr(record, "__tablename__", None) == "community"
            else None
        )
    fields = {k: [None, v] for k, v in snapshot(record).items() if v not in (None, "", [], {})}
    record_event(
        session,
        actor,
        action or f"{record.__tablename__}.create",
        record,
        community_id=community_id,
        changes=fields,
    )
    return record


def save(
    session: Session,
    actor: Actor,
    record: E,
    expected_version: int,
    changes: dict[str, Any],
    *,
    action: str,
    community_id: int | None = None,
) -> dict[str, list[Any]]:
    """Apply ``changes`` if nobody saved since ``expected_version``; returns what changed.

    Load ``record`` with ``for_update=True`` so two PostgreSQL transactions
    cannot both pass the version check (SQLite's BEGIN IMMEDIATE already
    serialises writers).
    """
    if record.version != expected_version:
        raise ConflictError(
            N_(
                "Someone else saved this in the meantime. Their change is shown below; "
                "your input is still in the form: review it and save again."
            ),
            current=snapshot(record),
            changed=changes_since(session, record, expected_version),
            record_type=str(record.__tablename__),
        )
    before = snapshot(record)
    for key, value in changes.items():
        setattr(record, key, value)
    delta = diff(before, snapshot(record))
    if not delta:
        return {}
    record.version += 1
    record.updated_at = clock.now()
    record.updated_by_id = actor.user_id or None
    delta["version"] = [expected_version, record.version]
    session.add(record)
    record_event(session, actor, action, record, community_id=community_id, changes=delta)
    return delta


def soft_delete(
    session: Session, actor: Actor, record: E, *, action: str, community_id: int | None = None
) -> None:
    """Hide the record everywhere; ``restore`` brings it back."""
    old_version = record.version
    deleted_at = clock.now()
    record.deleted_at = deleted_at
    record.version += 1
    record.updated_by_id = actor.user_id or None
    session.add(record)
    record_event(
        session,
        actor,
        action,
        record,
        community_id=community_id,
        changes={
            "deleted_at": [None, deleted_at.isoformat()],
            "version": [old_version, old_version + 1],
        },
    )


def get_deleted(session: Session, model: type[E], record_id: Any) -> E:
    """A soft-deleted record, for restoring it."""
    number = valid_id(record_id)
    record = session.get(model, number) if number is not None else None
    if record is None or record.deleted_at is None:
        raise NotFound(
            Message(
                N_("There is no deleted {label} with id {id}."),
                label=model.__name__.lower(),
                id=str(record_id)[:40],
            )
        )
    return record


def restore(
    session: Session, actor: Actor, record: E, *, action: str, community_id: int | None = None
) -> E:
    """Bring back a soft-deleted record."""
    assert record.deleted_at is not None  # every caller passes a record it found soft-deleted
    was = record.deleted_at.isoformat()
    old_version = record.version
    record.deleted_at = None
    record.version += 1
    record.updated_by_id = actor.user_id or None
    session.add(record)
    record_event(
        session,
        actor,
        action,
        record,
        community_id=community_id,
        changes={"deleted_at": [was, None], "version": [old_version, record.version]},
    )
    return record
