"""Seed step of workshops: workshops and visits hosted by member cities, with agenda, attendance and outcomes.

``ctx.scale.workshops`` workshops spread over the communities, from about
three years ago to half a year ahead; past ones are mostly closed (with
minutes and typed outcomes), the rest held or, rarely, still planned.
``ctx.scale.attendance`` attendance rows go to members of each workshop's
community, with about one guest in ten; counts per organisation and city are
left to SQL, as in the app.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from cop.communities.models import Organisation, OrganisationKind
from cop.core.db import table_of
from cop.core.permissions import Role
from cop.core.seed_context import SeedContext
from cop.core.seed_names import CITIES, NGO_PATTERNS, TIME_ZONES, TOPICS, person_name
from cop.workshops.models import (
    AgendaItem,
    Attendance,
    AttendanceRole,
    Outcome,
    OutcomeKind,
    Workshop,
    WorkshopFormat,
    WorkshopKind,
    WorkshopStatus,
)

_KINDS = [str(k) for k in WorkshopKind]
_KIND_WEIGHTS = [45, 20, 10, 15, 10]
_FORMATS = [str(f) for f in WorkshopFormat]
_FORMAT_WEIGHTS = [60, 25, 15]
_HOURS = {  # how long each kind lasts, in hours (low, high)
    WorkshopKind.WORKSHOP: (2, 6),
    WorkshopKind.STUDY_VISIT: (30, 56),
    WorkshopKind.STAFF_EXCHANGE: (24, 100),
    WorkshopKind.CITY_DIALOGUE: (1, 3),
    WorkshopKind.PLANNING_SESSION: (2, 4),
}
_AGENDA = [
    "Welcome and introductions",
    "The host city's approach",
    "Site visit",
    "Meeting volunteers",
    "Peer exchange in small groups",
    "What we learned",
    "Transfer to our cities",
    "Next steps and actions",
]
_OUTCOMES = {
    OutcomeKind.INSIGHT: [
        "Volunteers stay longer when one person in the city is their contact.",
        "Newcomers who volunteer themselves find work faster.",
        "Neighbourhood welcome points reach people that city offices do not.",
        "Mentoring works best with regular, short meetings.",
    ],
    OutcomeKind.DECISION: [
        "We use one shared template for practice examples.",
        "The next visit focuses on young migrants.",
        "Each city names a contact person for volunteers.",
    ],
    OutcomeKind.ACTION: [
        "Draft a recognition scheme for volunteers.",
        "Translate the welcome guide into three languages.",
        "Set up a buddy programme pilot in two districts.",
        "Collect figures on volunteers with a migrant background.",
    ],
}


def step(ctx: SeedContext) -> None:
    hosts = _host_cities(ctx)
    rows = workshops(ctx, hosts)
    agenda_items(ctx, rows)
    attendance(ctx, rows)
    outcomes(ctx, rows)


def _host_cities(ctx: SeedContext) -> list[tuple[int, str, str]]:
    """(id, name, time zone) of the city administrations the core step created."""
    found = ctx.conn.execute(
        sa.select(
            table_of(Organisation).c.id,
            table_of(Organisation).c.name,
            table_of(Organisation).c.country,
        )
        .where(table_of(Organisation).c.kind == str(OrganisationKind.CITY))
        .order_by(table_of(Organisation).c.id)
    )
    return [(oid, name, TIME_ZONES.get(country, "Europe/Brussels")) for oid, name, country in found]


def _title(ctx: SeedContext, kind: str, host: str, starts_at: datetime) -> str:
    topic = ctx.rng.choice(TOPICS)
    return {
        WorkshopKind.WORKSHOP: f"Workshop: {topic}",
        WorkshopKind.STUDY_VISIT: f"Study visit to {host}",
        WorkshopKind.STAFF_EXCHANGE: f"Staff exchange with {host}",
        WorkshopKind.CITY_DIALOGUE: f"City dialogue: {topic}",
        WorkshopKind.PLANNING_SESSION: f"Planning session {starts_at.year}",
    }[WorkshopKind(kind)]


def workshops(ctx: SeedContext, hosts: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    """The workshops, each hosted by a city and facilitated by one of its community's facilitators."""
    community_ids = sorted(ctx.members)
    ids = ctx.new_ids(table_of(Workshop), ctx.scale.workshops if community_ids and hosts else 0)
    rows = []
    for workshop_id in ids:
        community_id = ctx.rng.choice(community_ids)
        host_id, host_name, zone = ctx.rng.choice(hosts)
        kind = ctx.rng.choices(_KINDS, _KIND_WEIGHTS)[0]
        form = ctx.rng.choices(_FORMATS, _FORMAT_WEIGHTS)[0]
        local = ctx.moment(1_100, 180).astimezone(ZoneInfo(zone))
        starts_at = local.replace(
            hour=ctx.rng.choice((9, 10, 11, 14)), minute=0, second=0, microsecond=0
        )
        ends_at = starts_at + timedelta(hours=ctx.rng.randint(*_HOURS[WorkshopKind(kind)]))
        status, closed_at, minutes = str(WorkshopStatus.PLANNED), None, ""
        if ends_at < ctx.now:
            status = ctx.rng.choices(
                [str(WorkshopStatus.CLOSED), str(WorkshopStatus.HELD), str(WorkshopStatus.PLANNED)],
                [75, 22, 3],
            )[0]
        if status == WorkshopStatus.CLOSED:
            closed_at = min(ends_at + timedelta(days=ctx.rng.uniform(1, 20)), ctx.now)
            minutes = f"## Minutes\n\nHosted by {host_name}. The group compared approaches and agreed next steps."
        facilitators = [p for p, role in ctx.members[community_id] if role == Role.FACILITATOR]
        rows.append(
            {
                **ctx.stamps(min(starts_at - timedelta(days=ctx.rng.uniform(14, 60)), ctx.now)),
                "id": workshop_id,
                "community_id": community_id,
                "title": _title(ctx, kind, host_name, starts_at),
                "kind": kind,
                "format": form,
                "meeting_link": f"https://meet.example.org/cop-{workshop_id}"
                if form != WorkshopFormat.IN_PERSON
                else "",
                "place": host_name if form != WorkshopFormat.ONLINE else "",
                "starts_at": starts_at,
                "ends_at": ends_at,
                "time_zone": zone,
                "host_organisation_id": host_id,
                "objectives": f"Learn from {host_name} and compare it with our cities.",
                "status": status,
                "minutes": minutes,
                "closing_report": "",
                "facilitator_ids": facilitators[:1],
                "closed_at": closed_at,
            }
        )
    ctx.insert(table_of(Workshop), rows)
    return rows


