"""What moves an action along: dated progress updates, milestones and indicators.

Posting an update (a text, optionally a new status or percentage) is how an
action's status moves from its page; the updates form its timeline and the
latest shows in every list. Milestones can drive the percentage; indicators
record what the action measures. Each write is allowed to the action's owner
and co-owners and to the community's facilitators, and is audited.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from cop.accounts.mentions import notify_mentions
from cop.actions import progress as action_progress
from cop.actions.models import Action, ActionIndicator, ActionMilestone, ActionStatus, ActionUpdate
from cop.actions.progress import STATUSES, progress_after_status
from cop.actions.rules import NUMBER_LABELS, check_number
from cop.actions.service import editable_action
from cop.core import records
from cop.core.audit import record_event
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor
from cop.core.validation import Checker

MAX_MILESTONES = 100
MAX_INDICATORS = 30


def _optional(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def post_update(
    session: Session,
    actor: Actor,
    action_id: Any,
    *,
    text: str,
    new_status: str | None = None,
    new_progress: int | str | None = None,
    version: int | None = None,
) -> ActionUpdate:
    """A dated note on the action that may move its status or percentage.

    With ``version`` (the page passes the one it showed) a status or progress
    change is refused when someone changed the action meanwhile. The
    percentage of an action driven by milestones or sub-actions cannot be set
    by hand; a done action is at 100 %.
    """
    action, community = editable_action(session, actor, action_id, "action.post_update")
    assert action.id is not None  # editable_action read it from the database
    chk = Checker()
    body = chk.long_text("text", text, label=N_("The update"), required=True)
    status = _optional(new_status)
    progress = _optional(new_progress)
    if status is not None:
        status = chk.choice("new_status", status, STATUSES, label=N_("The new status"))
    if progress is not None:
        progress = chk.count(
            "new_progress", progress, label=N_("The progress"), minimum=0, maximum=100
        )
        driver = action_progress.driven_by(session, action)
        if driver is not None:
            chk.fail(
                "new_progress",
                Message(
                    N_("The progress of this action follows its {what}."), what=Message(driver)
                ),
            )
        elif (status or action.status) == ActionStatus.DONE and progress != 100:
            chk.fail("new_progress", N_("A done action is at 100 %."))
    chk.raise_if_any()
    changes: dict[str, Any] = {}
    if status is not None:
        changes["status"] = status
        derived = action_progress.derived_progress(session, action)
        changes["progress"] = (
            derived if derived is not None else progress_after_status(status, action.progress)
        )
    if progress is not None:
        changes["progress"] = progress
    if changes:
        records.save(
            session,
            actor,
            action,
            action.version if version is None else version,
            changes,
            action="action.post_update",
            community_id=community.id,
        )
    update = ActionUpdate(
        action_id=action.id,
        author_person_id=actor.person_id,
        author_user_id=actor.user_id or None,
        text=body,
        new_status=status,
        new_progress=action.progress if changes else None,
    )
    session.add(update)
    session.flush()
    record_event(
        session,
        actor,
        "action_update.create",
        update,
        community_id=community.id,
        changes={
            "action_id": [None, action.id],
            "text": [None, body],
            **({"new_status": [None, status]} if status else {}),
            **({"new_progress": [None, update.new_progress]} if changes else {}),
        },
    )
    action_progress.settle(session, actor, action)
    assert community.id is not None  # a stored community
    notify_mentions(
        session,
        actor,
        community_id=community.id,
        text=body,
        message=Message(
            N_("{name} mentioned you in an update of “{title}”."),
            name=actor.name,
            title=action.title,
        ),
        record_type="action",
        record_id=action.id,
    )
    return update


def updates(session: Session, action_id: int, limit: int = 200) -> list[ActionUpdate]:
    """The action's updates, newest first (read access checked by the caller)."""
    return list(
        session.exec(
            select(ActionUpdate)
            .where(ActionUpdate.action_id == action_id)
            .order_by(col(ActionUpdate.posted_at).desc(), col(ActionUpdate.id).desc())
            .limit(limit)
        )
    )


# --- milestones --------------------------------------------------------------


def _milestone(
    session: Session, actor: Actor, milestone_id: Any
) -> tuple[ActionMilestone, Action, Any]:
    milestone = records.get_live(
        session, ActionMilestone, milestone_id, for_update=True, label=N_("milestone")
    )
    action, community = editable_action(session, actor, milestone.action_id, "action.update")
    return milestone, action, community


def add_milestone(
    session: Session, actor: Actor, action_id: Any, *, title: str, due_date: Any = None
) -> ActionMilestone:
    action, community = editable_action(session, actor, action_id, "action.update")
    assert action.id is not None  # editable_action read it from the database
    chk = Checker()
    clean_title = chk.title("title", title, label=N_("The milestone"))
    due = chk.day("due_date", due_date, label=N_("The milestone's date"), required=False)
    count, last = session.exec(
        select(func.count(), func.max(ActionMilestone.position)).where(
            ActionMilestone.action_id == action.id, col(ActionMilestone.deleted_at).is_(None)
        )
    ).one()
    if count >= MAX_MILESTONES:
        chk.fail(
            "title", Message(N_("An action has at most {count} milestones."), count=MAX_MILESTONES)
        )
    chk.raise_if_any()
    milestone = ActionMilestone(
        action_id=action.id, title=clean_title, due_date=due, position=(last or 0) + 1
    )
    records.create(
        session, actor, milestone, community_id=community.id, action="action_milestone.create"
    )
    session.flush()
    action_progress.settle(session, actor, action)
    return milestone


