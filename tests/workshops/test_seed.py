"""The workshops seed step and demo: generated and hand-written workshops keep the services' rules."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from cop.actions.models import Action
from cop.actions.outcomes import outcomes_with_actions
from cop.backup.demo import load_demo
from cop.backup.seed import SCALES, seed
from cop.communities.models import Membership
from cop.core import clock
from cop.core.db import read_session
from cop.core.permissions import SYSTEM
from cop.workshops.attendance import attendance_summary
from cop.workshops.models import Attendance, Outcome, Workshop
from cop.workshops.queries import find_workshops, upcoming_workshops, workshop_detail


def test_small_seed_has_its_workshops_attendance_and_outcomes_within_the_rules(
    engine: Engine,
) -> None:
    counts = seed(engine, "small", random_seed=7)
    scale = SCALES["small"]
    assert counts["workshop"] == scale.workshops
    assert counts["attendance"] == scale.attendance
    assert counts["agenda_item"] >= 2 * scale.workshops
    assert counts["outcome"] > 0
    w, a, m, o = Workshop.__table__, Attendance.__table__, Membership.__table__, Outcome.__table__
    with engine.connect() as conn:
        outside = conn.execute(
            sa.select(sa.func.count())
            .select_from(a.join(w, w.c.id == a.c.workshop_id))
            .outerjoin(m, (m.c.person_id == a.c.person_id) & (m.c.community_id == w.c.community_id))
            .where(a.c.person_id.is_not(None), m.c.id.is_(None))
        ).scalar_one()
        twice = conn.execute(
            sa.select(a.c.workshop_id, a.c.person_id)
            .where(a.c.person_id.is_not(None))
            .group_by(a.c.workshop_id, a.c.person_id)
            .having(sa.func.count() > 1)
        ).all()
        guests_without_names = conn.execute(
            sa.select(sa.func.count()).where(
                a.c.person_id.is_(None), (a.c.guest_name == "") | (a.c.guest_organisation == "")
            )
        ).scalar_one()
        bad_times = conn.execute(
            sa.select(sa.func.count()).where(w.c.ends_at < w.c.starts_at)
        ).scalar_one()
        closed_without_minutes = conn.execute(
            sa.select(sa.func.count()).where(
                w.c.status == "closed", w.c.minutes == "", w.c.closing_report == ""
            )
        ).scalar_one()
        outcomes_of_planned = conn.execute(
            sa.select(sa.func.count())
            .select_from(o.join(w, w.c.id == o.c.workshop_id))
            .where(w.c.status == "planned")
        ).scalar_one()
        online_without_link = conn.execute(
            sa.select(sa.func.count()).where(w.c.format != "in_person", w.c.meeting_link == "")
        ).scalar_one()
    assert (outside, twice, guests_without_names, bad_times) == (0, [], 0, 0)
    assert (closed_without_minutes, outcomes_of_planned, online_without_link) == (0, 0, 0)
    with read_session(engine) as s:
        rows, total = find_workshops(s, SYSTEM, limit=5)
        detail = workshop_detail(s, SYSTEM, rows[0].id)
        summary = attendance_summary(s, SYSTEM, rows[0].id)
    assert total == scale.workshops
    assert detail.workshop.id == rows[0].id and detail.agenda
    assert summary.registered == rows[0].attendees


def test_demo_workshops_are_hosted_in_turn_with_closed_outcomes_and_upcoming_visits(
    engine: Engine,
) -> None:
    clock.freeze(datetime(2026, 6, 1, 12, tzinfo=UTC))
    load_demo(engine)
    with read_session(engine) as s:
        rows, total = find_workshops(s, SYSTEM, limit=100)
        upcoming = upcoming_workshops(s, SYSTEM, 10)
        closed = [workshop_detail(s, SYSTEM, r.id) for r in rows if r.status == "closed"]
        linked = s.exec(select(Action).where(col(Action.outcome_id).is_not(None))).all()
        listed = [outcomes_with_actions(s, d.workshop.id) for d in closed]
    assert total >= 12
    assert len({r.host_organisation_id for r in rows}) >= 10
    assert {"online", "in_person", "hybrid"} <= {r.format for r in rows}
    assert {"study_visit", "workshop"} <= {r.kind for r in rows}
    assert len(upcoming) >= 3 and all(r.status == "planned" for r in upcoming)
    assert closed and all(
        d.outcomes and (d.workshop.minutes or d.workshop.closing_report) for d in closed
    )
    assert linked and all(a.workshop_id is not None for a in linked)
    assert any(
        o.outcome.kind == "action" and o.action_id is None for entries in listed for o in entries
    )
