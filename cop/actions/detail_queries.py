"""Everything about one action, for its page: people, milestones, indicators, updates, origin;
its sub-actions and its history apart, read only when their tab is opened."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from cop.actions import progress as action_progress
from cop.actions import updates as action_updates
from cop.actions.models import Action, ActionIndicator, ActionMilestone, ActionUpdate
from cop.actions.progress import OPEN_STATUSES
from cop.actions.queries import ActionRow, find_actions
from cop.actions.service import get_action, linked_ids, may_change
from cop.communities.models import Community, Organisation, Person
from cop.core import audit, clock, history
from cop.core.history import Entry
from cop.core.permissions import Actor, is_allowed
from cop.workshops.models import Outcome, Workshop


@dataclass
class ActionDetail:
    action: Action
    community: Community
    owner: Person
    organisation: Organisation | None
    co_owners: list[Person]
    partners: list[Organisation]
    milestones: list[ActionMilestone]
    indicators: list[ActionIndicator]
    updates: list[tuple[ActionUpdate, str]]  # the update and its author's name
    parent: Action | None
    workshop: Workshop | None
    outcome: Outcome | None
    overdue: bool
    driven_by: str | None  # "sub-actions", "milestones", or None when the status decides
    # How many open or done sub-actions (or milestones) the percentage comes from.
    driven_count: int = 0
    # The newest update that recorded a percentage: once sub-actions drive the progress,
    # the page shows it as what was posted, apart from the roll-up.
    last_posted: ActionUpdate | None = None
    may: dict[str, bool] = field(default_factory=dict)


def _people(session: Session, ids: list[int]) -> list[Person]:
    return list(
        session.exec(select(Person).where(col(Person.id).in_(ids or [-1])).order_by(Person.name))
    )


def _live(record: Any) -> Any:
    return record if record is not None and getattr(record, "deleted_at", None) is None else None


def action_detail(session: Session, actor: Actor, action_id: Any) -> ActionDetail:
    """One action the actor may read (NotFound otherwise) with what they may do with it."""
    action = get_action(session, actor, action_id)
    assert action.id is not None  # a stored action
    community = session.get(Community, action.community_id)
    assert community is not None  # get_action checked it
    authors = dict(
        session.exec(
            select(Person.id, Person.name)
            .join(ActionUpdate, col(ActionUpdate.author_person_id) == Person.id)
            .where(ActionUpdate.action_id == action.id)
            .distinct()
        ).all()
    )
    parent = (
        _live(session.get(Action, action.parent_id)) if action.parent_id else None
    )  # same community
    workshop = _live(session.get(Workshop, action.workshop_id)) if action.workshop_id else None
    outcome = _live(session.get(Outcome, action.outcome_id)) if action.outcome_id else None
    changes = may_change(session, actor, action)
    timeline = action_updates.updates(session, action.id)
    driver, driven_count = action_progress.progress_sources(
        session, [(action.id, action.progress_mode)]
    ).get(action.id, (None, 0))
    return ActionDetail(
        action=action,
        community=community,
        owner=session.get(Person, action.owner_person_id),  # type: ignore[arg-type]  # NOT NULL foreign key and people are only soft-deleted, so the row exists
        organisation=_live(session.get(Organisation, action.organisation_id))
        if action.organisation_id
        else None,
        co_owners=_people(session, linked_ids(session, "co_owner_ids", action.id)),
        partners=list(
            session.exec(
                select(Organisation)
                .where(
                    col(Organisation.id).in_(linked_ids(session, "partner_ids", action.id) or [-1])
                )
                .order_by(Organisation.name)
            )
        ),
        milestones=action_updates.milestones(session, action.id),
        indicators=action_updates.indicators(session, action.id),
        updates=[(u, authors.get(u.author_person_id or -1, "")) for u in timeline],
        parent=parent,
        workshop=workshop,
        outcome=outcome,
        overdue=action.due_date < clock.today() and action.status in OPEN_STATUSES,
        driven_by=driver,
        driven_count=driven_count,
        last_posted=next((u for u in timeline if u.new_progress is not None), None),
        may={
            "update": changes and is_allowed(actor, "action.update", community),
            "post_update": changes and is_allowed(actor, "action.post_update", community),
            "move": changes and is_allowed(actor, "action.move", community),
            "delete": is_allowed(actor, "action.delete", community),
            "create": is_allowed(actor, "action.create", community),
        },
    )


def sub_actions(session: Session, actor: Actor, action_id: Any) -> list[ActionRow]:
    """The sub-actions of one action the actor may read (NotFound otherwise), as list rows."""
    action = get_action(session, actor, action_id)
    rows, _ = find_actions(session, actor, parent_id=action.id, limit=200)
    return rows


def action_history(session: Session, actor: Actor, action_id: Any) -> list[Entry]:
    """What happened to one action the actor may read (NotFound otherwise), newest first, as
    sentences (cop.core.history). Ticking a milestone or changing an indicator is part of it."""
    action = get_action(session, actor, action_id)
    assert action.id is not None  # a stored action
    return history.describe(
        session,
        audit.history(
            session,
            "action",
            action.id,
            parts={
                "action_milestone": _part_ids(session, ActionMilestone, action.id),
                "action_indicator": _part_ids(session, ActionIndicator, action.id),
            },
        ),
    )


def _part_ids(
    session: Session, part: type[ActionMilestone] | type[ActionIndicator], action_id: int
) -> list[int]:
    """Every milestone's or indicator's id of the action, removed ones included (their events stay)."""
    return [i for i in session.exec(select(part.id).where(part.action_id == action_id)) if i]
