"""A community's standards: what good looks like, in the order the community agreed.

Standards are reviewed like practices (see ``review_status``): members draft
and submit, facilitators approve or send back; a member's edit of an approved
standard puts it back in review, a facilitator's keeps it approved. Members
of the community (any role) see every status; readers from outside a
workspace-visible community see only approved standards.

Order is a ``position`` per community. New standards go last; ``move_standard``
swaps a standard with its neighbour. Both lock the community row first, so two
people reordering at once on PostgreSQL queue instead of interleaving (SQLite's
BEGIN IMMEDIATE already serialises writers).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cop.communities.models import Community
from cop.communities.service import get_community
from cop.core import records
from cop.core.errors import NotFound
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, Visibility, authorize
from cop.core.validation import Checker
from cop.practices import review as review_status
from cop.practices.models import ReviewStatus, Standard

TEXTS: dict[str, str] = {
    "statement": N_("The statement"),
    "success_factors": N_("The key success factors"),
    "guiding_questions": N_("The guiding questions"),
    "indicators": N_("The indicators"),
}
DIRECTIONS = ("up", "down")


def may_read(actor: Actor, community: Community, standard: Standard) -> bool:
    if actor.is_admin or actor.role_in(community.id) is not None:
        return True
    return standard.status == ReviewStatus.APPROVED


def readable_standards(actor: Actor) -> sa.ColumnElement[bool]:
    """The SQL form of ``may_read`` over standards joined to their community."""
    live = sa.and_(col(Standard.deleted_at).is_(None), col(Community.deleted_at).is_(None))
    if actor.is_admin:
        return live
    return sa.and_(
        live,
        sa.or_(
            col(Standard.community_id).in_(list(actor.roles) or [-1]),
            sa.and_(
                col(Community.visibility) == Visibility.WORKSPACE,
                col(Standard.status) == ReviewStatus.APPROVED,
            ),
        ),
    )


def get_standard(
    session: Session, actor: Actor, standard_id: Any, *, for_update: bool = False
) -> tuple[Standard, Community]:
    """A standard the actor may read, with its community; anything else is NotFound."""
    standard = records.get_live(
        session, Standard, standard_id, for_update=for_update, label=N_("standard")
    )
    try:
        community = get_community(session, actor, standard.community_id)
    except NotFound:
        raise NotFound(
            Message(N_("There is no {label} with id {id}."), label=N_("standard"), id=standard_id)
        ) from None
    if not may_read(actor, community, standard):
        raise NotFound(
            Message(N_("There is no {label} with id {id}."), label=N_("standard"), id=standard_id)
        )
    return standard, community


def list_standards(session: Session, actor: Actor, community_id: int) -> list[Standard]:
    """The community's standards the actor may read, in order."""
    community = get_community(session, actor, community_id)
    return list(
        session.exec(
            select(Standard)
            .join(Community, col(Community.id) == Standard.community_id)
            .where(Standard.community_id == community.id, readable_standards(actor))
            .order_by(col(Standard.position), col(Standard.id))
        )
    )


