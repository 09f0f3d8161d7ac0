"""Reading actions four ways: the filtered table, the board by status, the timeline and a city's plan.

All of them filter, count and page in SQL over the actions of communities the
actor may read (a private community's actions do not exist for outsiders),
and each row carries its latest update, fetched for the rows shown only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from cop.actions.models import Action, ActionCoOwner, ActionMilestone, ActionTag, ActionUpdate
from cop.actions.progress import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    STATUSES,
    progress_sources,
    rolled_up,
)
from cop.communities.models import Community, Organisation, Person
from cop.communities.service import get_community
from cop.core import clock
from cop.core.errors import NotFound, ValidationError
from cop.core.i18n import N_
from cop.core.markdown import plain_line
from cop.core.messages import Message
from cop.core.permissions import Actor, Role, Visibility
from cop.core.tags import tag_key
from cop.core.validation import Checker, record_id

MAX_PAGE = 200
BOARD_COLUMN = 15  # cards per status column; the table lists them all
TIMELINE_MAX = 300
CITY_PLAN_MAX = 2_000
UPDATE_EXCERPT = 200
Owner = aliased(Person, name="owner")
SORTS: dict[str, Any] = {
    "due_date": Action.due_date,
    "title": Action.title,
    "progress": Action.progress,
    "updated_at": Action.updated_at,
    "status": Action.status,
}
_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("id", Action.id),
    ("version", Action.version),
    ("title", Action.title),
    ("community_id", Action.community_id),
    ("community", Community.name),
    ("status", Action.status),
    ("progress", Action.progress),
    ("progress_mode", Action.progress_mode),
    ("priority", Action.priority),
    ("start_date", Action.start_date),
    ("due_date", Action.due_date),
    ("owner_person_id", Action.owner_person_id),
    ("owner", Owner.name),
    ("organisation_id", Action.organisation_id),
    ("city", Organisation.name),
    ("tags", Action.tags),
    ("parent_id", Action.parent_id),
    ("created_at", Action.created_at),
    ("updated_at", Action.updated_at),
)


def readable_actions(session: Session, actor: Actor) -> sa.ColumnElement[bool]:
    """Live actions of the communities the actor may read, as one condition on ``Action`` alone.

    It names the communities the actor may *not* read (deleted ones, and
    private ones they do not belong to), which are few: a NOT IN list lets
    the database walk the actions in due-date order, or count them in one
    pass, instead of merging an index range per readable community.
    """
    hidden = select(Community.id).where(col(Community.deleted_at).is_not(None))
    if not actor.is_admin:
        hidden = select(Community.id).where(
            sa.or_(
                col(Community.deleted_at).is_not(None),
                sa.and_(
                    col(Community.visibility) != Visibility.WORKSPACE,
                    col(Community.id).not_in(list(actor.roles) or [-1]),
                ),
            )
        )
    return sa.and_(
        col(Action.deleted_at).is_(None),
        col(Action.community_id).not_in(list(session.exec(hidden))),
    )


def overdue_condition(today: date | None = None) -> sa.ColumnElement[bool]:
    """Due before today and still open (done and dropped actions are never overdue).

    Written as "not closed" so the database walks the due-date index in order
    rather than sorting every open action of three status ranges.
    """
    return sa.and_(
        col(Action.due_date) < (today or clock.today()),
        col(Action.status).not_in(CLOSED_STATUSES),
    )


def _an_id(chk: Checker, name: str, value: Any, message: str) -> int | None:
    if value in (None, "", 0):
        return None
    number = record_id(value)
    if number is None:
        chk.fail(name, message)
    return number


def conditions(
    session: Session,
    actor: Actor,
    *,
    community_id: Any = None,
    organisation_id: Any = None,
    owner_person_id: Any = None,
    status: str | list[str] | None = None,
    due_from: Any = None,
    due_to: Any = None,
    tag: str | None = None,
    text: str | None = None,
    overdue: bool = False,
    open_only: bool = False,
    parent_id: Any = None,
) -> list[sa.ColumnElement[bool]]:
    """The WHERE clause of a filtered list; bad filter values raise ValidationError, a hidden community NotFound.

    ``owner_person_id`` matches the owner and the co-owners; ``text`` the
    title and objective, case-insensitively, with ``%`` and ``_`` literal.
    """
    chk = Checker()
    found = [readable_actions(session, actor)]
    if community_id not in (None, "", 0):
        found.append(col(Action.community_id) == get_community(session, actor, community_id).id)
    organisation = _an_id(
        chk, "organisation_id", organisation_id, N_("Choose a city or organisation from the list.")
    )
    owner = _an_id(chk, "owner_person_id", owner_person_id, N_("Choose an owner from the list."))
    parent = _an_id(chk, "parent_id", parent_id, N_("Choose a parent action."))
    statuses = [status] if isinstance(status, str) else list(status or [])
    for value in statuses:
        chk.choice("status", value, STATUSES, label=N_("The status"))
    first = chk.day("due_from", due_from, label=N_("The first due date"), required=False)
    last = chk.day("due_to", due_to, label=N_("The last due date"), required=False)
    chk.not_before("due_to", first, last, label=N_("The last due date"))
    tag = chk.search("tag", tag, label=N_("The tag"))
    text = chk.search("text", text)
    chk.raise_if_any()
    if organisation is not None:
        found.append(col(Action.organisation_id) == organisation)
    if owner is not None:
        co_owned = select(ActionCoOwner.action_id).where(ActionCoOwner.person_id == owner)
        found.append(sa.or_(col(Action.owner_person_id) == owner, col(Action.id).in_(co_owned)))
    if parent is not None:
        found.append(col(Action.parent_id) == parent)
    if statuses:
        found.append(col(Action.status).in_(statuses))
    if first is not None:
        found.append(col(Action.due_date) >= first)
    if last is not None:
        found.append(col(Action.due_date) <= last)
    if tag:
        tagged = select(ActionTag.action_id).where(ActionTag.key == tag_key(tag))
        found.append(col(Action.id).in_(tagged))
    if text:
        needle = text
        found.append(
            sa.or_(
                col(Action.title).icontains(needle, autoescape=True),
                col(Action.objective).icontains(needle, autoescape=True),
            )
        )
    if overdue:
        found.append(overdue_condition())
    if open_only:
        found.append(col(Action.status).in_(OPEN_STATUSES))
    return found


@dataclass(frozen=True)
class LatestUpdate:
    """An action's newest update in one line, so lists, cards and the plan show where it stands."""

    posted_at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class ActionRow:
    """One action as the table, the board, the timeline and a city's plan list it, with its latest update."""

    id: int
    version: int
    title: str
    community_id: int
    community: str
    status: str
    progress: int
    progress_mode: str
    priority: str
    start_date: date | None
    due_date: date
    owner_person_id: int
    owner: str
    organisation_id: int | None
    city: str | None
    tags: list[str]
    parent_id: int | None
    created_at: datetime
    updated_at: datetime
    overdue: bool
    latest_update: LatestUpdate | None
    # ("sub-actions", 3): the percentage is their roll-up, not a posted value.
    progress_from: tuple[str, int] | None


