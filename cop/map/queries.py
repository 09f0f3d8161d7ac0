"""What the map shows: the member cities and partner organisations of the readable communities,
their workshops and study visits (at the host, with the cities that came), and their practices.

Four queries, whatever the number of communities: the readable communities (the same rule as
every list: workspace communities and one's own private ones, all of them for admins), then
memberships, workshops with their visitors, and practices, each limited to those communities.
A private community's records do not exist for outsiders here either, and practices follow
the practices' own reading rule (outsiders see approved ones only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cop.communities.models import Community, Membership, Organisation, OrganisationKind, Person
from cop.communities.service import visible_communities
from cop.core.permissions import Actor
from cop.practices.models import Practice
from cop.practices.queries import readable_practices
from cop.workshops.models import Attendance, Workshop


@dataclass(frozen=True, slots=True)
class Place:
    """An organisation on the map: a member city or a partner, with what happens there."""

    id: int
    name: str
    kind: str
    country: str
    latitude: float | None
    longitude: float | None
    communities: tuple[str, ...]  # the communities it is a member of, by name
    hosted: int  # workshops and visits it hosted (in the chosen year)
    visits: int  # workshops and visits elsewhere its people attended
    practices: int  # practices it runs

    @property
    def is_city(self) -> bool:
        return self.kind == OrganisationKind.CITY

    @property
    def placed(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, slots=True)
class Event:
    """A workshop or study visit at its host, and the organisations whose people came."""

    id: int
    title: str
    kind: str
    starts_at: datetime
    time_zone: str
    community: str
    host_id: int
    visitor_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PracticeMark:
    """A practice where it happens: at the city that runs it."""

    id: int
    title: str
    community: str
    organisation_id: int


@dataclass(frozen=True, slots=True)
class MapData:
    places: list[Place]
    events: list[Event]
    practices: list[PracticeMark]
    years: list[int]  # the years with workshops or visits, newest first (for the year filter)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _year(moment: datetime, time_zone: str) -> int:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(_zone(time_zone)).year


def map_data(
    session: Session, actor: Actor, community_id: int | None = None, year: int | None = None
) -> MapData:
    """The places, workshops and practices of the readable communities (or of one), in ``year`` if given.

    Members are placed whatever the year; workshops count in the year they start (in the
    reader's time zone); practices when they ran in that year (or have no dates).
    """
    readable = {
        c.id: c.name
        for c in visible_communities(session, actor, include_archived=True)
        if c.id is not None
    }
    if community_id is not None:
        readable = {community_id: readable[community_id]} if community_id in readable else {}
    if not readable:
        return MapData([], [], [], [])
    ids = list(readable)

    member_of: dict[int, set[str]] = defaultdict(set)
    for organisation_id, cid in session.exec(
        select(Person.organisation_id, Membership.community_id)
        .join(Membership, col(Membership.person_id) == Person.id)
        .where(
            col(Membership.community_id).in_(ids),
            col(Membership.deleted_at).is_(None),
            col(Person.deleted_at).is_(None),
            col(Person.organisation_id).is_not(None),
        )
        .distinct()
    ):
        member_of[organisation_id].add(readable[cid])  # type: ignore[index]  # not None above

    # Tens of thousands of rows on a large workspace: read as plain rows through the session's
    # connection, without the ORM's row loading (most of the read's time there).
    connection = session.connection()
    rows: Sequence[Any] = connection.execute(
        sa.select(
            col(Workshop.id),
            col(Workshop.title),
            col(Workshop.kind),
            col(Workshop.starts_at),
            col(Workshop.time_zone),
            col(Workshop.community_id),
            col(Workshop.host_organisation_id),
        ).where(
            col(Workshop.community_id).in_(ids),
            col(Workshop.deleted_at).is_(None),
            col(Workshop.host_organisation_id).is_not(None),
        )
    ).all()
    years = sorted({_year(r[3], actor.time_zone) for r in rows}, reverse=True)
    if year is not None:
        rows = [r for r in rows if _year(r[3], actor.time_zone) == year]
    visitors: dict[int, set[int]] = defaultdict(set)
    if rows:
        for workshop_id, organisation_id in connection.execute(
            sa.select(col(Attendance.workshop_id), col(Person.organisation_id))
            .join(Person, col(Person.id) == Attendance.person_id)
            .join(Workshop, col(Workshop.id) == Attendance.workshop_id)
            .where(
                col(Workshop.community_id).in_(ids),
                col(Workshop.deleted_at).is_(None),
                col(Attendance.deleted_at).is_(None),
                col(Person.organisation_id).is_not(None),
            )
            .distinct()
        ):
            visitors[workshop_id].add(organisation_id)  # type: ignore[arg-type]  # not None above
    events = [
        Event(
            id=wid,
            title=title,
            kind=kind,
            starts_at=starts_at,
            time_zone=time_zone,
            community=readable[cid],
            host_id=host,
            visitor_ids=tuple(sorted(visitors[wid] - {host})),
        )
        for wid, title, kind, starts_at, time_zone, cid, host in sorted(
            rows, key=lambda r: (r[3], r[0])
        )
    ]

    practice_stmt = (
        sa.select(
            col(Practice.id),
            col(Practice.title),
            col(Practice.community_id),
            col(Practice.organisation_id),
        )
        .join(Community, col(Community.id) == Practice.community_id)
        .where(col(Practice.community_id).in_(ids), readable_practices(actor))
    )
    if year is not None:
        practice_stmt = practice_stmt.where(
            sa.or_(
                col(Practice.started_on).is_(None), col(Practice.started_on) <= date(year, 12, 31)
            ),
            sa.or_(col(Practice.ended_on).is_(None), col(Practice.ended_on) >= date(year, 1, 1)),
        )
    practices = [
        PracticeMark(id=pid, title=title, community=readable[cid], organisation_id=oid)
        for pid, title, cid, oid in session.execute(practice_stmt.order_by(col(Practice.title)))
    ]

    hosted: dict[int, int] = defaultdict(int)
    visits: dict[int, int] = defaultdict(int)
    for event in events:
        hosted[event.host_id] += 1
        for visitor in event.visitor_ids:
            visits[visitor] += 1
    runs: dict[int, int] = defaultdict(int)
    for practice in practices:
        runs[practice.organisation_id] += 1
    wanted = set(member_of) | set(hosted) | set(visits) | set(runs)
    places = [
        Place(
            id=org.id,  # type: ignore[arg-type]  # a stored row
            name=org.name,
            kind=org.kind,
            country=org.country,
            latitude=org.latitude,
            longitude=org.longitude,
            communities=tuple(sorted(member_of.get(org.id, ()))),  # type: ignore[arg-type]  # org.id of a stored row is never None
            hosted=hosted.get(org.id, 0),  # type: ignore[arg-type]  # org.id of a stored row is never None
            visits=visits.get(org.id, 0),  # type: ignore[arg-type]  # org.id of a stored row is never None
            practices=runs.get(org.id, 0),  # type: ignore[arg-type]  # org.id of a stored row is never None
        )
        for org in session.exec(
            select(Organisation)
            .where(col(Organisation.id).in_(list(wanted)), col(Organisation.deleted_at).is_(None))
            .order_by(col(Organisation.name), col(Organisation.id))
        )
    ]
    live = {p.id for p in places}
    events = [e for e in events if e.host_id in live]
    practices = [p for p in practices if p.organisation_id in live]
    return MapData(places, events, practices, years)
