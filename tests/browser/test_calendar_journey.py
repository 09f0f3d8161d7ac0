"""Issue 19 item 5 in Chromium: the workshops calendar's week view, wide and on a phone.

A facilitator opens the calendar, chooses Week, reads a workshop of this week by its whole
(long) title, goes to the next week and back, and opens it. At 390 px wide the grid gives
way to a list of the days with workshops and today, and the page does not scroll sideways.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import DEMO_PASSWORD, Server, stop_server
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import assert_clean_log, click, demo_server, enter, go, main
from tests.workshops.test_calendar_page import LONG_TITLE, record_on

pytestmark = pytest.mark.e2e

TITLE = LONG_TITLE


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo plus a workshop with a long title today, in the facilitator's time zone."""
    from cop.accounts import service as accounts
    from cop.core import db
    from cop.workshops.ui.calendar import reader_today

    running = demo_server(tmp_path_factory.mktemp("calendar"))
    engine = db.get_engine(running.database_url)
    with db.read_session(engine) as session:
        today = reader_today(accounts.load_actor(session, username="facilitator"))
    record_on(today, TITLE, engine)
    db.dispose_engines()
    yield running
    stop_server(running)
    assert_clean_log(running)


def open_week(page: Page, server: Server) -> None:
    enter(page, server.url, "facilitator", DEMO_PASSWORD)
    go(page, "Workshops")
    click(main(page).get_by_role("radio", name="Calendar"))
    click(main(page).get_by_role("radio", name="Week"))


def shown_in_full(link: Locator) -> bool:
    """The link's text is the whole title and nothing of it is cut off or hidden."""
    return bool(
        link.evaluate(
            """a => {
                const text = a.querySelector('p') || a;
                return text.scrollWidth <= text.clientWidth + 1
                    && text.scrollHeight <= text.clientHeight + 1;
            }"""
        )
    )


def test_the_week_shows_a_workshop_in_full_and_moves_a_week_each_way(
    server: Server, new_context
) -> None:
    page = new_context().new_page()
    open_week(page, server)
    grid = main(page).locator(".st-key-ws_cal_grid")
    expect(grid).to_be_visible()
    expect(main(page).locator(".st-key-ws_cal_list")).to_be_hidden()
    heading = main(page).get_by_role("heading", name="Week of")
    this_week = heading.inner_text()
    link = grid.get_by_role("link", name=TITLE, exact=True)
    expect(link).to_be_visible()
    assert shown_in_full(link)
    today_cell = main(page).locator(".st-key-ws_cal_grid_today")
    expect(today_cell.get_by_text("Today", exact=True)).to_be_visible()
    expect(today_cell.get_by_role("link", name=TITLE, exact=True)).to_be_visible()

    click(main(page).get_by_role("button", name="Next"))
    expect(heading).not_to_have_text(this_week)
    expect(main(page).get_by_role("link", name=TITLE, exact=True)).to_have_count(0)
    click(main(page).get_by_role("button", name="Previous"))
    expect(heading).to_have_text(this_week)
    expect(link).to_be_visible()

    click(link)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    wait_idle(page)
    assert_no_exception(page)


def test_on_a_phone_the_week_is_a_day_list_without_sideways_scrolling(
    server: Server, new_context
) -> None:
    page = new_context().new_page()
    enter(page, server.url, "facilitator", DEMO_PASSWORD, cookie=True)
    # On a phone the sidebar is folded away: the page is opened by its address.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/workshops")
    wait_idle(page)
    click(main(page).get_by_role("radio", name="Calendar"))
    click(main(page).get_by_role("radio", name="Week"))
    days = main(page).locator(".st-key-ws_cal_list")
    expect(days).to_be_visible()
    expect(main(page).locator(".st-key-ws_cal_grid")).to_be_hidden()
    today = days.locator(".st-key-ws_cal_list_today")
    expect(today.get_by_text("Today", exact=True)).to_be_visible()
    link = today.get_by_role("link", name=TITLE, exact=True)
    expect(link).to_be_visible()
    assert shown_in_full(link)
    wide = page.evaluate(
        """() => [document.documentElement, document.body,
                  document.querySelector('[data-testid=stMain]')]
            .map(e => e.scrollWidth - e.clientWidth)"""
    )
    assert max(wide) <= 1, wide  # nothing reaches past the screen's edge
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert_no_exception(page)


def test_on_a_phone_a_busy_day_of_the_month_offers_its_week(server: Server, new_context) -> None:
    """A month's day list names three workshops a day; "and 2 more" opens that day's week,
    which names all five."""
    from cop.accounts import service as accounts
    from cop.core import db
    from cop.workshops.ui.calendar import reader_today

    engine = db.get_engine(server.database_url)
    with db.read_session(engine) as session:
        today = reader_today(accounts.load_actor(session, username="facilitator"))
    busy = today.replace(day=16 if today.day == 15 else 15)
    for n in range(5):
        record_on(busy, f"Drop-in hour {n + 1}", engine)
    db.dispose_engines()
    page = new_context().new_page()
    enter(page, server.url, "facilitator", DEMO_PASSWORD, cookie=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/workshops")
    wait_idle(page)
    click(main(page).get_by_role("radio", name="Calendar"))
    days = main(page).locator(".st-key-ws_cal_list")
    expect(days).to_be_visible()
    expect(days.get_by_role("link", name="Drop-in hour")).to_have_count(3)
    click(days.get_by_role("button", name="and 2 more"))
    expect(main(page).get_by_role("heading", name="Week of")).to_be_visible()
    expect(days.get_by_role("link", name="Drop-in hour")).to_have_count(5)
    assert_no_exception(page)
