"""The home page's figures: counted in SQL, only over what the actor may read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, func, select

from cop.accounts import notifications
from cop.accounts.models import Notification
from cop.actions.progress import DRIVEN_BY_CHILDREN, DRIVEN_BY_MILESTONES
from cop.communities.models import Community, Membership, Person
from cop.communities.service import visible_communities
from cop.core import clock, history
from cop.core.audit import AuditEvent
from cop.core.history import Entry
from cop.core.permissions import Actor
from cop.workshops.queries import WorkshopRow, upcoming_workshops

DUE_SOON_DAYS = 14
OPEN_STATUSES = ("idea", "planned", "in_progress")


@dataclass(frozen=True, slots=True)
class DueAction:
    """An open action of mine that is overdue or due soon, as home lists it: a misspelt field is a type error."""

    id: int
    title: str
    due_date: date
    status: str
    progress: int
    progress_mode: str
    sub_actions: int
    community_id: int
    community: str
    overdue: bool
    progress_from: tuple[str, int] | None  # where a roll-up comes from; None: the posted percentage


@dataclass(frozen=True, slots=True)
class MonthCount:
    """How many workshops one community held in one month ("2026-05"), for the admin's chart."""

    month: str
    community: str
    workshops: int


def _table(name: str) -> sa.Table | None:
    return SQLModel.metadata.tables.get(name)


def _count_by_community(
    session: Session, table_name: str, community_ids: list[int], *where: Any
) -> dict[int, int]:
    table = _table(table_name)
    if table is None or not community_ids:
        return {}
    stmt = (
        sa.select(table.c.community_id, func.count())
        .where(table.c.community_id.in_(community_ids), table.c.deleted_at.is_(None), *where)
        .group_by(table.c.community_id)
    )
    return {cid: n for cid, n in session.execute(stmt)}


@dataclass(frozen=True, slots=True)
class CommunityFigures:
    """A community's key figures on Home, so the page reads fields the type checker knows."""

    people: int = 0
    organisations: int = 0
    workshops_held: int = 0
    practices: int = 0
    actions_by_status: dict[str, int] = field(default_factory=dict)
    chapter_status: str = ""


def community_figures(
    session: Session, actor: Actor, community_ids: list[int]
) -> dict[int, CommunityFigures]:
    """Key figures per community: workshops held, people and cities, actions by status, practices."""
    readable = {c.id for c in visible_communities(session, actor, include_archived=True)}
    ids = [c for c in community_ids if c in readable]
    counted: dict[int, tuple[int, int]] = {}
    people = session.exec(
        select(
            Membership.community_id,
            func.count(col(Membership.id)),
            func.count(func.distinct(Person.organisation_id)),
        )
        .join(Person, col(Person.id) == Membership.person_id)
        .where(col(Membership.community_id).in_(ids or [-1]), col(Membership.deleted_at).is_(None))
        .group_by(col(Membership.community_id))
    )
    for cid, n_people, n_orgs in people:
        counted[cid] = (n_people, n_orgs)
    workshop = _table("workshop")
    held = (
        _count_by_community(session, "workshop", ids, workshop.c.status.in_(["held", "closed"]))
        if workshop is not None
        else {}
    )
    practices = _count_by_community(session, "practice", ids)
    action = _table("action")
    by_status: dict[int, dict[str, int]] = {}
    if action is not None:
        rows = session.execute(
            sa.select(action.c.community_id, action.c.status, func.count())
            .where(action.c.community_id.in_(ids or [-1]), action.c.deleted_at.is_(None))
            .group_by(action.c.community_id, action.c.status)
        )
        for cid, status, n in rows:
            by_status.setdefault(cid, {})[status] = n
    chapter = _table("chapter")
    chapter_status: dict[int, str] = {}
    if chapter is not None and "status" in chapter.c:
        for cid, status in session.execute(
            sa.select(chapter.c.community_id, chapter.c.status)
            .where(chapter.c.community_id.in_(ids or [-1]), chapter.c.deleted_at.is_(None))
            .order_by(chapter.c.id)
        ):
            chapter_status[cid] = status
    return {
        cid: CommunityFigures(
            people=counted.get(cid, (0, 0))[0],
            organisations=counted.get(cid, (0, 0))[1],
            workshops_held=held.get(cid, 0),
            practices=practices.get(cid, 0),
            actions_by_status=by_status.get(cid, {}),
            chapter_status=chapter_status.get(cid, ""),
        )
        for cid in ids
    }


