"""Cleaning what a form, the CLI or a CSV row says about an action into stored values.

Every check adds a field-level message to the caller's ``Checker``; nothing
is written here. Owners and co-owners must hold a live membership of the
action's community (a person whose account was deactivated still counts while
the membership lasts); organisations and a parent action must exist.
"""

from __future__ import annotations

import math
from typing import Any

from sqlmodel import Session, select

from cop.actions.models import Action, Priority, ProgressMode
from cop.actions.progress import STATUSES
from cop.communities.models import Community, Organisation
from cop.communities.service import is_member
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.tags import check_tags
from cop.core.validation import Checker, record_id

PRIORITIES = [p.value for p in Priority]
PROGRESS_MODES = [m.value for m in ProgressMode]
FIELDS = (
    "title",
    "objective",
    "owner_person_id",
    "co_owner_ids",
    "organisation_id",
    "partner_ids",
    "start_date",
    "due_date",
    "priority",
    "tags",
    "parent_id",
    "progress_mode",
)
MAX_CO_OWNERS = 20
MAX_PARTNERS = 50
MAX_NUMBER = 1e15
NOT_A_MEMBER = N_("The owner is not a member of this community.")
# The labels of an indicator's numbers: on its own form, and in a list of indicators ("{number}").
NUMBER_LABELS = {
    "baseline": (N_("The baseline"), N_("The baseline of indicator {number}")),
    "target": (N_("The target"), N_("The target of indicator {number}")),
    "current": (N_("The current"), N_("The current of indicator {number}")),
}

__all__ = [
    "FIELDS",
    "PRIORITIES",
    "PROGRESS_MODES",
    "STATUSES",
    "check_action",
    "check_number",
]


def _as_id(value: Any) -> int | None:
    """A positive whole id, or None for anything else (ids come from forms and URLs)."""
    return record_id(value)


def _ids(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part for part in value.replace(";", ",").split(",") if part.strip()]
    return list(value)


def _organisation_exists(session: Session, organisation_id: int) -> bool:
    found = session.get(Organisation, organisation_id)
    return found is not None and found.deleted_at is None


def _check_owner(chk: Checker, session: Session, community: Community, value: Any) -> int | None:
    assert community.id is not None  # the caller read it from the database
    owner = _as_id(value)
    if owner is None and value in (None, ""):
        chk.fail("owner_person_id", N_("Choose the owner of the action."))
    elif owner is None or not is_member(session, community.id, owner):
        chk.fail("owner_person_id", NOT_A_MEMBER)
    return owner


def _check_co_owners(
    chk: Checker, session: Session, community: Community, value: Any, owner: int | None
) -> list[int]:
    assert community.id is not None  # the caller read it from the database
    chosen: list[int] = []
    for raw in _ids(value):
        person = _as_id(raw)
        if person is None or not is_member(session, community.id, person):
            chk.fail(
                "co_owner_ids",
                Message(
                    N_("Co-owner {who} is not a member of this community."),
                    who=str(raw).strip()[:40],
                ),
            )
        elif person != owner and person not in chosen:
            chosen.append(person)
    if len(chosen) > MAX_CO_OWNERS:
        chk.fail(
            "co_owner_ids",
            Message(N_("At most {count} co-owners are allowed."), count=MAX_CO_OWNERS),
        )
    return sorted(chosen)


def _check_organisations(chk: Checker, session: Session, value: Any) -> list[int]:
    chosen: list[int] = []
    for raw in _ids(value):
        organisation = _as_id(raw)
        if organisation is None or not _organisation_exists(session, organisation):
            chk.fail("partner_ids", N_("Choose partner organisations from the list."))
        elif organisation not in chosen:
            chosen.append(organisation)
    if len(chosen) > MAX_PARTNERS:
        chk.fail(
            "partner_ids",
            Message(N_("At most {count} partner organisations are allowed."), count=MAX_PARTNERS),
        )
    return sorted(chosen)


def _ancestors(session: Session, action_id: int) -> set[int]:
    """The ids above ``action_id`` (its parent, the parent's parent, ...)."""
    found: set[int] = set()
    current: int | None = action_id
    while current is not None and current not in found:
        found.add(current)
        current = session.exec(select(Action.parent_id).where(Action.id == current)).first()
    return found