def latest_updates(session: Session, action_ids: list[int]) -> dict[int, LatestUpdate]:
    """The newest update of each action: when, by whom, and the start of its text as plain text.

    Lists, cards and the plan show it in one line, where Markdown marks ("## Minutes",
    table pipes) would be read literally.
    """
    if not action_ids:
        return {}
    newest = (
        select(func.max(ActionUpdate.id))
        .where(col(ActionUpdate.action_id).in_(action_ids))
        .group_by(col(ActionUpdate.action_id))
    )
    rows = session.exec(
        select(
            ActionUpdate.action_id,
            ActionUpdate.posted_at,
            Person.name,
            func.substr(ActionUpdate.text, 1, UPDATE_EXCERPT),
        )
        .join(Person, col(Person.id) == ActionUpdate.author_person_id, isouter=True)
        .where(col(ActionUpdate.id).in_(newest))
    )
    return {
        aid: LatestUpdate(posted_at=at, author=who or "", text=plain_line(text))
        for aid, at, who, text in rows
    }


def _rows(
    session: Session, where: list[sa.ColumnElement[bool]], order: list[Any], limit: int, offset: int
) -> list[ActionRow]:
    stmt = (
        sa.select(*[column for _, column in _COLUMNS])
        .join(Community, col(Community.id) == Action.community_id)
        .join(Owner, col(Owner.id) == Action.owner_person_id)
        .join(Organisation, col(Organisation.id) == Action.organisation_id, isouter=True)
        .where(*where)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    today = clock.today()
    found = [
        dict(zip([name for name, _ in _COLUMNS], row, strict=True)) for row in session.execute(stmt)
    ]
    latest = latest_updates(session, [r["id"] for r in found])
    sources = progress_sources(session, [(r["id"], r["progress_mode"]) for r in found])
    return [
        ActionRow(
            **r,
            overdue=r["due_date"] < today and r["status"] in OPEN_STATUSES,
            latest_update=latest.get(r["id"]),
            progress_from=sources.get(r["id"]),
        )
        for r in found
    ]


def count(session: Session, where: list[sa.ColumnElement[bool]]) -> int:
    return int(session.exec(select(func.count(col(Action.id))).where(*where)).one())


def find_actions(
    session: Session,
    actor: Actor,
    *,
    sort: str = "due_date",
    descending: bool = False,
    limit: int = 25,
    offset: int = 0,
    **filters: Any,
) -> tuple[list[ActionRow], int]:
    """One page of the actions matching ``filters`` (see ``conditions``) and how many match in all."""
    if sort not in SORTS:
        raise ValidationError(
            {"sort": Message(N_("Sort by one of: {choices}."), choices=", ".join(SORTS))}
        )
    where = conditions(session, actor, **filters)
    key = col(SORTS[sort])
    order = [
        key.desc() if descending else key.asc(),
        col(Action.id).desc() if descending else col(Action.id).asc(),
    ]
    rows = _rows(session, where, order, max(1, min(int(limit), MAX_PAGE)), max(0, int(offset)))
    return rows, count(session, where)


@dataclass
class BoardColumn:
    status: str
    total: int
    rows: list[ActionRow]


def board(
    session: Session, actor: Actor, *, per_column: int = BOARD_COLUMN, **filters: Any
) -> list[BoardColumn]:
    """One column per status with its most urgent cards (by due date) and how many it holds."""
    filters.pop("status", None)
    where = conditions(session, actor, **filters)
    totals = dict(
        session.exec(
            select(Action.status, func.count(col(Action.id)))
            .where(*where)
            .group_by(col(Action.status))
        ).all()
    )
    order = [col(Action.due_date), col(Action.id)]
    return [
        BoardColumn(
            status,
            int(totals.get(status, 0)),
            _rows(session, [*where, col(Action.status) == status], order, per_column, 0)
            if totals.get(status)
            else [],
        )
        for status in STATUSES
    ]


@dataclass(frozen=True)
class TimelineMilestone:
    """A dated milestone, drawn as a mark on its action's row."""

    action_id: int
    title: str
    due_date: date
    done: bool


@dataclass(frozen=True)
class TimelineRow:
    """An action on the timeline; ``level`` counts the parents shown above it (0: a top row)."""

    action: ActionRow
    level: int


@dataclass(frozen=True)
class Timeline:
    """The rows in reading order (each action, then its sub-actions), their milestones, how many match."""

    rows: list[TimelineRow]
    milestones: list[TimelineMilestone]
    total: int


def _grouped(rows: list[ActionRow]) -> list[TimelineRow]:
    """Each action followed by its sub-actions (recursively), every group in the order given.

    A sub-action whose parent is not among ``rows`` (filtered out) stands on its own.
    """
    shown = {r.id for r in rows}
    children: dict[int, list[ActionRow]] = {}
    for row in rows:
        if row.parent_id is not None and row.parent_id in shown and row.parent_id != row.id:
            children.setdefault(row.parent_id, []).append(row)
    ordered: list[TimelineRow] = []
    placed: set[int] = set()

    def place(row: ActionRow, level: int) -> None:
        if row.id in placed:
            return
        placed.add(row.id)
        ordered.append(TimelineRow(row, level))
        for child in children.get(row.id, []):
            place(child, level + 1)

    for row in rows:
        if row.parent_id not in shown:
            place(row, 0)
    for row in rows:  # a loop of parents (not allowed by the rules): still every row once
        place(row, 0)
    return ordered


def timeline(
    session: Session,
    actor: Actor,
    *,
    limit: int = TIMELINE_MAX,
    window: tuple[date, date] | None = None,
    **filters: Any,
) -> Timeline:
    """The filtered actions soonest due first (at most ``limit``), grouped under their parents,
    with their dated milestones; ``window`` keeps the actions that run during those days.

    Two queries besides the rows' own: the count and the milestones of the rows shown.
    """
    where = conditions(session, actor, **filters)
    if window is not None:
        first, last = window
        where += [
            col(Action.due_date) >= first,
            func.coalesce(col(Action.start_date), col(Action.due_date)) <= last,
        ]
    order = [col(Action.due_date), col(Action.id)]
    rows = _rows(session, where, order, max(1, min(int(limit), TIMELINE_MAX)), 0)
    milestones = session.execute(
        sa.select(
            col(ActionMilestone.action_id),
            col(ActionMilestone.title),
            col(ActionMilestone.due_date),
            col(ActionMilestone.done),
        )
        .where(
            col(ActionMilestone.action_id).in_([r.id for r in rows] or [-1]),
            col(ActionMilestone.deleted_at).is_(None),
            col(ActionMilestone.due_date).is_not(None),
        )
        .order_by(col(ActionMilestone.due_date), col(ActionMilestone.position))
    )
    return Timeline(
        rows=_grouped(rows),
        milestones=[
            TimelineMilestone(action_id, title, due, bool(done))
            for action_id, title, due, done in milestones
            if due is not None
        ],
        total=count(session, where),
    )


@dataclass
class CityPlan:
    """Every action one organisation leads, across the communities the reader may see."""

    organisation: Organisation
    rows: list[ActionRow]
    total: int
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    average_open_progress: float | None = None


def city_plan(session: Session, actor: Actor, organisation_id: Any) -> CityPlan:
    number = record_id(organisation_id)
    organisation = session.get(Organisation, number) if number is not None else None
    if organisation is None or organisation.deleted_at is not None:
        raise NotFound(
            Message(
                N_("There is no {label} with id {id}."),
                label=N_("organisation"),
                id=organisation_id,
            )
        )
    where = conditions(session, actor, organisation_id=organisation.id)
    rows = _rows(
        session,
        where,
        [col(Community.name), col(Action.due_date), col(Action.id)],
        CITY_PLAN_MAX,
        0,
    )
    # The average counts each open action once: a parent's roll-up is its sub-actions' mean.
    counted = sa.and_(col(Action.status).in_(OPEN_STATUSES), ~rolled_up())
    summary = session.execute(
        sa.select(
            col(Action.status),
            func.count(),
            func.count().filter(overdue_condition()),
            func.count().filter(counted),
            func.sum(sa.case((counted, col(Action.progress)), else_=0)),
        )
        .where(*where)
        .group_by(col(Action.status))
    ).all()
    by_status = {status: int(n) for status, n, _, _, _ in summary}
    open_total = sum(int(n or 0) for _, _, _, n, _ in summary)
    progress_total = sum(int(p or 0) for _, _, _, _, p in summary)
    return CityPlan(
        organisation=organisation,
        rows=rows,
        total=sum(by_status.values()),
        by_status=by_status,
        overdue=sum(int(late) for _, _, late, _, _ in summary),
        average_open_progress=progress_total / open_total if open_total else None,
    )


def parent_choices(
    session: Session,
    actor: Actor,
    community_id: int,
    exclude_id: int | None = None,
    limit: int = 500,
) -> dict[int, str]:
    """Actions of the community that can hold sub-actions, newest first, for a picker."""
    where = conditions(session, actor, community_id=community_id)
    if exclude_id is not None:
        where.append(col(Action.id) != exclude_id)
    rows = session.exec(
        select(Action.id, Action.title).where(*where).order_by(col(Action.id).desc()).limit(limit)
    )
    return {action_id: title for action_id, title in rows if action_id is not None}


def known_tags(
    session: Session, actor: Actor, community_id: int | None = None, limit: int = 200
) -> list[str]:
    """The tags used by actions the actor may read, most used first, for the filter."""
    where = conditions(session, actor, community_id=community_id)
    stmt = (
        select(func.min(ActionTag.value))
        .join(Action, col(Action.id) == ActionTag.action_id)
        .where(*where)
        .group_by(ActionTag.key)
        .order_by(func.count().desc(), ActionTag.key)
        .limit(limit)
    )
    return list(session.exec(stmt))


def changeable(session: Session, actor: Actor, rows: list[ActionRow]) -> set[int]:
    """Ids of the listed actions the actor may move or update (the board offers "move to" only there)."""
    if actor.is_admin:
        return {r.id for r in rows}
    facilitating = {cid for cid, role in actor.roles.items() if role == Role.FACILITATOR}
    mine = {
        r.id
        for r in rows
        if r.community_id in facilitating
        or (actor.person_id is not None and r.owner_person_id == actor.person_id)
    }
    if actor.person_id is not None and rows:
        mine |= set(
            session.exec(
                select(ActionCoOwner.action_id).where(
                    ActionCoOwner.person_id == actor.person_id,
                    col(ActionCoOwner.action_id).in_([r.id for r in rows]),
                )
            )
        )
    return {
        r.id
        for r in rows
        if r.id in mine and actor.role_in(r.community_id) in (Role.FACILITATOR, Role.MEMBER)
    }
