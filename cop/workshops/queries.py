"""Finding workshops: the filtered list, the upcoming ones, a month calendar, and one in full.

Everything is filtered, sorted, paged and counted in SQL and limited to the
communities the actor may read, so the list stays fast with tens of thousands
of workshops and a private community's workshops never leak to outsiders.
Date filters and calendar days are the actor's own calendar days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from cop.communities.models import Community, Organisation, Person
from cop.core import audit, clock, history
from cop.core.errors import ValidationError
from cop.core.history import Entry
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, Visibility, is_allowed
from cop.core.validation import MAX_DATE, MIN_DATE, Checker, record_id
from cop.workshops import agenda, attachments, attendance, outcomes
from cop.workshops.attachments import AttachmentEntry
from cop.workshops.attendance import AttendanceSummary, Attendee
from cop.workshops.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Outcome,
    Workshop,
    WorkshopStatus,
)
from cop.workshops.service import (
    FORMATS,
    KINDS,
    MAX_DURATION,
    STATUSES,
    readable_community,
    workshop_in_scope,
    zone_or_utc,
)

SORTS: dict[str, Any] = {
    "starts_at": Workshop.starts_at,
    "title": Workshop.title,
    "kind": Workshop.kind,
    "status": Workshop.status,
    "community": Community.name,
    "updated_at": Workshop.updated_at,
}
MAX_PAGE = 500
_LIST_COLUMNS: tuple[Any, ...] = (
    Workshop.id,
    Workshop.version,
    Workshop.title,
    Workshop.kind,
    Workshop.format,
    Workshop.status,
    Workshop.starts_at,
    Workshop.ends_at,
    Workshop.time_zone,
    Workshop.place,
    Workshop.meeting_link,
    Workshop.community_id,
    col(Community.name).label("community"),
    Workshop.host_organisation_id,
    col(Organisation.name).label("host"),
)


@dataclass(frozen=True, slots=True)
class WorkshopRow:
    """One workshop as the list, the upcoming view and the calendar show it: a typo in a field is a type error."""

    id: int
    version: int
    title: str
    kind: str
    format: str
    status: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    place: str
    meeting_link: str
    community_id: int
    community: str
    host_organisation_id: int | None
    host: str | None


@dataclass(frozen=True, slots=True)
class FoundWorkshop(WorkshopRow):
    """A row of the filtered list, which also counts who is on the attendance list."""

    attendees: int


@dataclass(frozen=True, slots=True)
class Facilitator:
    """A facilitator of a workshop, as its detail page names them."""

    person_id: int
    name: str


@dataclass(frozen=True, slots=True)
class WorkshopRights:
    """What the actor may do on a workshop's detail page, decided once with the read."""

    edit: bool
    delete: bool
    attend: bool
    attach: bool
    close: bool
    reopen: bool
    create_action: bool
    export_attendance: bool


@dataclass(frozen=True, slots=True)
class WorkshopDetail:
    """Everything a workshop's detail page shows, so the page reads fields the type checker knows."""

    workshop: Workshop
    community: Community
    host: Organisation | None
    facilitators: list[Facilitator]
    agenda: list[AgendaItem]
    attendance: list[Attendee]
    summary: AttendanceSummary
    outcomes: list[Outcome]
    attachments: list[AttachmentEntry]
    may: WorkshopRights


def _readable_communities(actor: Actor) -> Any:
    """The condition on ``Community`` for the communities the actor may read."""
    live = col(Community.deleted_at).is_(None)
    if actor.is_admin:
        return live
    return live & (
        (col(Community.visibility) == Visibility.WORKSPACE)
        | col(Community.id).in_(list(actor.roles) or [-1])
    )


def _count_readable(actor: Actor, conditions: list[Any]) -> SelectOfScalar[int]:
    """How many live workshops match, with the readable communities as a subquery.

    Counting this way runs on the (community, deleted) index alone; a join
    would read every workshop row.
    """
    readable = select(Community.id).where(_readable_communities(actor))
    return (
        select(func.count())
        .select_from(Workshop)
        .where(
            col(Workshop.deleted_at).is_(None),
            col(Workshop.community_id).in_(readable),
            *conditions,
        )
    )


def _listed(actor: Actor, *extra: Any) -> sa.Select:
    """List rows (with community and host names) of the live workshops the actor may read.

    A join here lets a page sorted by date walk the date index and stop after one page.
    """
    return (
        sa.select(*_LIST_COLUMNS, *extra)
        .select_from(Workshop)
        .join(Community, col(Community.id) == Workshop.community_id)
        .join(Organisation, col(Organisation.id) == Workshop.host_organisation_id, isouter=True)
        .where(col(Workshop.deleted_at).is_(None), _readable_communities(actor))
    )