def _check_parent(
    chk: Checker, session: Session, community: Community, value: Any, current: Action | None
) -> int | None:
    if value in (None, "", 0):
        return None
    parent_id = _as_id(value)
    parent = session.get(Action, parent_id) if parent_id is not None else None
    if parent is None or parent.deleted_at is not None or parent.community_id != community.id:
        chk.fail("parent_id", N_("The parent must be an action of this community."))
        return None
    assert parent.id is not None  # read from the database
    if current is not None and current.id in _ancestors(session, parent.id):
        chk.fail(
            "parent_id", N_("An action cannot be a sub-action of itself or of its own sub-actions.")
        )
        return None
    return parent_id


def check_number(chk: Checker, field: str, value: Any, label: str) -> float | None:
    """An optional finite number (commas accepted as decimal marks); NaN, infinity and words are refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        chk.fail(field, Message(N_("{label} must be a number."), label=label))
        return None
    try:
        number = (
            float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)
        )
    except (TypeError, ValueError):
        chk.fail(field, Message(N_("{label} must be a number."), label=label))
        return None
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        chk.fail(
            field,
            Message(
                N_("{label} must be a finite number up to {maximum:,.0f}."),
                label=label,
                maximum=MAX_NUMBER,
            ),
        )
        return None
    return number


def check_action(
    chk: Checker,
    session: Session,
    community: Community,
    given: dict[str, Any],
    current: Action | None,
) -> dict[str, Any]:
    """The cleaned values of the fields present in ``given``; a new action needs title, owner and due date."""
    unknown = set(given) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown action fields: {', '.join(sorted(unknown))}")
    if current is None:
        for required in ("title", "owner_person_id", "due_date"):
            given.setdefault(required, None)
    values: dict[str, Any] = {}
    if "title" in given:
        values["title"] = chk.title("title", given["title"], label=N_("The title"))
    if "objective" in given:
        values["objective"] = chk.long_text(
            "objective", given["objective"], label=N_("The objective")
        )
    owner = current.owner_person_id if current is not None else None
    if "owner_person_id" in given:
        owner = values["owner_person_id"] = _check_owner(
            chk, session, community, given["owner_person_id"]
        )
    if "co_owner_ids" in given:
        values["co_owner_ids"] = _check_co_owners(
            chk, session, community, given["co_owner_ids"], owner
        )
    if "organisation_id" in given:
        organisation = _as_id(given["organisation_id"])
        if given["organisation_id"] not in (None, "", 0) and (
            organisation is None or not _organisation_exists(session, organisation)
        ):
            chk.fail("organisation_id", N_("Choose the city or organisation from the list."))
        values["organisation_id"] = organisation
    if "partner_ids" in given:
        values["partner_ids"] = _check_organisations(chk, session, given["partner_ids"])
    if "start_date" in given:
        values["start_date"] = chk.day(
            "start_date", given["start_date"], label=N_("The start date"), required=False
        )
    if "due_date" in given:
        values["due_date"] = chk.day("due_date", given["due_date"], label=N_("The due date"))
    start = values.get("start_date", current.start_date if current is not None else None)
    due = values.get("due_date", current.due_date if current is not None else None)
    if "start_date" in given or "due_date" in given:
        chk.not_before("due_date", start, due, label=N_("The due date"))
    if "priority" in given:
        values["priority"] = chk.choice(
            "priority",
            given["priority"] or Priority.NORMAL.value,
            PRIORITIES,
            label=N_("The priority"),
        )
    if "tags" in given:
        values["tags"] = check_tags(chk, "tags", given["tags"], "tag")
    if "parent_id" in given:
        values["parent_id"] = _check_parent(chk, session, community, given["parent_id"], current)
    if "progress_mode" in given:
        values["progress_mode"] = chk.choice(
            "progress_mode",
            given["progress_mode"] or ProgressMode.STATUS.value,
            PROGRESS_MODES,
            label=N_("How progress is measured"),
        )
    return values
