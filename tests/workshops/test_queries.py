"""Finding workshops: filters, sorting and paging in SQL, upcoming ones, the month calendar and the detail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from cop.core import clock
from cop.core.db import read_session, write_session
from cop.core.errors import NotFound, ValidationError
from cop.workshops import agenda, attendance, outcomes
from cop.workshops import service as workshops
from cop.workshops.queries import (
    Facilitator,
    WorkshopRow,
    find_workshops,
    month_calendar,
    upcoming_workshops,
    week_calendar,
    workshop_detail,
    workshop_history,
)
from tests import factories
from tests.factories import World


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


def _titles(rows: Sequence[WorkshopRow]) -> list[str]:
    return [r.title for r in rows]


def test_filters_combine_and_are_counted(engine: Engine, w: World) -> None:
    ghent = factories.organisation(engine, "Ghent")
    factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Mentoring in Ghent",
        kind="study_visit",
        host_organisation_id=ghent,
        starts_at=datetime(2026, 2, 3, 9),
        ends_at=datetime(2026, 2, 5, 17),
    )
    factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Online dialogue",
        kind="city_dialogue",
        format="online",
        place="",
        meeting_link="https://meet.example/x",
        starts_at=datetime(2026, 4, 1, 14),
        ends_at=datetime(2026, 4, 1, 15),
    )
    factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Planning 2027",
        kind="planning_session",
        objectives="Budget for 100% of volunteers_",
        starts_at=datetime(2026, 9, 1, 9),
        ends_at=datetime(2026, 9, 1, 12),
    )
    with read_session(engine) as s:
        assert find_workshops(s, w.observer)[1] == 3
        assert _titles(find_workshops(s, w.observer, kind="study_visit")[0]) == [
            "Mentoring in Ghent"
        ]
        assert _titles(find_workshops(s, w.observer, format="online")[0]) == ["Online dialogue"]
        assert _titles(find_workshops(s, w.observer, host_organisation_id=ghent)[0]) == [
            "Mentoring in Ghent"
        ]
        assert _titles(find_workshops(s, w.observer, text="GHENT")[0]) == ["Mentoring in Ghent"]
        assert _titles(find_workshops(s, w.observer, text="100%")[0]) == ["Planning 2027"]
        assert find_workshops(s, w.observer, text="%")[1] == 1
        assert find_workshops(s, w.observer, text="_")[1] == 1
        assert _titles(
            find_workshops(s, w.observer, date_from="2026-03-01", date_to=date(2026, 4, 1))[0]
        ) == ["Online dialogue"]
        assert _titles(
            find_workshops(s, w.observer, status="planned", sort="title", descending=False)[0]
        ) == ["Mentoring in Ghent", "Online dialogue", "Planning 2027"]
        assert find_workshops(s, w.observer, status="closed") == ([], 0)


def test_paging_returns_one_page_and_the_total(engine: Engine, w: World) -> None:
    for day in range(1, 8):
        factories.workshop(
            engine,
            w.member,
            w.community.id,
            title=f"Day {day}",
            starts_at=datetime(2026, 5, day, 10),
            ends_at=datetime(2026, 5, day, 11),
        )
    with read_session(engine) as s:
        first, total = find_workshops(s, w.member, limit=3)
        third, _ = find_workshops(s, w.member, limit=3, offset=6)
    assert total == 7
    assert _titles(first) == ["Day 7", "Day 6", "Day 5"]
    assert _titles(third) == ["Day 1"]
    assert first[0].community == w.community.name
    assert first[0].attendees == 0


def test_attendee_count_is_part_of_the_row(engine: Engine, w: World) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s:
        attendance.add_guest(s, w.member, made.id, name="Bo", organisation="NGO")
        attendance.add_attendee(s, w.member, made.id, person_id=w.member.person_id)
    with read_session(engine) as s:
        assert find_workshops(s, w.member)[0][0].attendees == 2


def test_bad_filters_get_field_messages(engine: Engine, w: World) -> None:
    with read_session(engine) as s, pytest.raises(ValidationError) as err:
        find_workshops(
            s,
            w.member,
            kind="party",
            sort="password_hash",
            date_from="2026-05-02",
            date_to="2026-05-01",
        )
    assert set(err.value.fields) == {"kind", "sort", "date_to"}


def test_private_communities_are_left_out_for_outsiders(engine: Engine, w: World) -> None:
    private = factories.world(engine, visibility="private")
    factories.workshop(engine, w.member, w.community.id, title="Open one")
    factories.workshop(engine, private.member, private.community.id, title="Private one")
    with read_session(engine) as s:
        assert _titles(find_workshops(s, w.outsider)[0]) == ["Open one"]
        assert sorted(_titles(find_workshops(s, private.member)[0])) == ["Open one", "Private one"]
        assert sorted(_titles(find_workshops(s, w.admin)[0])) == ["Open one", "Private one"]
        with pytest.raises(NotFound):
            find_workshops(s, w.outsider, community_id=private.community.id)
        clock.freeze(datetime(2026, 1, 1, tzinfo=UTC))
        assert _titles(upcoming_workshops(s, w.outsider, 10)) == ["Open one"]
        assert sorted(_titles(month_calendar(s, private.member, 2026, 3)[date(2026, 3, 10)])) == [
            "Open one",
            "Private one",
        ]
        assert _titles(month_calendar(s, w.outsider, 2026, 3)[date(2026, 3, 10)]) == ["Open one"]


def test_upcoming_lists_unfinished_open_workshops_soonest_first(engine: Engine, w: World) -> None:
    clock.freeze(datetime(2026, 3, 1, 12, tzinfo=UTC))
    factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Past",
        starts_at=datetime(2026, 2, 1, 9),
        ends_at=datetime(2026, 2, 1, 10),
    )
    factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Later",
        starts_at=datetime(2026, 4, 1, 9),
        ends_at=datetime(2026, 4, 1, 10),
    )
    factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Soon",
        starts_at=datetime(2026, 3, 2, 9),
        ends_at=datetime(2026, 3, 2, 10),
    )
    factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Running",
        starts_at=datetime(2026, 2, 28, 9),
        ends_at=datetime(2026, 3, 3, 10),
    )
    with read_session(engine) as s:
        assert _titles(upcoming_workshops(s, w.observer, 2)) == ["Running", "Soon"]
        assert _titles(upcoming_workshops(s, w.observer, 10, community_id=w.community.id)) == [
            "Running",
            "Soon",
            "Later",
        ]


def test_month_calendar_puts_workshops_on_each_local_day(engine: Engine, w: World) -> None:
    factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Study visit",
        kind="study_visit",
        starts_at=datetime(2026, 3, 30, 9),
        ends_at=datetime(2026, 4, 2, 17),
    )
    # 00:30 on 10 March in Berlin is still 9 March for someone in New York.
    factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Night session",
        starts_at=datetime(2026, 3, 10, 0, 30),
        ends_at=datetime(2026, 3, 10, 1, 0),
    )
    with read_session(engine) as s:
        march = month_calendar(s, w.member, 2026, 3)
        april = month_calendar(s, w.member, 2026, 4)
        new_york = month_calendar(s, replace(w.member, time_zone="America/New_York"), 2026, 3)
    assert len(march) == 31 and len(april) == 30
    assert [d.day for d, rows in march.items() if rows] == [10, 30, 31]
    assert [d.day for d, rows in april.items() if rows] == [1, 2]
    assert _titles(new_york[date(2026, 3, 9)]) == ["Night session"]
    with read_session(engine) as s, pytest.raises(ValidationError):
        month_calendar(s, w.member, 2026, 13)


def test_week_calendar_runs_monday_to_sunday_and_spans_a_month_end(
    engine: Engine, w: World
) -> None:
    factories.workshop(
        engine,
        w.member,
        w.community.id,
        title="Study visit",
        kind="study_visit",
        starts_at=datetime(2026, 3, 30, 9),
        ends_at=datetime(2026, 4, 2, 17),
    )
    with read_session(engine) as s:
        week = week_calendar(s, w.member, date(2026, 4, 1))  # a Wednesday
        before = week_calendar(s, w.member, date(2026, 3, 29))  # the Sunday before
    assert list(week) == [date(2026, 3, 30) + timedelta(days=n) for n in range(7)]
    assert [d.day for d, rows in week.items() if rows] == [30, 31, 1, 2]
    assert not any(before.values()) and min(before) == date(2026, 3, 23)
    with read_session(engine) as s, pytest.raises(ValidationError):
        week_calendar(s, w.member, date(1980, 1, 1))


def test_detail_has_everything_with_history_and_what_the_actor_may_do(
    engine: Engine, w: World
) -> None:
    host = factories.organisation(engine, "Bologna")
    made = factories.workshop(
        engine,
        w.member,
        w.community.id,
        host_organisation_id=host,
        facilitator_ids=[w.facilitator.person_id],
    )
    with write_session(engine) as s:
        agenda.add_agenda_item(s, w.member, made.id, title="Welcome")
        attendance.add_guest(s, w.member, made.id, name="Bo", organisation="NGO", attended=True)
        outcomes.add_outcome(s, w.member, made.id, kind="decision", text="Meet again")
        workshops.update_workshop(s, w.member, made.id, made.version, title="Renamed")
    with read_session(engine) as s:
        detail = workshop_detail(s, w.observer, made.id)
        as_member = workshop_detail(s, w.member, str(made.id))
        past = workshop_history(s, w.observer, made.id)  # read when the History tab opens
    assert detail.workshop.title == "Renamed"
    assert detail.host.name == "Bologna"
    assert detail.facilitators == [
        Facilitator(person_id=w.facilitator.person_id, name=w.facilitator.name)
    ]
    assert [i.title for i in detail.agenda] == ["Welcome"]
    assert [a.name for a in detail.attendance] == ["Bo"]
    assert detail.summary.attended == 1
    assert [o.text for o in detail.outcomes] == ["Meet again"]
    assert [str(e.sentence) for e in past] == [
        f"{w.member.name} updated the workshop “Renamed”.",
        f"{w.member.name} created an outcome of the workshop “Renamed”.",
        f"{w.member.name} created the attendance of Bo at the workshop “Renamed”.",
        f"{w.member.name} created the agenda item “Welcome” of the workshop “Renamed”.",
        f"{w.member.name} created the workshop “Renamed”.",
    ]  # its agenda, attendance and outcomes are part of its history
    assert [str(c) for c in past[0].changes] == [f"Title: {made.title} → Renamed"]
    assert not any(getattr(detail.may, k) for k in ("edit", "close", "attend", "export_attendance"))
    assert as_member.may.edit and not as_member.may.reopen and not as_member.may.export_attendance
    with read_session(engine) as s, pytest.raises(NotFound):
        workshop_detail(s, w.member, "999999")
    with read_session(engine) as s, pytest.raises(NotFound):
        workshop_history(s, w.member, "999999")
