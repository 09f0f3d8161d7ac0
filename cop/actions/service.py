"""Joint actions: create, read, edit, move on the board, delete and restore.

Members change only the actions they own or co-own; facilitators any action
of their community (``may_change``, applied after the permission table).
Every edit states the version the user started from, so a stale edit or
board move is refused with the other change shown. Assigning an action to
someone (on creation, or by a change of owner or co-owners) notifies them.
Progress rules live in ``action_progress``, updates, milestones and
indicators in ``action_updates``, lists in ``action_views``, CSV in
``action_io``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from cop.accounts import notifications
from cop.actions import progress as action_progress
from cop.actions.models import (
    Action,
    ActionCoOwner,
    ActionIndicator,
    ActionPartner,
    ActionStatus,
    ActionTag,
    ProgressMode,
)
from cop.actions.progress import STATUSES, progress_after_status
from cop.actions.rules import NUMBER_LABELS, check_action, check_number
from cop.communities.models import Community, Person
from cop.core import clock, records
from cop.core.audit import record_event
from cop.core.errors import NotFound, PermissionDenied
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, Role, authorize, can_read
from cop.core.tags import tag_key
from cop.core.validation import Checker, record_id
from cop.workshops.models import Outcome, Workshop

__all__ = [
    "create_action",
    "delete_action",
    "editable_action",
    "get_action",
    "may_change",
    "move_action",
    "restore_action",
    "update_action",
]

_LINKS: dict[str, tuple[type[ActionCoOwner] | type[ActionPartner], str]] = {
    "co_owner_ids": (ActionCoOwner, "person_id"),
    "partner_ids": (ActionPartner, "organisation_id"),
}


def _community_of(session: Session, actor: Actor, action: Action, action_id: Any) -> Community:
    community = session.get(Community, action.community_id)
    if community is None or community.deleted_at is not None or not can_read(actor, community):
        raise NotFound(
            Message(N_("There is no {label} with id {id}."), label=N_("action"), id=action_id)
        )
    return community


def get_action(session: Session, actor: Actor, action_id: int | str) -> Action:
    """An action of a community the actor may read; otherwise it does not exist for them."""
    action = records.get_live(session, Action, action_id, label=N_("action"))
    _community_of(session, actor, action, action_id)
    return action


def linked_ids(session: Session, field: str, action_id: int) -> list[int]:
    """The co-owners' person ids or the partners' organisation ids of an action, sorted."""
    link, column = _LINKS[field]
    return sorted(session.exec(select(getattr(link, column)).where(link.action_id == action_id)))


def may_change(session: Session, actor: Actor, action: Action) -> bool:
    """Facilitators (and admins) change any action of their community, members their own or co-owned."""
    if actor.is_admin or actor.role_in(action.community_id) == Role.FACILITATOR:
        return True
    if actor.person_id is None:
        return False
    assert action.id is not None  # a stored action
    return actor.person_id == action.owner_person_id or actor.person_id in linked_ids(
        session, "co_owner_ids", action.id
    )


def editable_action(
    session: Session, actor: Actor, action_id: Any, operation: str
) -> tuple[Action, Community]:
    """Load an action for a change: it must be readable, the operation allowed, and the action the actor's to change."""
    action = records.get_live(session, Action, action_id, for_update=True, label=N_("action"))
    community = _community_of(session, actor, action, action_id)
    authorize(actor, operation, community)
    if not may_change(session, actor, action):
        raise PermissionDenied(N_("Members may change only the actions they own or co-own."))
    return action, community


def _replace_links(
    session: Session, action_id: int, field: str, ids: list[int]
) -> list[list[int]] | None:
    """Write the new set of linked ids; ``[old, new]`` when it changed."""
    link, column = _LINKS[field]
    old = linked_ids(session, field, action_id)
    if old == sorted(ids):
        return None
    for row in session.exec(select(link).where(link.action_id == action_id)):
        if getattr(row, column) not in ids:
            session.delete(row)
    for linked in set(ids) - set(old):
        session.add(link(action_id=action_id, **{column: linked}))
    session.flush()
    return [old, sorted(ids)]


def write_tags(session: Session, action_id: int, tags: list[str]) -> None:
    """Make the tag index match the action's own list."""
    wanted = {tag_key(tag): tag for tag in tags}
    for row in session.exec(select(ActionTag).where(ActionTag.action_id == action_id)):
        if row.key not in wanted:
            session.delete(row)
        else:
            row.value = wanted.pop(row.key)
            session.add(row)
    for key, tag in wanted.items():
        session.add(ActionTag(action_id=action_id, key=key, value=tag))


