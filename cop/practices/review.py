"""The review workflow practices and standards share: draft -> in review -> approved.

Members draft and submit; facilitators approve, or send back to draft with a
note that tells the authors what to change. A facilitator may also approve a
draft directly (there is nobody above them to submit to).

Editing an approved record: an edit by a member puts it back *in review*
(the community published the approved wording, so a facilitator looks at the
change before it counts as approved again; it does not fall back to draft,
because the author has nothing left to finish); an edit by a facilitator or
an admin keeps it approved, since they are the ones who would approve it.
"""

from __future__ import annotations

from sqlmodel import Session, SQLModel

from cop.communities.models import Community
from cop.core import records
from cop.core.columns import Editable
from cop.core.errors import ValidationError
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, Role, authorize
from cop.core.validation import Checker
from cop.practices.models import ReviewStatus

STATUSES = [s.value for s in ReviewStatus]
STATUS_LABELS: dict[str, str] = {
    ReviewStatus.DRAFT: "draft",
    ReviewStatus.IN_REVIEW: "in review",
    ReviewStatus.APPROVED: "approved",
}
# For "This practice is draft; it cannot be approved.": the record, by area, and what cannot be done.
THIS_RECORD = {"practice": N_("This practice"), "standard": N_("This standard")}
WRONG_STATUS = N_("{record} is {status}; it cannot be {doing}.")


def reviews(actor: Actor, community: Community) -> bool:
    """Facilitators (and admins) are the reviewers of a community."""
    return actor.is_admin or actor.role_in(community.id) == Role.FACILITATOR


def status_after_edit(actor: Actor, community: Community, status: str) -> str:
    """The status a record has after ``actor`` edits it (see the module docstring)."""
    if status == ReviewStatus.APPROVED and not reviews(actor, community):
        return ReviewStatus.IN_REVIEW
    return status


def _require_status(record: SQLModel, allowed: set[str], doing: str, label: str) -> None:
    status: str = getattr(record, "status", "")
    if status not in allowed:
        record_name = Message(THIS_RECORD[label]) if label in THIS_RECORD else f"This {label}"
        raise ValidationError(
            {
                "status": Message(
                    WRONG_STATUS,
                    record=record_name,
                    status=Message(STATUS_LABELS.get(status, status)),
                    doing=Message(doing),
                )
            }
        )


def submit(
    session: Session,
    actor: Actor,
    record: Editable,
    community: Community,
    version: int,
    *,
    area: str,
) -> None:
    """A draft goes to the facilitators for review."""
    authorize(actor, f"{area}.submit", community)
    _require_status(record, {ReviewStatus.DRAFT}, N_("submitted for review"), area)
    records.save(
        session,
        actor,
        record,
        version,
        {"status": ReviewStatus.IN_REVIEW},
        action=f"{area}.submit",
        community_id=community.id,
    )


def approve(
    session: Session,
    actor: Actor,
    record: Editable,
    community: Community,
    version: int,
    *,
    area: str,
) -> None:
    """A facilitator accepts the record; any earlier review note is done with."""
    authorize(actor, f"{area}.approve", community)
    _require_status(record, {ReviewStatus.DRAFT, ReviewStatus.IN_REVIEW}, N_("approved"), area)
    records.save(
        session,
        actor,
        record,
        version,
        {"status": ReviewStatus.APPROVED, "review_note": ""},
        action=f"{area}.approve",
        community_id=community.id,
    )


def send_back(
    session: Session,
    actor: Actor,
    record: Editable,
    community: Community,
    version: int,
    *,
    area: str,
    note: str,
) -> None:
    """A facilitator returns the record to draft, saying what should change."""
    authorize(actor, f"{area}.approve", community)
    _require_status(record, {ReviewStatus.IN_REVIEW, ReviewStatus.APPROVED}, N_("sent back"), area)
    chk = Checker()
    note = chk.long_text("review_note", note, label=N_("The note to the authors"))
    chk.raise_if_any()
    records.save(
        session,
        actor,
        record,
        version,
        {"status": ReviewStatus.DRAFT, "review_note": note},
        action=f"{area}.send_back",
        community_id=community.id,
    )
