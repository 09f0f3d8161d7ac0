"""What a workshop produced: insights, decisions and actions.

The joint action an action outcome becomes is created by cop.actions.outcomes.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from cop.core import records
from cop.core.i18n import N_
from cop.core.permissions import Actor
from cop.core.validation import Checker
from cop.workshops.models import Outcome, OutcomeKind
from cop.workshops.service import editable_workshop

KINDS = [k.value for k in OutcomeKind]


def _check_outcome(chk: Checker, kind: Any, text: Any) -> dict[str, Any]:
    return {
        "kind": chk.choice("kind", kind, KINDS, label=N_("The kind of outcome")),
        "text": chk.long_text("text", text, label=N_("The outcome"), required=True),
    }


def add_outcome(
    session: Session, actor: Actor, workshop_id: int, *, kind: str, text: str
) -> Outcome:
    workshop, community = editable_workshop(session, actor, workshop_id, "workshop.update")
    chk = Checker()
    values = _check_outcome(chk, kind, text)
    chk.raise_if_any()
    assert workshop.id is not None  # editable_workshop read it from the database
    outcome = Outcome(workshop_id=workshop.id, **values)
    return records.create(
        session, actor, outcome, community_id=community.id, action="outcome.create"
    )


def update_outcome(
    session: Session, actor: Actor, outcome_id: int, version: int, *, kind: str, text: str
) -> Outcome:
    outcome = records.get_live(session, Outcome, outcome_id, for_update=True, label=N_("outcome"))
    _, community = editable_workshop(session, actor, outcome.workshop_id, "workshop.update")
    chk = Checker()
    values = _check_outcome(chk, kind, text)
    chk.raise_if_any()
    records.save(
        session, actor, outcome, version, values, action="outcome.update", community_id=community.id
    )
    return outcome


def remove_outcome(session: Session, actor: Actor, outcome_id: int) -> None:
    outcome = records.get_live(session, Outcome, outcome_id, for_update=True, label=N_("outcome"))
    _, community = editable_workshop(session, actor, outcome.workshop_id, "workshop.update")
    records.soft_delete(session, actor, outcome, action="outcome.delete", community_id=community.id)


def live_outcomes(session: Session, workshop_id: int) -> list[Outcome]:
    """The workshop's live outcomes in the order they were recorded (read access checked by the caller)."""
    stmt = (
        select(Outcome)
        .where(Outcome.workshop_id == workshop_id, col(Outcome.deleted_at).is_(None))
        .order_by(col(Outcome.id))
    )
    return list(session.exec(stmt))
