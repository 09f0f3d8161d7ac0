"""Issue 19 item 5: the workshops calendar, a month or a week, on the demo workspace.

The week shows its seven days with each workshop (full title, linked, its times in the
reader's time zone), Previous / Next move a week, Today comes back, today is marked, and
every day with workshops is drawn a second time as the phone's day list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from cop.accounts import service as accounts
from cop.communities import service as communities
from cop.core.db import write_session
from cop.shell.formatting import day_heading, format_date
from cop.workshops import service as workshops
from cop.workshops.queries import week_calendar
from cop.workshops.ui.calendar import reader_today
from tests.page_fixtures import texts

LONG_TITLE = (
    "Neighbourhood mentors meet the district offices: a whole afternoon on welcoming "
    "newcomers who volunteer in sports clubs"
)


def record_on(day: date, title: str = LONG_TITLE, engine: Engine | None = None) -> None:
    """A workshop of the facilitator's community from 14:00 to 17:30 on ``day``, in their zone."""
    with write_session(engine) as session:
        facilitator = accounts.load_actor(session, username="facilitator")
        community = communities.get_by_slug(session, facilitator, "welcoming-culture")
        workshops.record_workshop(
            session,
            facilitator,
            community_id=community.id,
            title=title,
            kind="workshop",
            format="online",
            meeting_link="https://meet.example.org/mentors",
            starts_at=datetime.combine(day, time(14)),
            ends_at=datetime.combine(day, time(17, 30)),
            time_zone=facilitator.time_zone,
        )


def _button(at: AppTest, key: str) -> Any:
    return next(b for b in at.button if b.key == key)


@pytest.fixture
def today(demo_db: str) -> date:
    with write_session() as session:
        return reader_today(accounts.load_actor(session, username="facilitator"))


def week(run_page: Callable[..., AppTest]) -> AppTest:
    at = run_page("workshops", "facilitator")
    at.session_state["ws_view"] = "calendar"
    at.session_state["ws_cal_mode"] = "week"
    return at.run()


def _heading(at: AppTest) -> str:
    return at.subheader[0].value


def test_the_week_shows_its_seven_days_and_the_workshop_of_the_week_in_full(
    run_page: Callable[..., AppTest], today: date
) -> None:
    record_on(today)
    at = week(run_page)
    assert not at.exception, at.exception
    monday = today - timedelta(days=today.weekday())
    assert _heading(at) == (
        f"Week of {format_date(monday, 'en')} to {format_date(monday + timedelta(days=6), 'en')}"
    )
    shown = texts(at)
    for offset, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        assert f"**{name}** **{(monday + timedelta(days=offset)).day}**" in shown
    assert shown.count(LONG_TITLE) >= 2  # the grid and the phone's day list, never cut
    assert "2:00 PM–5:30 PM · Online" in shown.replace("\u202f", " ")
    assert f'title="{LONG_TITLE}' in shown  # the full title on hover too
    assert "workshops?id=" in shown


def test_previous_and_next_move_a_week_and_today_comes_back(
    run_page: Callable[..., AppTest], today: date
) -> None:
    record_on(today)
    at = week(run_page)
    this_week = _heading(at)
    _button(at, "ws_cal_next").click().run()
    assert not at.exception, at.exception
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    assert _heading(at).startswith(f"Week of {format_date(monday, 'en')}")
    assert LONG_TITLE not in texts(at)
    assert ":red-badge[Today]" not in texts(at)
    _button(at, "ws_cal_previous").click().run()
    _button(at, "ws_cal_previous").click().run()
    assert _heading(at).startswith(f"Week of {format_date(monday - timedelta(days=14), 'en')}")
    _button(at, "ws_cal_today").click().run()
    assert _heading(at) == this_week and LONG_TITLE in texts(at)


def test_today_is_marked_in_the_grid_and_in_the_day_list(
    run_page: Callable[..., AppTest], today: date
) -> None:
    at = week(run_page)
    shown = texts(at)
    assert shown.count(":red-badge[Today]") == 2  # once in the grid, once in the list
    assert any("@media (max-width: 640px)" in m.value for m in at.markdown)
    at = run_page("workshops", "facilitator")
    at.session_state["ws_view"] = "calendar"
    at.run()
    assert texts(at).count(":red-badge[Today]") == 2  # the month marks it too
    assert at.subheader[0].value.endswith(str(today.year))


def test_the_day_list_names_only_days_with_workshops_and_today(
    run_page: Callable[..., AppTest], today: date
) -> None:
    other = today + timedelta(days=1) if today.weekday() < 6 else today - timedelta(days=1)
    record_on(other, "Second day of the mentors meeting")
    at = week(run_page)
    with write_session() as session:
        facilitator = accounts.load_actor(session, username="facilitator")
        days = week_calendar(session, facilitator, today)
    busy = {day for day, found in days.items() if found}
    assert other in busy
    listed = {
        m.value.split("**")[1]
        for m in at.markdown
        if m.value.startswith("**")
        and m.value.split("**")[1] in {day_heading(day, "en") for day in days}
    }
    assert listed == {day_heading(day, "en") for day in busy | {today}}


def test_a_month_with_more_than_three_on_a_day_offers_that_week(
    run_page: Callable[..., AppTest], today: date
) -> None:
    for n in range(4):
        record_on(today, f"Drop-in hour {n + 1}")
    at = run_page("workshops", "facilitator")
    at.session_state["ws_view"] = "calendar"
    at.run()
    more = next(b for b in at.button if b.label.startswith("and ") and b.label.endswith(" more"))
    more.click().run()
    assert at.session_state["ws_cal_mode"] == "week"
    assert all(f"Drop-in hour {n + 1}" in texts(at) for n in range(4))


def test_a_months_day_list_names_three_workshops_of_a_day_and_offers_that_week(
    run_page: Callable[..., AppTest], today: date
) -> None:
    """The phone's list of a month drew every workshop of every day: a large workspace's busy
    month was hundreds of links sent with every run (and read on a phone, one by one)."""
    for n in range(6):
        record_on(today, f"Drop-in hour {n + 1}")
    at = run_page("workshops", "facilitator")
    at.session_state["ws_view"] = "calendar"
    at.run()
    links = [m for m in at.markdown if m.value.startswith("<a href") and "Drop-in hour" in m.value]
    assert len(links) == 3 + 3, "three in the grid's cell, three in the day list"
    offers = [b for b in at.button if b.label == "and 3 more"]
    assert len(offers) == 2
    list_offer = next(b for b in offers if b.key.startswith("ws_cal_list_more_"))
    list_offer.click().run()
    assert at.session_state["ws_cal_mode"] == "week"
    assert all(f"Drop-in hour {n + 1}" in texts(at) for n in range(6))


def test_the_week_and_its_day_are_kept_while_the_list_is_shown(
    run_page: Callable[..., AppTest], today: date
) -> None:
    at = run_page("workshops", "facilitator")
    at.session_state["ws_view"] = "calendar"
    at.run()
    next(c for c in at.segmented_control if c.key == "ws_cal_mode").set_value("week").run()
    _button(at, "ws_cal_next").click().run()
    shown = _heading(at)
    assert shown.startswith("Week of")
    at.session_state["ws_view"] = "list"
    at.run()
    at.session_state["ws_view"] = "calendar"
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["ws_cal_mode"] == "week" and _heading(at) == shown