def agenda_items(ctx: SeedContext, rows: list[dict[str, Any]]) -> None:
    """Two to five agenda items per workshop, in programme order."""
    items = []
    for row in rows:
        for position, title in enumerate(ctx.rng.sample(_AGENDA, ctx.rng.randint(2, 5)), start=1):
            items.append(
                {
                    **ctx.stamps(row["created_at"]),
                    "workshop_id": row["id"],
                    "position": position,
                    "title": title,
                    "duration_minutes": ctx.rng.choice((15, 30, 45, 60, 90)),
                    "presenter": "",
                }
            )
    for item_id, item in zip(ctx.new_ids(table_of(AgendaItem), len(items)), items, strict=True):
        item["id"] = item_id
    ctx.insert(table_of(AgendaItem), items)


def attendance(ctx: SeedContext, rows: list[dict[str, Any]]) -> None:
    """``scale.attendance`` rows: members of the community (each once) and some guests."""
    base = 1 if ctx.scale.attendance >= len(rows) else 0
    sizes = [base] * len(rows)
    for _ in range(ctx.scale.attendance - base * len(rows) if rows else 0):
        sizes[ctx.rng.randrange(len(rows))] += 1
    entries = []
    for row, wanted in zip(rows, sizes, strict=True):
        members = [p for p, _ in ctx.members[row["community_id"]]]
        people = ctx.rng.sample(members, min(len(members), wanted))
        past = row["ends_at"] < ctx.now
        for n in range(wanted):
            guest = n >= len(people) or ctx.rng.random() < 0.1
            entries.append(
                {
                    **ctx.stamps(row["created_at"]),
                    "workshop_id": row["id"],
                    "person_id": None if guest else people[n],
                    "guest_name": person_name(ctx.rng) if guest else "",
                    "guest_organisation": ctx.rng.choice(NGO_PATTERNS).format(
                        c=ctx.rng.choice(CITIES).name
                    )
                    if guest
                    else "",
                    "role": str(
                        AttendanceRole.HOST
                        if n == 0
                        else ctx.rng.choice(
                            [AttendanceRole.SPEAKER] + [AttendanceRole.PARTICIPANT] * 6
                        )
                    ),
                    "attended": past and ctx.rng.random() < 0.85,
                }
            )
    for attendance_id, entry in zip(
        ctx.new_ids(table_of(Attendance), len(entries)), entries, strict=True
    ):
        entry["id"] = attendance_id
    ctx.insert(table_of(Attendance), entries)


def outcomes(ctx: SeedContext, rows: list[dict[str, Any]]) -> None:
    """One to three typed outcomes for each workshop that took place."""
    kinds = [str(k) for k in OutcomeKind]
    found = []
    for row in rows:
        if row["status"] == WorkshopStatus.PLANNED:
            continue
        for _ in range(ctx.rng.randint(1, 3)):
            kind = ctx.rng.choice(kinds)
            found.append(
                {
                    **ctx.stamps(row["closed_at"] or row["ends_at"]),
                    "workshop_id": row["id"],
                    "kind": kind,
                    "text": ctx.rng.choice(_OUTCOMES[OutcomeKind(kind)]),
                }
            )
    for outcome_id, outcome in zip(ctx.new_ids(table_of(Outcome), len(found)), found, strict=True):
        outcome["id"] = outcome_id
    ctx.insert(table_of(Outcome), found)
