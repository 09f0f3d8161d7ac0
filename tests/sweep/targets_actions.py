"""Joint actions: every field, updates, milestones, indicators and the CSV round trip."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from cop.actions import io as action_io
from cop.actions import service as actions
from cop.actions import updates as action_updates
from cop.actions.models import (
    Action,
    ActionCoOwner,
    ActionIndicator,
    ActionMilestone,
    ActionPartner,
)
from cop.core.errors import ConflictError, ValidationError

from .inputs import (
    ACTION,
    CHOICE,
    COUNT,
    DAY,
    DAY_SPAN,
    FLAG,
    LINE,
    LONG,
    NUMBER,
    ORGANISATION,
    PERSON,
    REFERENCE,
    VERSION,
    WORKSHOP,
    as_lists,
    in_a_file,
    sample,
)
from .rule import Target, as_day, as_id, as_number, as_whole, attribute, trimmed
from .targets_workshops import csv_file
from .world import HostileWorld, serial

DUE = date(2026, 12, 31)


def _new_action(s: Session, w: HostileWorld, **fields: Any) -> Action:
    """A fresh action owned by a member without an organisation (so none is filled in for it)."""
    values = {
        "title": f"Action {serial()}",
        "owner_person_id": w.profile_owner.person_id,
        "due_date": DUE,
        **fields,
    }
    return actions.create_action(s, w.facilitator, community_id=w.community.id, **values)  # type: ignore[arg-type]


def _create(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Action:
        return _new_action(s, w, **{field: v})

    return call


def _create_span(s: Session, w: HostileWorld, v: Any) -> Action:
    return _new_action(s, w, start_date=v[0], due_date=v[1])


def _dates(s: Session, action: Action) -> tuple[date | None, date]:
    stored = s.get(Action, action.id)
    return stored.start_date, stored.due_date  # type: ignore[union-attr]


def _days(value: tuple[Any, Any]) -> tuple[date, date]:
    return as_day(value[0]), as_day(value[1])


def _update(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Action:
        return actions.update_action(
            s, w.facilitator, w.action, w.version(s, Action, w.action), **{field: v}
        )

    return call


def _update_new(field: str) -> Any:
    """Owners change on a fresh action: a case's new owner is not the next one's starting point."""

    def call(s: Session, w: HostileWorld, v: Any) -> Action:
        action = _new_action(s, w)
        s.flush()
        return actions.update_action(s, w.facilitator, action.id, action.version, **{field: v})

    return call


def _update_at_version(s: Session, w: HostileWorld, v: Any) -> Action:
    """The version the user started from, as a form, a file or a command line may give it."""
    return actions.update_action(s, w.facilitator, w.action, v, title=f"Action {serial()}")


def _post(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Any:
        action = _new_action(s, w)
        values = {"text": "Progress report", field: v}
        return action_updates.post_update(s, w.facilitator, action.id, **values)

    return call


def _milestone(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> ActionMilestone:
        values = {"title": "Desk opened", field: v}
        return action_updates.add_milestone(s, w.facilitator, _new_action(s, w).id, **values)

    return call


def _update_milestone(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> ActionMilestone:
        version = w.version(s, ActionMilestone, w.milestone)
        return action_updates.update_milestone(s, w.facilitator, w.milestone, version, **{field: v})

    return call


def _indicator(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> ActionIndicator:
        values = {"name": "Visitors", field: v}
        return action_updates.add_indicator(s, w.facilitator, _new_action(s, w).id, **values)

    return call


def _update_indicator(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> ActionIndicator:
        version = w.version(s, ActionIndicator, w.indicator)
        return action_updates.update_indicator(s, w.facilitator, w.indicator, version, **{field: v})

    return call


def _with_indicator(key: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> ActionIndicator:
        action = _new_action(s, w, indicators=[{"name": "Visitors", key: v}])
        return s.exec(select(ActionIndicator).where(ActionIndicator.action_id == action.id)).one()

    return call


def _import(column: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Action:
        action = _new_action(s, w, start_date=date(2026, 1, 1))
        s.flush()
        row = {
            "id": action.id,
            "version": action.version,
            "title": action.title,
            "status": action.status,
            "progress": action.progress,
            "start_date": "2026-01-01",
            "due_date": DUE.isoformat(),
            "priority": action.priority,
            "tags": "",
            column: v,
        }
        preview = action_io.apply_actions_import(
            s, w.facilitator, csv_file(list(row), list(row.values()))
        )
        if not preview.ok:
            raise ValidationError({field: message for _line, field, message in preview.problems()})
        return action

    return call


def _linked(link: type[ActionCoOwner] | type[ActionPartner], column: str) -> Any:
    def read(s: Session, action: Action) -> list[int]:
        return sorted(s.exec(select(getattr(link, column)).where(link.action_id == action.id)))

    return read


def _ids(value: Any) -> list[int]:
    return [as_id(v) for v in value]  # type: ignore[misc]


def _optional_day(value: Any) -> date | None:
    return None if isinstance(value, str) and not value.strip() else as_day(value)


def _or(default: str | None) -> Any:
    """A choice left empty takes its default."""

    def expect(value: Any) -> Any:
        return value if isinstance(value, str) and value.strip() else default

    return expect


def _unchanged_if_none(value: Any) -> Any:
    return False if value is None else value


def _tags(value: Any) -> list[str]:
    tags: dict[str, str] = {}
    for part in value if isinstance(value, list) else re.split(r"[,\r\n]+", value):
        if part.strip():
            tags.setdefault(part.strip().casefold(), part.strip())
    return list(tags.values())


def _cell_text(value: Any) -> str:
    """What a spreadsheet cell means: one leading apostrophe only marks text."""
    text = str(value)
    return (text[1:] if text.startswith("'") else text).strip()


def _cell_tags(value: Any) -> list[str]:
    return _tags(str(value)[1:] if str(value).startswith("'") else str(value))


def _never(value: Any) -> str:
    """A row naming no exported action changes nothing: it must be refused."""
    return f"(refused: {value!r})"


def _latest_indicator_named(s: Session, record: Any) -> Any:
    return s.exec(select(ActionIndicator.name).where(col(ActionIndicator.id) == record.id)).one()


TARGETS: list[Target] = [
    Target("create_action", "title", LINE, _create("title"), attribute("title"), trimmed),
    Target("create_action", "objective", LONG, _create("objective"), attribute("objective")),
    Target(
        "create_action",
        "owner_person_id",
        PERSON,
        _create("owner_person_id"),
        attribute("owner_person_id"),
        as_id,
    ),
    Target(
        "create_action",
        "co_owner_ids",
        as_lists(PERSON),
        _create("co_owner_ids"),
        _linked(ActionCoOwner, "person_id"),
        _ids,
    ),
    Target(
        "create_action",
        "organisation_id",
        ORGANISATION,
        _create("organisation_id"),
        attribute("organisation_id"),
        as_id,
    ),
    Target(
        "create_action",
        "partner_ids",
        as_lists(ORGANISATION),
        _create("partner_ids"),
        _linked(ActionPartner, "organisation_id"),
        _ids,
    ),
    Target(
        "create_action",
        "start_date",
        DAY,
        _create("start_date"),
        attribute("start_date"),
        _optional_day,
        also=("due_date",),
    ),
    Target("create_action", "due_date", DAY_SPAN, _create_span, _dates, _days),
    Target("create_action", "due_date", DAY, _create("due_date"), attribute("due_date"), as_day),
    Target(
        "create_action",
        "priority",
        CHOICE,
        _create("priority"),
        attribute("priority"),
        _or("normal"),
    ),
    Target(
        "create_action",
        "progress_mode",
        CHOICE,
        _create("progress_mode"),
        attribute("progress_mode"),
        _or("status"),
    ),
    Target("create_action", "status", CHOICE, _create("status"), attribute("status")),
    Target(
        "create_action",
        "tags",
        LINE,
        _create("tags"),
        attribute("tags"),
        _tags,
        allow=("newline", "carriage-return", "a-list"),
    ),
    Target(
        "create_action", "parent_id", ACTION, _create("parent_id"), attribute("parent_id"), as_id
    ),
    Target(
        "create_action",
        "workshop_id",
        WORKSHOP,
        _create("workshop_id"),
        attribute("workshop_id"),
        as_id,
    ),
    Target(
        "create_action",
        "outcome_id",
        REFERENCE,
        _create("outcome_id"),
        attribute("outcome_id"),
        as_id,
    ),
    Target(
        "create_action",
        "indicators.1.name",
        LINE,
        _with_indicator("name"),
        attribute("name"),
        trimmed,
    ),
    Target(
        "create_action",
        "indicators.1.target",
        NUMBER,
        _with_indicator("target"),
        attribute("target"),
        as_number,
    ),
    Target("update_action", "title", sample(LINE), _update("title"), attribute("title"), trimmed),
    Target(
        "update_action", "objective", sample(LONG), _update("objective"), attribute("objective")
    ),
    Target(
        "update_action",
        "owner_person_id",
        PERSON,
        _update_new("owner_person_id"),
        attribute("owner_person_id"),
        as_id,
    ),
    Target(
        "update_action",
        "co_owner_ids",
        as_lists(PERSON),
        _update_new("co_owner_ids"),
        _linked(ActionCoOwner, "person_id"),
        _ids,
    ),
    Target("update_action", "due_date", DAY, _update("due_date"), attribute("due_date"), as_day),
    Target(
        "update_action",
        "tags",
        sample(LINE),
        _update("tags"),
        attribute("tags"),
        _tags,
        allow=("newline", "carriage-return", "a-list"),
    ),
    Target(
        "update_action", "parent_id", ACTION, _update("parent_id"), attribute("parent_id"), as_id
    ),
    Target(
        "update_action",
        "version",
        VERSION,
        _update_at_version,
        attribute("title"),
        refusals=(ConflictError,),
    ),
    Target("post_update", "text", LONG, _post("text"), attribute("text")),
    Target(
        "post_update", "new_status", CHOICE, _post("new_status"), attribute("new_status"), _or(None)
    ),
    Target(
        "post_update",
        "new_progress",
        COUNT,
        _post("new_progress"),
        attribute("new_progress"),
        as_whole,
    ),
    Target("add_milestone", "title", LINE, _milestone("title"), attribute("title"), trimmed),
    Target(
        "add_milestone",
        "due_date",
        DAY,
        _milestone("due_date"),
        attribute("due_date"),
        _optional_day,
    ),
    Target(
        "update_milestone",
        "title",
        sample(LINE),
        _update_milestone("title"),
        attribute("title"),
        trimmed,
    ),
    Target(
        "update_milestone",
        "due_date",
        DAY,
        _update_milestone("due_date"),
        attribute("due_date"),
        _optional_day,
    ),
    Target(
        "update_milestone",
        "done",
        FLAG,
        _update_milestone("done"),
        attribute("done"),
        _unchanged_if_none,
    ),
    Target("add_indicator", "name", LINE, _indicator("name"), attribute("name"), trimmed),
    Target("add_indicator", "unit", LINE, _indicator("unit"), attribute("unit"), trimmed),
    Target("add_indicator", "target", NUMBER, _indicator("target"), attribute("target"), as_number),
    Target(
        "update_indicator",
        "name",
        sample(LINE),
        _update_indicator("name"),
        _latest_indicator_named,
        trimmed,
    ),
    Target(
        "update_indicator",
        "current",
        NUMBER,
        _update_indicator("current"),
        attribute("current"),
        as_number,
    ),
    Target(
        "apply_actions_import",
        "title",
        in_a_file(LINE),
        _import("title"),
        attribute("title"),
        _cell_text,
        also=("file",),
    ),
    Target(
        "apply_actions_import",
        "id",
        REFERENCE,
        _import("id"),
        attribute("title"),
        _never,
        also=("file",),
    ),
    Target(
        "apply_actions_import",
        "status",
        in_a_file(CHOICE),
        _import("status"),
        attribute("status"),
        also=("file",),
    ),
    Target(
        "apply_actions_import",
        "progress",
        COUNT,
        _import("progress"),
        attribute("progress"),
        as_whole,
        also=("file",),
    ),
    Target(
        "apply_actions_import",
        "due_date",
        DAY,
        _import("due_date"),
        attribute("due_date"),
        as_day,
        also=("file",),
        allow=("number",),
    ),
    Target(
        "apply_actions_import",
        "priority",
        in_a_file(CHOICE),
        _import("priority"),
        attribute("priority"),
        also=("file",),
    ),
    Target(
        "apply_actions_import",
        "tags",
        in_a_file(LINE),
        _import("tags"),
        attribute("tags"),
        _cell_tags,
        also=("file",),
        allow=("newline", "carriage-return", "a-list"),
    ),
]
