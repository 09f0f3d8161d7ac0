"""Issue 5 in Chromium: a facilitator records a workshop, holds it, closes it with minutes and an
action outcome, creates the action from that outcome, then finds the workshop in the list and the
month calendar."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import (
    assert_clean_log,
    choose,
    click,
    enter,
    fill_text,
    go,
    grid_text,
    main,
    pick_community,
    type_date,
)

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"


def test_facilitator_records_holds_closes_a_workshop_and_turns_its_outcome_into_an_action(
    demo, new_context
) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    # Yesterday in the facilitator's zone, which is also the workshop's: a workshop can be
    # marked held only once it has begun (at the form's default 10:00, today may be too early).
    today = datetime.now(ZoneInfo("Europe/Brussels")).date()
    day = today - timedelta(days=1)
    title = f"Welcome desks with libraries {uuid.uuid4().hex[:6]} – Gent ✓"

    go(page, "Workshops")
    pick_community(page, COMMUNITY)
    click(main(page).get_by_text("Record a workshop or visit"))
    form = main(page).get_by_test_id("stForm")
    form.get_by_label("Title").fill(title)
    type_date(form, "Start date", day)
    type_date(form, "End date", day)
    form.get_by_label("Place (in person and hybrid)").fill("Ghent public library")
    click(form.get_by_role("button", name="Save"))

    # Saved, the workshop opens: planned until it is marked as held.
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(main(page).get_by_text("Workshop · In person · Planned")).to_be_visible()
    click(page.get_by_role("button", name="Mark as held"))
    expect(main(page).get_by_text("Workshop · In person · Held")).to_be_visible()

    # Outcomes are added while it is held; closing makes the workshop read-only.
    click(page.get_by_role("tab", name="Outcomes"))
    outcomes = page.get_by_role("tabpanel", name="Outcomes")
    outcomes.get_by_text("Action", exact=True).click()
    outcomes.get_by_label("Outcome (Markdown)").fill(
        "Open a welcome desk in every district library\n\nRun by volunteers who speak the newcomers' languages."
    )
    click(outcomes.get_by_role("button", name="Add outcome"))
    expect(outcomes.get_by_text("Open a welcome desk in every district library")).to_be_visible()

    click(main(page).get_by_text("Close the workshop"))
    page.get_by_label("Minutes (Markdown)").fill(
        "We agreed to pilot welcome desks in two libraries."
    )
    click(page.get_by_role("button", name="Close", exact=True))
    expect(main(page).get_by_text("Workshop · In person · Closed")).to_be_visible()
    expect(main(page).get_by_text("This workshop is closed and read-only")).to_be_visible()

    # The action outcome becomes a joint action, linked from the outcome.
    click(page.get_by_role("tab", name="Outcomes"))
    click(outcomes.get_by_role("button", name="Create action"))
    popover = page.get_by_test_id("stPopoverBody")
    expect(popover.get_by_label("Title")).to_have_value(
        "Open a welcome desk in every district library"
    )
    choose(popover, "Owner", "Lena Schäfer")
    click(popover.get_by_role("button", name="Create action"))
    link = outcomes.get_by_role(
        "link", name="Action: Open a welcome desk in every district library"
    )
    expect(link).to_be_visible()
    assert_no_exception(page)

    with sa.create_engine(demo.database_url).connect() as conn:
        stored = conn.execute(
            sa.text(
                "SELECT a.title, a.workshop_id, w.status FROM action a JOIN workshop w ON w.id = a.workshop_id "
                "WHERE w.title = :title AND a.deleted_at IS NULL"
            ),
            {"title": title},
        ).all()
    assert stored == [("Open a welcome desk in every district library", stored[0][1], "closed")]

    # Found again: the text filter narrows the list to it ...
    click(main(page).get_by_role("button", name="Back to the list"))
    fill_text(main(page).get_by_role("textbox", name="Search"), title.split(" – ")[0])
    expect(main(page).get_by_text("1 workshops and visits")).to_be_visible()
    assert title in grid_text(main(page))
    assert "Closed" in grid_text(main(page))

    # ... and the month calendar shows it on its day.
    click(main(page).get_by_role("radio", name="Calendar"))
    if (day.year, day.month) != (today.year, today.month):  # it opens on this month
        click(main(page).get_by_role("button", name="Previous"))
    entry = main(page).get_by_role("link", name=title)
    expect(entry).to_be_visible()
    day_cell = (
        main(page).get_by_test_id("stColumn").filter(has=page.get_by_role("link", name=title)).last
    )
    assert day_cell.inner_text().split()[0] == str(day.day)
    click(entry)
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    wait_idle(page)
    assert_no_exception(page)
    assert_clean_log(demo)


def test_list_calendar_list_round_trip_shows_no_error(demo, new_context) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    go(page, "Workshops")
    pick_community(page, COMMUNITY)
    click(main(page).get_by_role("radio", name="Calendar"))
    click(main(page).get_by_role("radio", name="List"))
    expect(main(page).get_by_text("Record a workshop or visit")).to_be_visible()
    assert_no_exception(page)


def test_workshop_opened_from_the_calendar_stays_open_after_a_change(demo, new_context) -> None:
    from cop.accounts import service as accounts
    from cop.communities import service as communities
    from cop.core import db
    from cop.workshops import service as workshops

    day = datetime.now(ZoneInfo("Europe/Brussels")).date()
    title = f"Calendar visit {uuid.uuid4().hex[:6]}"
    with db.write_session(db.get_engine(demo.database_url)) as session:
        facilitator = accounts.load_actor(session, username="facilitator")
        community = communities.get_by_slug(session, facilitator, "welcoming-culture")
        workshops.record_workshop(
            session,
            facilitator,
            community_id=community.id,
            title=title,
            kind="study_visit",
            format="in_person",
            place="Zagreb",
            starts_at=datetime.combine(day, time(9)),
            ends_at=datetime.combine(day, time(17)),
            time_zone="Europe/Brussels",
        )
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    go(page, "Workshops")
    click(main(page).get_by_role("radio", name="Calendar"))
    click(main(page).get_by_role("link", name=title))
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    agenda = page.get_by_role("tabpanel", name="Agenda")
    agenda.get_by_label("Agenda item").fill("Welcome at the volunteer centre")
    click(agenda.get_by_role("button", name="Add to the agenda"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(agenda.get_by_text("Welcome at the volunteer centre")).to_be_visible()