def _notify_assigned(
    session: Session, actor: Actor, action: Action, community: Community, people: list[int]
) -> None:
    if people:
        assert community.id is not None  # a stored community, read by the caller
        notifications.notify_people(
            session,
            people,
            kind="action.assigned",
            community_id=community.id,
            message=Message(
                N_("“{title}” in {community} was assigned to you (due {due}).")
                if action.due_date
                else N_("“{title}” in {community} was assigned to you."),
                title=action.title,
                community=community.name,
                due=action.due_date,
            ),
            record_type="action",
            record_id=action.id,
            exclude_user_id=actor.user_id,
        )


def _check_indicators(chk: Checker, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for number, item in enumerate(items, start=1):
        cleaned.append(
            {
                "name": chk.title(
                    f"indicators.{number}.name",
                    item.get("name"),
                    label=Message(N_("The name of indicator {number}"), number=number),
                ),
                "unit": chk.optional_line(
                    f"indicators.{number}.unit", item.get("unit"), label=N_("The unit"), max_len=40
                ),
                **{
                    key: check_number(
                        chk,
                        f"indicators.{number}.{key}",
                        item.get(key),
                        Message(NUMBER_LABELS[key][1], number=number),
                    )
                    for key in ("baseline", "target", "current")
                },
                "position": number,
            }
        )
    return cleaned


def create_action(
    session: Session,
    actor: Actor,
    *,
    community_id: int,
    title: str,
    owner_person_id: int,
    due_date: date | str,
    workshop_id: int | None = None,
    outcome_id: int | None = None,
    objective: str = "",
    organisation_id: int | None = None,
    co_owner_ids: list[int] | None = None,
    partner_ids: list[int] | None = None,
    start_date: date | str | None = None,
    priority: str = "normal",
    tags: list[str] | str | None = None,
    parent_id: int | None = None,
    progress_mode: str = ProgressMode.STATUS.value,
    status: str = ActionStatus.PLANNED.value,
    indicators: list[dict[str, Any]] | None = None,
) -> Action:
    """A new action owned by a member of the community, optionally linked to its workshop, outcome and parent.

    Without an organisation the owner's own organisation leads it, so it
    appears in that city's action plan.
    """
    community = records.get_live(session, Community, community_id, label=N_("community"))
    assert community.id is not None  # get_live found it by this id
    if not can_read(actor, community):
        raise NotFound(
            Message(N_("There is no {label} with id {id}."), label=N_("community"), id=community_id)
        )
    authorize(actor, "action.create", community)
    chk = Checker()
    values = check_action(
        chk,
        session,
        community,
        {
            "title": title,
            "objective": objective,
            "owner_person_id": owner_person_id,
            "co_owner_ids": co_owner_ids,
            "organisation_id": organisation_id,
            "partner_ids": partner_ids,
            "start_date": start_date,
            "due_date": due_date,
            "priority": priority,
            "tags": tags,
            "parent_id": parent_id,
            "progress_mode": progress_mode,
        },
        None,
    )
    chk.choice("status", status, STATUSES, label=N_("The status"))
    if workshop_id is not None:
        workshop_id = record_id(workshop_id)
        workshop = session.get(Workshop, workshop_id) if workshop_id is not None else None
        if (
            workshop is None
            or workshop.deleted_at is not None
            or workshop.community_id != community.id
        ):
            chk.fail("workshop_id", N_("Choose a workshop of this community."))
    if outcome_id is not None:
        outcome_id = record_id(outcome_id)
        outcome = session.get(Outcome, outcome_id) if outcome_id is not None else None
        if outcome is None or outcome.deleted_at is not None or outcome.workshop_id != workshop_id:
            chk.fail("outcome_id", N_("The outcome must belong to the linked workshop."))
    measures = _check_indicators(chk, indicators or [])
    chk.raise_if_any()
    links = {field: values.pop(field) for field in _LINKS}
    if values["organisation_id"] is None:
        owner = session.get(Person, values["owner_person_id"])
        values["organisation_id"] = owner.organisation_id if owner is not None else None
    action = Action(
        community_id=community.id,
        workshop_id=workshop_id,
        outcome_id=outcome_id,
        status=status,
        progress=0
        if values["progress_mode"] == ProgressMode.MILESTONES
        else progress_after_status(status, 0),
        **values,
    )
    records.create(session, actor, action, action="action.create")
    assert action.id is not None  # records.create flushed it
    write_tags(session, action.id, action.tags)
    changed = {
        f: c for f, ids in links.items() if (c := _replace_links(session, action.id, f, ids))
    }
    if changed:
        record_event(
            session, actor, "action.link", action, community_id=community.id, changes=changed
        )
    for measure in measures:
        records.create(
            session,
            actor,
            ActionIndicator(action_id=action.id, **measure),
            community_id=community.id,
        )
    action_progress.settle(session, actor, action)
    _notify_assigned(
        session, actor, action, community, [action.owner_person_id, *links["co_owner_ids"]]
    )
    return action


def update_action(
    session: Session, actor: Actor, action_id: Any, version: int, **fields: Any
) -> Action:
    """Change the given fields (see ``action_input.FIELDS``); status and progress move through updates and the board."""
    action, community = editable_action(session, actor, action_id, "action.update")
    assert action.id is not None  # a stored action
    chk = Checker()
    values = check_action(chk, session, community, dict(fields), action)
    chk.raise_if_any()
    links = {field: values.pop(field) for field in _LINKS if field in values}
    old_owner = action.owner_person_id
    old_co_owners = linked_ids(session, "co_owner_ids", action.id)
    old_parent = action.parent_id
    delta = records.save(
        session, actor, action, version, values, action="action.update", community_id=community.id
    )
    link_delta: dict[str, list[Any]] = {
        f: c for f, ids in links.items() if (c := _replace_links(session, action.id, f, ids))
    }
    if link_delta:
        if not delta:  # only links changed: still a new version, so stale forms are caught
            action.version += 1
            action.updated_at = clock.now()
            action.updated_by_id = actor.user_id or None
            session.add(action)
        link_delta["version"] = [version, action.version]
        record_event(
            session, actor, "action.update", action, community_id=community.id, changes=link_delta
        )
    if "tags" in values:
        write_tags(session, action.id, action.tags)
    session.flush()
    action_progress.settle(session, actor, action)
    if old_parent is not None and old_parent != action.parent_id:
        _settle_id(session, actor, old_parent)
    assigned = [action.owner_person_id] if action.owner_person_id != old_owner else []
    assigned += [p for p in links.get("co_owner_ids", []) if p not in old_co_owners]
    _notify_assigned(session, actor, action, community, assigned)
    return action


def _settle_id(session: Session, actor: Actor, action_id: int) -> None:
    found = session.exec(select(Action).where(Action.id == action_id).with_for_update()).first()
    if found is not None and found.deleted_at is None:
        action_progress.settle(session, actor, found)


def move_action(
    session: Session, actor: Actor, action_id: Any, version: int, new_status: str
) -> Action:
    """The board's "move to": a new status with its default progress, refused when the card is stale."""
    action, community = editable_action(session, actor, action_id, "action.move")
    chk = Checker()
    chk.choice("status", new_status, STATUSES, label=N_("The status"))
    chk.raise_if_any()
    derived = action_progress.derived_progress(session, action)
    progress = (
        derived if derived is not None else progress_after_status(new_status, action.progress)
    )
    records.save(
        session,
        actor,
        action,
        version,
        {"status": new_status, "progress": progress},
        action="action.move",
        community_id=community.id,
    )
    session.flush()
    action_progress.settle(session, actor, action)
    return action


def delete_action(session: Session, actor: Actor, action_id: Any) -> None:
    """Soft delete (facilitators); its parent's roll-up no longer counts it."""
    action = records.get_live(session, Action, action_id, for_update=True, label=N_("action"))
    community = _community_of(session, actor, action, action_id)
    authorize(actor, "action.delete", community)
    records.soft_delete(session, actor, action, action="action.delete", community_id=community.id)
    session.flush()
    if action.parent_id is not None:
        _settle_id(session, actor, action.parent_id)


def restore_action(session: Session, actor: Actor, action_id: Any) -> Action:
    """Bring back a deleted action (facilitators); it counts in its parent's roll-up again."""
    number = record_id(action_id)
    if number is None:
        raise NotFound(
            Message(
                N_("There is no deleted {label} with id {id}."),
                label=N_("action"),
                id=str(action_id)[:40],
            )
        )
    action = records.get_deleted(session, Action, number)
    community = _community_of(session, actor, action, action_id)
    authorize(actor, "action.restore", community)
    records.restore(session, actor, action, action="action.restore", community_id=community.id)
    session.flush()
    action_progress.settle(session, actor, action)
    return action
