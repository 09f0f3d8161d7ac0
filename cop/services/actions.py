"""Joint actions in their simplest form: a title, a community, an owner and a due date.

This is what a workshop's action outcome turns into, so the thread from a
closed workshop to the work that follows holds from the start.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from cop.errors import NotFound
from cop.models import Action, Community, Membership, Outcome, Workshop
from cop.permissions import Actor, authorize, can_read
from cop.services import records
from cop.validation import Checker


def is_member(session: Session, community_id: int, person_id: object) -> bool:
    """True when the person holds a live membership of the community."""
    try:
        person_id = int(person_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False
    return session.exec(
        select(Membership.id).where(
            Membership.community_id == community_id,
            Membership.person_id == person_id,
            col(Membership.deleted_at).is_(None),
        )
    ).first() is not None


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
) -> Action:
    """A new action owned by a member of the community, optionally linked to its workshop and outcome."""
    community = records.get_live(session, Community, community_id, label="community")
    if not can_read(actor, community):
        raise NotFound(f"There is no community with id {community_id}.")
    authorize(actor, "action.create", community)
    chk = Checker()
    title = chk.title("title", title, label="The title")
    if not is_member(session, community.id, owner_person_id):  # type: ignore[arg-type]
        chk.fail("owner_person_id", f"The owner must be a member of {community.name}.")
    due = chk.day("due_date", due_date, label="The due date")
    if workshop_id is not None:
        workshop = session.get(Workshop, workshop_id)
        if workshop is None or workshop.deleted_at is not None or workshop.community_id != community.id:
            chk.fail("workshop_id", "Choose a workshop of this community.")
    if outcome_id is not None:
        outcome = session.get(Outcome, outcome_id)
        if outcome is None or outcome.deleted_at is not None or outcome.workshop_id != workshop_id:
            chk.fail("outcome_id", "The outcome must belong to the linked workshop.")
    chk.raise_if_any()
    action = Action(
        community_id=community.id,  # type: ignore[arg-type]
        title=title,
        owner_person_id=int(owner_person_id),
        due_date=due,  # type: ignore[arg-type]
        workshop_id=workshop_id,
        outcome_id=outcome_id,
    )
    return records.create(session, actor, action, action="action.create")


def get_action(session: Session, actor: Actor, action_id: int | str) -> Action:
    """An action of a community the actor may read; otherwise it does not exist for them."""
    action = records.get_live(session, Action, action_id, label="action")
    community = session.get(Community, action.community_id)
    if community is None or not can_read(actor, community):
        raise NotFound(f"There is no action with id {action_id}.")
    return action