def my_due_actions(session: Session, actor: Actor, days: int = DUE_SOON_DAYS) -> list[DueAction]:
    """Open actions I own that are overdue or due within ``days``, most urgent first."""
    action = _table("action")
    if action is None or actor.person_id is None:
        return []
    today = clock.today()
    owner = action.c.owner_person_id == actor.person_id
    co_owner = _table("action_co_owner")
    if co_owner is not None:
        owner = sa.or_(
            owner,
            action.c.id.in_(
                sa.select(co_owner.c.action_id).where(co_owner.c.person_id == actor.person_id)
            ),
        )
    # A parent's percentage is its sub-actions' mean: counted here so the line can say so.
    child = action.alias("child")
    sub_actions = (
        sa.select(func.count())
        .where(
            child.c.parent_id == action.c.id,
            child.c.deleted_at.is_(None),
            child.c.status != "dropped",
        )
        .scalar_subquery()
    )
    stmt = (
        sa.select(
            action.c.id,
            action.c.title,
            action.c.due_date,
            action.c.status,
            action.c.progress,
            action.c.progress_mode,
            sub_actions.label("sub_actions"),
            action.c.community_id,
            col(Community.name).label("community"),
        )
        .join(Community, col(Community.id) == action.c.community_id)
        .where(
            owner,
            action.c.deleted_at.is_(None),
            action.c.status.in_(OPEN_STATUSES),
            action.c.due_date <= today + timedelta(days=days),
        )
        .order_by(action.c.due_date, action.c.id)
        .limit(50)
    )
    rows = list(session.execute(stmt))
    milestones = _table("action_milestone")
    in_mode = [r.id for r in rows if not r.sub_actions and r.progress_mode == "milestones"]
    counts: dict[int, int] = {}
    if milestones is not None and in_mode:
        counts = {
            int(aid): int(n)
            for aid, n in session.execute(
                sa.select(milestones.c.action_id, func.count())
                .where(milestones.c.action_id.in_(in_mode), milestones.c.deleted_at.is_(None))
                .group_by(milestones.c.action_id)
            )
        }
    return [
        DueAction(
            **row._asdict(),
            overdue=row.due_date < today,
            progress_from=(
                (DRIVEN_BY_CHILDREN, int(row.sub_actions))
                if row.sub_actions
                else (DRIVEN_BY_MILESTONES, counts.get(row.id, 0))
                if row.progress_mode == "milestones"
                else None
            ),
        )
        for row in rows
    ]


def recent_activity(session: Session, actor: Actor, limit: int = 15) -> list[Entry]:
    """The latest audit events of communities the actor may read (admins: everything), as sentences.

    Only who, what, which record and when are shown, never the changed values:
    those may hold personal data of people outside the reader's communities.
    """
    stmt = select(AuditEvent)
    if not actor.is_admin:
        readable = [c.id for c in visible_communities(session, actor)]
        stmt = stmt.where(col(AuditEvent.community_id).in_(readable or [-1]))
    stmt = stmt.order_by(col(AuditEvent.id).desc()).limit(limit)
    return history.describe(session, session.exec(stmt), with_changes=False)


def workshops_per_month(session: Session, actor: Actor, months: int = 12) -> list[MonthCount]:
    """Workshops per month and community over the past ``months`` (the admin's overview)."""
    workshop = _table("workshop")
    if workshop is None:
        return []
    readable = [c.id for c in visible_communities(session, actor)]
    since = clock.now() - timedelta(days=31 * months)
    if session.get_bind().dialect.name == "sqlite":
        month = func.strftime("%Y-%m", workshop.c.starts_at)
    else:
        month = func.to_char(func.timezone("UTC", workshop.c.starts_at), "YYYY-MM")
    stmt = (
        sa.select(month.label("month"), col(Community.name), func.count())
        .join(Community, col(Community.id) == workshop.c.community_id)
        .where(
            workshop.c.community_id.in_(readable or [-1]),
            workshop.c.deleted_at.is_(None),
            workshop.c.starts_at >= since,
        )
        .group_by(month, Community.name)
        .order_by(month, Community.name)
    )
    return [MonthCount(month=m, community=c, workshops=n) for m, c, n in session.execute(stmt)]


@dataclass(frozen=True, slots=True)
class HomeOverview:
    """What the home page shows of the records, read in one session so the page can keep it whole.

    Recent activity is read apart (``recent_activity``): it is the audit log, which every
    posted update adds to, while these figures stay as they are until a record changes.
    """

    names: dict[int, str]
    mine: list[Community]
    figures: dict[int, CommunityFigures]
    due: list[DueAction]
    upcoming: list[WorkshopRow]
    inbox: list[Notification]
    unread_total: int
    per_month: list[MonthCount]


def home_overview(session: Session, actor: Actor, community_id: int | None = None) -> HomeOverview:
    """What the home page shows of the records (all but recent activity), in one session.

    ``community_id`` narrows the communities and upcoming workshops to the one
    chosen in the sidebar; None means all of the actor's communities.
    """
    visible = visible_communities(session, actor)
    mine = [
        c
        for c in visible
        if (actor.is_admin or c.id in actor.roles) and community_id in (None, c.id)
    ]
    inbox, unread_total = notifications.inbox(session, actor, unread_only=True, limit=10)
    return HomeOverview(
        names={c.id: c.name for c in visible if c.id is not None},
        mine=mine,
        figures=community_figures(session, actor, [c.id for c in mine if c.id is not None]),
        due=my_due_actions(session, actor),
        upcoming=upcoming_workshops(session, actor, limit=8, community_id=community_id),
        inbox=inbox,
        unread_total=unread_total,
        per_month=workshops_per_month(session, actor) if actor.is_admin else [],
    )
