"""Reading practices: who may see which, the paged and filtered list, and one practice's page.

Every member of a community (any role) and admins see all of its practices
whatever their status; a signed-in user outside a workspace-visible community
sees only its approved practices; a private community's practices do not
exist for outsiders (NotFound, never PermissionDenied). Lists filter, count
and page in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cop.communities.models import Community, Organisation
from cop.communities.service import get_community
from cop.core import audit, history, records
from cop.core.errors import NotFound, ValidationError
from cop.core.history import Entry
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, Visibility
from cop.core.tags import tag_key
from cop.core.validation import Checker, record_id
from cop.practices.models import (
    Practice,
    PracticeImage,
    PracticeOrganisation,
    PracticeTag,
    PracticeWorkshop,
    ReviewStatus,
    TagKind,
)
from cop.workshops.models import Workshop

MAX_PAGE = 200
EXCERPT = 300


def may_read(actor: Actor, community: Community, practice: Practice) -> bool:
    """Community members see every status; other readers only what was approved."""
    if actor.is_admin or actor.role_in(community.id) is not None:
        return True
    return practice.status == ReviewStatus.APPROVED


def get_practice(
    session: Session, actor: Actor, practice_id: Any, *, for_update: bool = False
) -> tuple[Practice, Community]:
    """A practice the actor may read, with its community; anything else is NotFound."""
    practice = records.get_live(
        session, Practice, practice_id, for_update=for_update, label=N_("practice")
    )
    try:
        community = get_community(session, actor, practice.community_id)
    except NotFound:
        raise NotFound(
            Message(N_("There is no {label} with id {id}."), label=N_("practice"), id=practice_id)
        ) from None
    if not may_read(actor, community, practice):
        raise NotFound(
            Message(N_("There is no {label} with id {id}."), label=N_("practice"), id=practice_id)
        )
    return practice, community


def readable_practices(actor: Actor) -> sa.ColumnElement[bool]:
    """The SQL form of ``may_read`` over practices joined to their community."""
    live = sa.and_(col(Practice.deleted_at).is_(None), col(Community.deleted_at).is_(None))
    if actor.is_admin:
        return live
    return sa.and_(
        live,
        sa.or_(
            col(Practice.community_id).in_(list(actor.roles) or [-1]),
            sa.and_(
                col(Community.visibility) == Visibility.WORKSPACE,
                col(Practice.status) == ReviewStatus.APPROVED,
            ),
        ),
    )


def _has_tag(kind: TagKind, value: str) -> sa.ColumnElement[bool]:
    return sa.exists().where(
        col(PracticeTag.practice_id) == Practice.id,
        col(PracticeTag.kind) == kind.value,
        col(PracticeTag.key) == tag_key(value),
    )


@dataclass(frozen=True, slots=True)
class PracticeRow:
    """One practice as lists show it (the fields in the order the list's query selects them),
    so a list reads fields the type checker knows instead of dict keys."""

    id: int
    version: int
    title: str
    community_id: int
    community: str
    organisation_id: int
    city: str
    status: str
    started_on: date | None
    ended_on: date | None
    is_regular_service: bool
    people_reached: int | None
    summary: str
    themes: list[str]
    target_groups: list[str]
    updated_at: datetime


def find_practices(
    session: Session,
    actor: Actor,
    *,
    community_id: int | None = None,
    organisation_id: int | None = None,
    theme: str | None = None,
    target_group: str | None = None,
    status: str | None = None,
    text: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[PracticeRow], int]:
    """One page of the practices the actor may read, newest change first, and how many match in all.

    ``organisation_id`` is the city running the practice; ``text`` matches the
    title, summary or how it works, case-insensitively, with ``%`` and ``_``
    taken literally.
    """
    chk = Checker()
    text = chk.search("text", text)
    theme = chk.search("theme", theme, label=N_("The theme"))
    target_group = chk.search("target_group", target_group, label=N_("The target group"))
    if status:
        chk.choice("status", status, [s.value for s in ReviewStatus], label=N_("The status"))
    chk.raise_if_any()
    conditions = [readable_practices(actor)]
    if community_id is not None:
        conditions.append(
            col(Practice.community_id) == get_community(session, actor, community_id).id
        )
    if organisation_id is not None:
        city = record_id(organisation_id)
        if city is None:
            raise ValidationError({"organisation_id": N_("Choose a city from the list.")})
        conditions.append(col(Practice.organisation_id) == city)
    if theme:
        conditions.append(_has_tag(TagKind.THEME, theme))
    if target_group:
        conditions.append(_has_tag(TagKind.TARGET_GROUP, target_group))
    if status:
        conditions.append(col(Practice.status) == status)
    if text:
        needle = text
        conditions.append(
            sa.or_(
                *(
                    col(field).icontains(needle, autoescape=True)
                    for field in (Practice.title, Practice.summary, Practice.how_it_works)
                )
            )
        )
    where = sa.and_(*conditions)
    total = session.exec(
        select(func.count(col(Practice.id)))
        .join(Community, col(Community.id) == Practice.community_id)
        .where(where)
    ).one()
    stmt = (
        sa.select(
            col(Practice.id),
            col(Practice.version),
            col(Practice.title),
            col(Practice.community_id),
            col(Community.name),
            col(Practice.organisation_id),
            col(Organisation.name),
            col(Practice.status),
            col(Practice.started_on),
            col(Practice.ended_on),
            col(Practice.is_regular_service),
            col(Practice.people_reached),
            func.substr(Practice.summary, 1, EXCERPT),
            col(Practice.themes),
            col(Practice.target_groups),
            col(Practice.updated_at),
        )
        .join(Community, col(Community.id) == Practice.community_id)
        .join(Organisation, col(Organisation.id) == Practice.organisation_id)
        .where(where)
        .order_by(col(Practice.updated_at).desc(), col(Practice.id).desc())
        .limit(max(1, min(int(limit), MAX_PAGE)))
        .offset(max(0, int(offset)))
    )
    return [PracticeRow(*row) for row in session.execute(stmt)], int(total)


def known_tags(
    session: Session, actor: Actor, kind: TagKind | str, community_id: int | None = None
) -> list[str]:
    """The themes (or target groups) used by practices the actor may read, for filter choices."""
    stmt = (
        select(func.min(PracticeTag.value))
        .join(Practice, col(Practice.id) == PracticeTag.practice_id)
        .join(Community, col(Community.id) == Practice.community_id)
        .where(readable_practices(actor), PracticeTag.kind == TagKind(kind).value)
        .group_by(PracticeTag.key)
        .order_by(PracticeTag.key)
    )
    if community_id is not None:
        stmt = stmt.where(Practice.community_id == get_community(session, actor, community_id).id)
    return list(session.exec(stmt))


@dataclass
class PracticeDetail:
    """Everything a practice's page shows, including where the practice was seen."""

    practice: Practice
    community: Community
    city: Organisation
    implementers: list[Organisation]
    images: list[dict[str, Any]]
    workshops: list[dict[str, Any]]


def practice_history(session: Session, actor: Actor, practice_id: Any) -> list[Entry]:
    """What happened to a practice and its images, newest first, as sentences (cop.core.history)."""
    practice, _community = get_practice(session, actor, practice_id)
    assert practice.id is not None  # a stored practice
    images = list(
        session.exec(select(PracticeImage.id).where(PracticeImage.practice_id == practice.id))
    )
    events = audit.history(
        session,
        "practice",
        practice.id,
        parts={"practice_image": images},  # type: ignore[dict-item]  # ids of stored rows are never None
    )
    return history.describe(session, events)


def practice_detail(session: Session, actor: Actor, practice_id: Any) -> PracticeDetail:
    """One practice with its city, implementers, images (without their bytes) and workshops."""
    practice, community = get_practice(session, actor, practice_id)
    city = session.get(Organisation, practice.organisation_id)
    implementers = list(
        session.exec(
            select(Organisation)
            .join(
                PracticeOrganisation, col(PracticeOrganisation.organisation_id) == Organisation.id
            )
            .where(PracticeOrganisation.practice_id == practice.id)
            .order_by(Organisation.name)
        )
    )
    images = [
        {"id": i, "version": v, "content_type": t, "alt_text": a, "credit": c, "size": n}
        for i, v, t, a, c, n in session.execute(
            sa.select(
                col(PracticeImage.id),
                col(PracticeImage.version),
                col(PracticeImage.content_type),
                col(PracticeImage.alt_text),
                col(PracticeImage.credit),
                func.length(PracticeImage.data),
            )
            .where(
                col(PracticeImage.practice_id) == practice.id,
                col(PracticeImage.deleted_at).is_(None),
            )
            .order_by(col(PracticeImage.id))
        )
    ]
    workshops = [
        {"id": i, "title": t, "kind": k, "starts_at": s, "status": st, "place": p}
        for i, t, k, s, st, p in session.execute(
            sa.select(
                col(Workshop.id),
                col(Workshop.title),
                col(Workshop.kind),
                col(Workshop.starts_at),
                col(Workshop.status),
                col(Workshop.place),
            )
            .join(PracticeWorkshop, col(PracticeWorkshop.workshop_id) == Workshop.id)
            .where(
                col(PracticeWorkshop.practice_id) == practice.id,
                col(Workshop.deleted_at).is_(None),
            )
            .order_by(col(Workshop.starts_at))
        )
    ]
    return PracticeDetail(practice, community, city, implementers, images, workshops)  # type: ignore[arg-type]  # city: organisation_id is a NOT NULL foreign key with ON DELETE RESTRICT


@dataclass(frozen=True)
class PracticeSeen:
    """A practice presented at a workshop or visit, as that workshop's page lists it."""

    id: int
    title: str
    city: str
    status: str


def practices_seen_at(session: Session, actor: Actor, workshop_id: int) -> list[PracticeSeen]:
    """The other way of ``practice_detail``'s workshops: what was seen at this workshop.

    Only practices the actor may read (``readable_practices``), by title; the
    caller has checked that the actor may read the workshop.
    """
    rows = session.execute(
        sa.select(
            col(Practice.id), col(Practice.title), col(Organisation.name), col(Practice.status)
        )
        .join(PracticeWorkshop, col(PracticeWorkshop.practice_id) == Practice.id)
        .join(Community, col(Community.id) == Practice.community_id)
        .join(Organisation, col(Organisation.id) == Practice.organisation_id)
        .where(col(PracticeWorkshop.workshop_id) == workshop_id, readable_practices(actor))
        .order_by(col(Practice.title), col(Practice.id))
    )
    return [PracticeSeen(i, t, c, s) for i, t, c, s in rows]