def _check(chk: Checker, fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    unknown = set(fields) - {"title", *TEXTS}
    if unknown:
        raise TypeError(f"Unknown standard fields: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    if "title" in fields or creating:
        values["title"] = chk.title("title", fields.get("title"), label=N_("The title"))
    for field, label in TEXTS.items():
        if field in fields or (creating and field == "statement"):
            values[field] = chk.long_text(
                field, fields.get(field), label=label, required=field == "statement"
            )
    return values


def create_standard(session: Session, actor: Actor, community_id: int, **fields: Any) -> Standard:
    """A new draft standard, placed last; title and statement are required."""
    community = get_community(session, actor, community_id)
    authorize(actor, "standard.create", community)
    chk = Checker()
    values = _check(chk, fields, creating=True)
    chk.raise_if_any()
    assert community.id is not None  # get_community read it from the database
    records.get_live(session, Community, community.id, for_update=True, label=N_("community"))
    # Deleted standards keep their place, so one restored later never shares a position.
    last = session.exec(
        select(func.max(Standard.position)).where(Standard.community_id == community.id)
    ).one()
    standard = Standard(
        community_id=community.id, position=(last or 0) + 1, status=ReviewStatus.DRAFT, **values
    )
    return records.create(session, actor, standard, action="standard.create")


def update_standard(
    session: Session, actor: Actor, standard_id: int, version: int, **fields: Any
) -> Standard:
    """Change the given fields; a member's edit of an approved standard goes back to review."""
    standard, community = get_standard(session, actor, standard_id, for_update=True)
    authorize(actor, "standard.update", community)
    chk = Checker()
    values = _check(chk, fields, creating=False)
    chk.raise_if_any()
    if any(getattr(standard, k) != v for k, v in values.items()):
        values["status"] = review_status.status_after_edit(actor, community, standard.status)
    records.save(
        session,
        actor,
        standard,
        version,
        values,
        action="standard.update",
        community_id=community.id,
    )
    return standard


def submit_standard(session: Session, actor: Actor, standard_id: int, version: int) -> Standard:
    standard, community = get_standard(session, actor, standard_id, for_update=True)
    review_status.submit(session, actor, standard, community, version, area="standard")
    return standard


def approve_standard(session: Session, actor: Actor, standard_id: int, version: int) -> Standard:
    standard, community = get_standard(session, actor, standard_id, for_update=True)
    review_status.approve(session, actor, standard, community, version, area="standard")
    return standard


def send_back_standard(
    session: Session, actor: Actor, standard_id: int, version: int, note: str = ""
) -> Standard:
    standard, community = get_standard(session, actor, standard_id, for_update=True)
    review_status.send_back(
        session, actor, standard, community, version, area="standard", note=note
    )
    return standard


def move_standard(
    session: Session, actor: Actor, standard_id: int, version: int, direction: str
) -> Standard:
    """Swap the standard with the one before (``up``) or after (``down``) it."""
    standard, community = get_standard(session, actor, standard_id, for_update=True)
    authorize(actor, "standard.reorder", community)
    chk = Checker()
    chk.choice("direction", direction, DIRECTIONS, label=N_("The direction"))
    chk.raise_if_any()
    # A move from a stale page is a conflict, whatever the order looks like now.
    records.save(
        session, actor, standard, version, {}, action="standard.reorder", community_id=community.id
    )
    records.get_live(session, Community, community.id, for_update=True, label=N_("community"))
    up = direction == "up"
    # Positions are unique per community (new ones go last under the community lock).
    beyond = (
        col(Standard.position) < standard.position
        if up
        else col(Standard.position) > standard.position
    )
    order = col(Standard.position).desc() if up else col(Standard.position)
    neighbour = session.exec(
        select(Standard)
        .where(Standard.community_id == community.id, col(Standard.deleted_at).is_(None), beyond)
        .order_by(order)
        .limit(1)
        .with_for_update()
    ).first()
    if neighbour is None:
        chk.fail(
            "direction",
            N_("This standard is already the first.")
            if up
            else N_("This standard is already the last."),
        )
        chk.raise_if_any()
    assert neighbour is not None  # raise_if_any raised without one
    mine, theirs = standard.position, neighbour.position
    records.save(
        session,
        actor,
        standard,
        version,
        {"position": theirs},
        action="standard.reorder",
        community_id=community.id,
    )
    records.save(
        session,
        actor,
        neighbour,
        neighbour.version,
        {"position": mine},
        action="standard.reorder",
        community_id=community.id,
    )
    return standard


def delete_standard(session: Session, actor: Actor, standard_id: int) -> None:
    """Hide the standard and, with it, its scores from heatmaps and trends; ``restore_standard`` undoes it."""
    standard, community = get_standard(session, actor, standard_id, for_update=True)
    authorize(actor, "standard.delete", community)
    records.soft_delete(
        session, actor, standard, action="standard.delete", community_id=community.id
    )


def restore_standard(session: Session, actor: Actor, standard_id: int) -> Standard:
    standard = records.get_deleted(session, Standard, standard_id)
    community = get_community(session, actor, standard.community_id)
    authorize(actor, "standard.delete", community)
    return records.restore(
        session, actor, standard, action="standard.restore", community_id=community.id
    )
