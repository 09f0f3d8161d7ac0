"""The action an outcome becomes: a workshop's action outcomes turned into tracked joint actions.

An action outcome offers "create action": the joint action it creates points
back to the workshop and the outcome, which is how a closed workshop's
decisions turn into tracked work. Creating it does not change the workshop, so
it is allowed after the workshop is closed. It lives with the actions because
an action knows its workshop, not the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from cop.actions import service as actions
from cop.actions.models import Action
from cop.core import records
from cop.core.i18n import N_
from cop.core.markdown import plain_text
from cop.core.messages import Message
from cop.core.permissions import Actor
from cop.core.validation import Checker
from cop.workshops.models import Outcome, OutcomeKind
from cop.workshops.service import workshop_in_scope


@dataclass(frozen=True)
class OutcomeWithAction:
    """A workshop outcome and the action made from it, so the page links it or offers "create action"."""

    outcome: Outcome
    action_id: int | None
    action_title: str | None


def outcomes_with_actions(session: Session, workshop_id: int) -> list[OutcomeWithAction]:
    """The workshop's live outcomes with the action created from each, if any (read access checked by the caller)."""
    rows = session.exec(
        select(Outcome, Action.id, Action.title)
        .join(
            Action,
            (col(Action.outcome_id) == Outcome.id) & col(Action.deleted_at).is_(None),
            isouter=True,
        )
        .where(Outcome.workshop_id == workshop_id, col(Outcome.deleted_at).is_(None))
        .order_by(col(Outcome.id))
    )
    return [
        OutcomeWithAction(outcome=o, action_id=action_id, action_title=action_title)
        for o, action_id, action_title in rows
    ]


def default_action_title(text: str) -> str:
    """The first line of the outcome as plain text (a title is never Markdown), shortened to a title."""
    first = next((line.strip() for line in plain_text(text).splitlines() if line.strip()), "")
    return first if len(first) <= 200 else first[:199].rstrip() + "…"


def create_action_from_outcome(
    session: Session,
    actor: Actor,
    outcome_id: int,
    *,
    owner_person_id: int,
    due_date: date | str,
    title: str | None = None,
) -> Action:
    """The joint action an action outcome calls for, linked back to its workshop and outcome."""
    outcome = records.get_live(session, Outcome, outcome_id, for_update=True, label=N_("outcome"))
    workshop, community = workshop_in_scope(session, actor, outcome.workshop_id, "action.create")
    chk = Checker()
    if outcome.kind != OutcomeKind.ACTION:
        chk.fail("kind", N_("Only an action outcome can become an action."))
    existing = session.exec(
        select(Action.id).where(Action.outcome_id == outcome.id, col(Action.deleted_at).is_(None))
    ).first()
    if existing is not None:
        chk.fail(
            "outcome_id",
            Message(N_("This outcome already became action {action}."), action=existing),
        )
    chk.raise_if_any()
    assert community.id is not None  # workshop_in_scope read it from the database
    return actions.create_action(
        session,
        actor,
        community_id=community.id,
        title=default_action_title(outcome.text) if title is None else title,
        owner_person_id=owner_person_id,
        due_date=due_date,
        workshop_id=workshop.id,
        outcome_id=outcome.id,
    )