def update_milestone(
    session: Session,
    actor: Actor,
    milestone_id: Any,
    version: int,
    *,
    title: str | None = None,
    due_date: Any = ...,
    done: bool | None = None,
) -> ActionMilestone:
    """Change the given fields of a milestone; ticking it off can move the action's percentage."""
    milestone, action, community = _milestone(session, actor, milestone_id)
    chk = Checker()
    values: dict[str, Any] = {}
    if title is not None:
        values["title"] = chk.title("title", title, label=N_("The milestone"))
    if due_date is not ...:
        values["due_date"] = chk.day(
            "due_date", due_date, label=N_("The milestone's date"), required=False
        )
    if done is not None:
        if not isinstance(done, bool):
            chk.fail("done", N_("Done must be yes or no."))
        values["done"] = done
    chk.raise_if_any()
    records.save(
        session,
        actor,
        milestone,
        version,
        values,
        action="action_milestone.update",
        community_id=community.id,
    )
    session.flush()
    action_progress.settle(session, actor, action)
    return milestone


def remove_milestone(session: Session, actor: Actor, milestone_id: Any) -> None:
    milestone, action, community = _milestone(session, actor, milestone_id)
    records.soft_delete(
        session, actor, milestone, action="action_milestone.delete", community_id=community.id
    )
    session.flush()
    action_progress.settle(session, actor, action)


def milestones(session: Session, action_id: int) -> list[ActionMilestone]:
    return list(
        session.exec(
            select(ActionMilestone)
            .where(
                ActionMilestone.action_id == action_id, col(ActionMilestone.deleted_at).is_(None)
            )
            .order_by(col(ActionMilestone.position), col(ActionMilestone.id))
        )
    )


# --- indicators --------------------------------------------------------------


def _check_indicator(chk: Checker, fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "name" in fields:
        values["name"] = chk.title("name", fields["name"], label=N_("The indicator's name"))
    if "unit" in fields:
        values["unit"] = chk.optional_line("unit", fields["unit"], label=N_("The unit"), max_len=40)
    for key in ("baseline", "target", "current"):
        if key in fields:
            values[key] = check_number(chk, key, fields[key], NUMBER_LABELS[key][0])
    return values


def add_indicator(
    session: Session,
    actor: Actor,
    action_id: Any,
    *,
    name: str,
    unit: str = "",
    baseline: Any = None,
    target: Any = None,
    current: Any = None,
) -> ActionIndicator:
    action, community = editable_action(session, actor, action_id, "action.update")
    assert action.id is not None  # editable_action read it from the database
    chk = Checker()
    values = _check_indicator(
        chk,
        {"name": name, "unit": unit, "baseline": baseline, "target": target, "current": current},
    )
    count, last = session.exec(
        select(func.count(), func.max(ActionIndicator.position)).where(
            ActionIndicator.action_id == action.id, col(ActionIndicator.deleted_at).is_(None)
        )
    ).one()
    if count >= MAX_INDICATORS:
        chk.fail(
            "name", Message(N_("An action has at most {count} indicators."), count=MAX_INDICATORS)
        )
    chk.raise_if_any()
    indicator = ActionIndicator(action_id=action.id, position=(last or 0) + 1, **values)
    return records.create(
        session, actor, indicator, community_id=community.id, action="action_indicator.create"
    )


def update_indicator(
    session: Session, actor: Actor, indicator_id: Any, version: int, **fields: Any
) -> ActionIndicator:
    """Change the given fields (name, unit, baseline, target, current); usually the current value."""
    indicator = records.get_live(
        session, ActionIndicator, indicator_id, for_update=True, label=N_("indicator")
    )
    _, community = editable_action(session, actor, indicator.action_id, "action.update")
    unknown = set(fields) - {"name", "unit", "baseline", "target", "current"}
    if unknown:
        raise TypeError(f"unknown indicator fields: {', '.join(sorted(unknown))}")
    chk = Checker()
    values = _check_indicator(chk, fields)
    chk.raise_if_any()
    records.save(
        session,
        actor,
        indicator,
        version,
        values,
        action="action_indicator.update",
        community_id=community.id,
    )
    return indicator


def indicators(session: Session, action_id: int) -> list[ActionIndicator]:
    return list(
        session.exec(
            select(ActionIndicator)
            .where(
                ActionIndicator.action_id == action_id, col(ActionIndicator.deleted_at).is_(None)
            )
            .order_by(col(ActionIndicator.position), col(ActionIndicator.id))
        )
    )