def _attendee_count() -> Any:
    return (
        select(func.count(col(Attendance.id)))
        .where(Attendance.workshop_id == Workshop.id, col(Attendance.deleted_at).is_(None))
        .correlate(Workshop)
        .scalar_subquery()
        .label("attendees")
    )


def _day_start(day: date, actor: Actor) -> datetime:
    """Midnight of ``day`` in the actor's time zone, as a UTC instant."""
    return datetime.combine(day, time(0), tzinfo=zone_or_utc(actor.time_zone)).astimezone(UTC)


def find_workshops(
    session: Session,
    actor: Actor,
    *,
    community_id: int | None = None,
    kind: str | None = None,
    format: str | None = None,
    host_organisation_id: int | None = None,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    status: str | None = None,
    text: str | None = None,
    sort: str = "starts_at",
    descending: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[FoundWorkshop], int]:
    """One page of matching workshops and how many match in total."""
    chk = Checker()
    if kind:
        chk.choice("kind", kind, KINDS, label=N_("The kind"))
    if format:
        chk.choice("format", format, FORMATS, label=N_("The format"))
    if status:
        chk.choice("status", status, STATUSES, label=N_("The status"))
    if sort not in SORTS:
        chk.fail("sort", Message(N_("Sort by one of: {choices}."), choices=", ".join(SORTS)))
    first = chk.day("date_from", date_from, label=N_("The first date"), required=False)
    last = chk.day("date_to", date_to, label=N_("The last date"), required=False)
    chk.not_before("date_to", first, last, label=N_("The last date"))
    text = chk.search("text", text)
    host = None
    if host_organisation_id not in (None, ""):
        host = record_id(host_organisation_id)
        if host is None:
            chk.fail("host_organisation_id", N_("Choose a host organisation from the list."))
    chk.raise_if_any()

    conditions: list[Any] = []
    if community_id not in (None, ""):
        conditions.append(
            Workshop.community_id == readable_community(session, actor, community_id).id
        )
    if kind:
        conditions.append(Workshop.kind == kind)
    if format:
        conditions.append(Workshop.format == format)
    if status:
        conditions.append(Workshop.status == status)
    if host is not None:
        conditions.append(Workshop.host_organisation_id == host)
    if first is not None:
        conditions.append(col(Workshop.starts_at) >= _day_start(first, actor))
    if last is not None:
        conditions.append(col(Workshop.starts_at) < _day_start(last + timedelta(days=1), actor))
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        conditions.append(
            sa.or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (
                        col(Workshop.title),
                        col(Workshop.place),
                        col(Workshop.objectives),
                    )
                )
            )
        )

    total = session.exec(_count_readable(actor, conditions)).one()
    order = SORTS[sort].desc() if descending else SORTS[sort].asc()
    tie = col(Workshop.id).desc() if descending else col(Workshop.id).asc()
    page = (
        _listed(actor, _attendee_count())
        .where(*conditions)
        .order_by(order, tie)
        .limit(max(1, min(int(limit), MAX_PAGE)))
        .offset(max(0, int(offset)))
    )
    return [FoundWorkshop(**row._asdict()) for row in session.execute(page)], int(total)


def upcoming_workshops(
    session: Session, actor: Actor, limit: int = 5, community_id: int | None = None
) -> list[WorkshopRow]:
    """Workshops not yet over and not closed, soonest first."""
    now = clock.now()
    stmt = _listed(actor).where(
        col(Workshop.starts_at) >= now - MAX_DURATION,
        col(Workshop.ends_at) >= now,
        col(Workshop.status) != WorkshopStatus.CLOSED,
    )
    if community_id is not None:
        stmt = stmt.where(
            col(Workshop.community_id) == readable_community(session, actor, community_id).id
        )
    stmt = stmt.order_by(col(Workshop.starts_at), col(Workshop.id)).limit(
        max(1, min(int(limit), MAX_PAGE))
    )
    return [WorkshopRow(**row._asdict()) for row in session.execute(stmt)]


def month_calendar(
    session: Session, actor: Actor, year: int, month: int, community_id: int | None = None
) -> dict[date, list[WorkshopRow]]:
    """Every day of the month (the actor's calendar) with the workshops taking place that day."""
    if not (1990 <= int(year) <= 2100 and 1 <= int(month) <= 12):
        raise ValidationError(
            {"month": N_("Choose a month between January 1990 and December 2100.")}
        )
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return _calendar_days(session, actor, first, last, community_id)


