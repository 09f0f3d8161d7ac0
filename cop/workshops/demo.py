"""Demo step: workshops and study visits hosted in turn by the member cities.

Each entry of the ``workshops`` section of data/demo.yaml is recorded by a
demo user through the services, with its agenda and attendance; past ones are
marked held and, when the entry says so, closed with minutes and typed
outcomes, some of which become actions. Dates are given relative to today
(``in_days``) so the demo always has past and upcoming workshops.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from cop.core import clock
from cop.core.demo_context import DemoContext
from cop.core.permissions import Actor
from cop.workshops import agenda, attendance, outcomes
from cop.workshops import service as workshops


def step(ctx: DemoContext) -> None:
    ids: dict[str, int] = {}
    for spec in ctx.data.get("workshops", []):
        ids[spec["title"]] = _workshop(ctx, spec)
    ctx.extra["workshops"] = ids


def _workshop(ctx, spec: dict[str, Any]) -> int:  # noqa: ANN001
    session = ctx.session
    actor: Actor = ctx.actors[spec.get("by", "facilitator")]
    starts_at = datetime.combine(
        clock.today() + timedelta(days=spec["in_days"]), time.fromisoformat(spec["at"])
    )
    made = workshops.record_workshop(
        session,
        actor,
        community_id=ctx.communities[spec["community"]],
        title=spec["title"],
        kind=spec["kind"],
        format=spec["format"],
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=spec["hours"]),
        time_zone=spec["time_zone"],
        meeting_link=spec.get("link", ""),
        place=spec.get("place", ""),
        host_organisation_id=ctx.organisations[spec["host"]],
        objectives=spec.get("objectives", ""),
        facilitator_ids=[ctx.people[name] for name in spec.get("facilitators", [])],
    )
    assert made.id is not None  # record_workshop flushed it
    for item in spec.get("agenda", []):
        agenda.add_agenda_item(
            session,
            actor,
            made.id,
            title=item["title"],
            duration_minutes=item.get("minutes"),
            presenter=item.get("presenter", ""),
        )
    took_place = spec.get("status", "planned") != "planned"
    for person in spec.get("attendees", []):
        attendance.add_attendee(
            session,
            actor,
            made.id,
            person_id=ctx.people[person["name"]],
            role=person.get("role", "participant"),
            attended=took_place,
        )
    for guest in spec.get("guests", []):
        attendance.add_guest(
            session,
            actor,
            made.id,
            name=guest["name"],
            organisation=guest["organisation"],
            role=guest.get("role", "participant"),
            attended=took_place,
        )
    if not took_place:
        return made.id
    workshops.mark_held(session, actor, made.id, made.version)
    for found in spec.get("outcomes", []):
        outcome = outcomes.add_outcome(
            session, actor, made.id, kind=found["kind"], text=found["text"]
        )
        if "action" in found:  # created by the actions' step, which runs next
            ctx.extra.setdefault("outcome_actions", {})[outcome.id] = {
                "by": actor.username,
                "owner": found["action"]["owner"],
                "due_in_days": found["action"]["due_in_days"],
            }
    if spec["status"] == "closed":
        workshops.close_workshop(
            session,
            actor,
            made.id,
            made.version,
            minutes=spec.get("minutes", ""),
            closing_report=spec.get("closing_report", ""),
        )
    return made.id