def week_calendar(
    session: Session, actor: Actor, day: date, community_id: int | None = None
) -> dict[date, list[WorkshopRow]]:
    """The seven days, Monday to Sunday, of the week holding ``day``, each with its workshops."""
    if not (MIN_DATE <= day <= MAX_DATE):
        raise ValidationError({"day": N_("Choose a day between January 1990 and December 2100.")})
    monday = day - timedelta(days=day.weekday())
    return _calendar_days(session, actor, monday, monday + timedelta(days=6), community_id)


def _calendar_days(
    session: Session, actor: Actor, first: date, last: date, community_id: int | None
) -> dict[date, list[WorkshopRow]]:
    """Each day from ``first`` to ``last`` (the actor's calendar) with the workshops taking place then.

    A workshop over several days is listed on each of them, in the actor's time zone.
    """
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    start, end = _day_start(days[0], actor), _day_start(days[-1] + timedelta(days=1), actor)
    stmt = _listed(actor).where(
        col(Workshop.starts_at) >= start - MAX_DURATION,
        col(Workshop.starts_at) < end,
        col(Workshop.ends_at) >= start,
    )
    if community_id is not None:
        stmt = stmt.where(
            col(Workshop.community_id) == readable_community(session, actor, community_id).id
        )
    result: dict[date, list[WorkshopRow]] = {day: [] for day in days}
    zone = zone_or_utc(actor.time_zone)
    for row in session.execute(stmt.order_by(col(Workshop.starts_at), col(Workshop.id))):
        item = WorkshopRow(**row._asdict())
        begins = max(item.starts_at.astimezone(zone).date(), days[0])
        ends = min(item.ends_at.astimezone(zone).date(), days[-1])
        for offset in range((ends - begins).days + 1):
            result[begins + timedelta(days=offset)].append(item)
    return result


def _part_ids(session: Session, table: Any, workshop_id: int) -> list[int]:
    """The ids of a workshop's rows in ``table`` (deleted ones too: their events stay history)."""
    return list(session.exec(select(table.id).where(table.workshop_id == workshop_id)))


def workshop_history(session: Session, actor: Actor, workshop_id: Any) -> list[Entry]:
    """What happened to one workshop the actor may read (NotFound otherwise), newest first, as
    sentences (cop.core.history): its History tab, read only when that tab is opened."""
    workshop, _ = workshop_in_scope(session, actor, workshop_id, "community.read")
    assert workshop.id is not None  # a stored workshop
    # Its agenda, attendance, outcomes and attachments are part of its history.
    return history.describe(
        session,
        audit.history(
            session,
            "workshop",
            workshop.id,
            parts={
                table.__tablename__: _part_ids(session, table, workshop.id)  # type: ignore[misc]  # __tablename__ is a declared_attr to mypy, a str at run time
                for table in (AgendaItem, Attendance, Outcome, Attachment)
            },
        ),
    )


def workshop_detail(session: Session, actor: Actor, workshop_id: Any) -> WorkshopDetail:
    """Everything the detail page shows but its history (``workshop_history``), with what the
    actor may do there."""
    workshop, community = workshop_in_scope(session, actor, workshop_id, "community.read")
    assert workshop.id is not None  # a stored workshop
    host = (
        session.get(Organisation, workshop.host_organisation_id)
        if workshop.host_organisation_id
        else None
    )
    facilitators = list(
        session.exec(
            select(Person.id, Person.name)
            .where(col(Person.id).in_(workshop.facilitator_ids or [-1]))
            .order_by(Person.name)
        )
    )
    closed = workshop.status == WorkshopStatus.CLOSED

    def may(operation: str) -> bool:
        return is_allowed(actor, operation, community)

    return WorkshopDetail(
        workshop=workshop,
        community=community,
        host=host,
        facilitators=[
            Facilitator(person_id=pid, name=name)
            for pid, name in facilitators
            if pid is not None  # always: stored people have ids
        ],
        agenda=agenda.agenda(session, workshop.id),
        attendance=attendance.attendance_list(session, workshop.id),
        summary=attendance.attendance_summary(session, actor, workshop.id),
        outcomes=outcomes.live_outcomes(session, workshop.id),
        attachments=attachments.attachment_list(session, workshop.id),
        may=WorkshopRights(
            edit=not closed and may("workshop.update"),
            delete=not closed and may("workshop.delete"),
            attend=not closed and may("workshop.attend"),
            attach=not closed and may("workshop.attach"),
            close=not closed and may("workshop.close"),
            reopen=closed and may("workshop.reopen"),
            create_action=may("action.create"),
            export_attendance=may("attendance.export"),
        ),
    )
