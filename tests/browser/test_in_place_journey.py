"""Issue 19, items 1 and 2 in Chromium: a row of the workshops list opens in this tab and
"Back to the list" returns to the same community, search and page; a workshop recorded while
the sidebar shows "All my communities" goes to the community chosen in the form; a deep link
opens its workshop after sign-in."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import DEMO_PASSWORD, Server
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import (
    assert_clean_log,
    choose,
    click,
    enter,
    fill_text,
    go,
    main,
    pick_community,
    type_date,
)

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"
OTHER = "Volunteers engaging young migrants"
ROW_HEIGHT = 35  # Streamlit's dataframe rows and header, in CSS pixels


def _add_workshops(server: Server, marker: str, count: int) -> None:
    """``count`` workshops of the community, through the service: two pages of a search."""
    from cop.communities import service as communities
    from cop.core import db
    from cop.core.permissions import SYSTEM
    from cop.workshops import service as workshops

    start = datetime(2031, 1, 5, 9, tzinfo=UTC)
    with db.write_session(db.get_engine(server.database_url)) as session:
        community = communities.get_by_slug(session, SYSTEM, "welcoming-culture")
        for number in range(count):
            workshops.record_workshop(
                session,
                SYSTEM,
                community_id=community.id,  # type: ignore[arg-type]
                title=f"{marker} session {number:02d}",
                kind="workshop",
                format="online",
                starts_at=start + timedelta(days=number),
                ends_at=start + timedelta(days=number, hours=2),
                time_zone="Europe/Brussels",
                meeting_link="https://meet.example.org/in-place",
            )


def _grid(page: Page) -> Locator:
    return main(page).get_by_test_id("stDataFrame").first


def _row_titles(page: Page, grid: Locator | None = None) -> list[str]:
    """The Title column of the grid, read from its accessible mirror table."""
    rows = (grid or _grid(page)).locator("table tbody tr")
    return [
        (rows.nth(i).locator("td").nth(1).text_content() or "").strip() for i in range(rows.count())
    ]


def _press_open(page: Page, row: int, grid: Locator | None = None) -> None:
    """Click the "Open" button of a row: the grid is drawn on a canvas, so by position."""
    grid = grid or _grid(page)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 22, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
    wait_idle(page)


def _community_shown(page: Page) -> str:
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Community")
    return box.input_value()


def test_a_row_opens_in_this_tab_and_back_returns_to_the_same_search_and_page(
    demo, new_context
) -> None:
    marker = f"Mentoring circle {uuid.uuid4().hex[:6]}"
    _add_workshops(demo, marker, 30)
    context = new_context()
    page = context.new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    go(page, "Workshops")
    pick_community(page, COMMUNITY)
    fill_text(main(page).get_by_role("textbox", name="Search"), marker)
    expect(main(page).get_by_text("30 workshops and visits")).to_be_visible()
    pager = main(page).get_by_label("Page (of 2)")
    pager.fill("2")
    pager.press("Enter")
    wait_idle(page)
    expect(_grid(page).locator("table tbody tr")).to_have_count(5)
    listed = _row_titles(page)
    assert len(listed) == 5 and all(t.startswith(marker) for t in listed), listed
    # Newest first: the second page holds the five earliest.
    assert set(listed) == {f"{marker} session {n:02d}" for n in range(5)}

    _press_open(page, 2)
    expect(page.get_by_role("heading", name=listed[2])).to_be_visible()
    assert re.search(r"/workshops\?id=\d+$", page.url), page.url
    assert len(context.pages) == 1  # no new tab
    assert COMMUNITY in _community_shown(page)
    assert_no_exception(page)

    click(main(page).get_by_role("button", name="Back to the list"))
    expect(main(page).get_by_text("30 workshops and visits")).to_be_visible()
    expect(main(page).get_by_role("textbox", name="Search")).to_have_value(marker)
    expect(main(page).get_by_label("Page (of 2)")).to_have_value("2")
    # The grid draws its rows after the run has ended: wait for them, then read them.
    expect(_grid(page).locator("table tbody tr")).to_have_count(len(listed))
    assert _row_titles(page) == listed
    assert COMMUNITY in _community_shown(page)
    assert "id=" not in page.url
    assert_no_exception(page)
    assert_clean_log(demo)


def test_a_workshop_recorded_under_all_my_communities_goes_to_the_community_chosen(
    demo, new_context
) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    go(page, "Workshops")
    assert "All my communities" in _community_shown(page)
    click(main(page).get_by_text("Record a workshop or visit"))
    choose(main(page), "Community", OTHER)
    title = f"Peer mentors for young newcomers {uuid.uuid4().hex[:6]}"
    form = main(page).get_by_test_id("stForm")
    form.get_by_label("Title").fill(title)
    day = datetime.now(UTC).date() + timedelta(days=30)
    type_date(form, "Start date", day)
    type_date(form, "End date", day)
    form.get_by_label("Place (in person and hybrid)").fill("Youth centre")
    click(form.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(main(page).get_by_text(OTHER)).to_be_visible()

    engine = sa.create_engine(demo.database_url)
    with engine.connect() as conn:
        stored = conn.execute(
            sa.text(
                "SELECT c.name FROM workshop w JOIN community c ON c.id = w.community_id "
                "WHERE w.title = :title"
            ),
            {"title": title},
        ).all()
    engine.dispose()
    assert stored == [(OTHER,)]
    assert "All my communities" in _community_shown(page)
    assert_no_exception(page)


def test_a_deep_link_opens_its_workshop_after_sign_in(demo, new_context) -> None:
    engine = sa.create_engine(demo.database_url)
    with engine.connect() as conn:
        workshop_id, title = conn.execute(
            sa.text("SELECT id, title FROM workshop ORDER BY id LIMIT 1")
        ).one()
    engine.dispose()
    page = new_context().new_page()
    enter(page, f"{demo.url}/workshops?id={workshop_id}", "facilitator", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    assert page.url.endswith(f"?id={workshop_id}")
    assert_no_exception(page)


def test_a_workshop_where_a_practice_was_seen_opens_in_this_tab(demo, new_context) -> None:
    engine = sa.create_engine(demo.database_url)
    with engine.connect() as conn:
        practice_id = conn.execute(
            sa.text("SELECT practice_id FROM practice_workshop ORDER BY practice_id LIMIT 1")
        ).scalar_one()
    engine.dispose()
    context = new_context()
    page = context.new_page()
    enter(page, f"{demo.url}/practices?id={practice_id}", "facilitator", DEMO_PASSWORD)
    seen = main(page).get_by_test_id("stDataFrame").last
    expect(seen.locator("table tbody tr").first).to_be_attached()
    titles = _row_titles(page, seen)
    assert titles, "the practice lists where it was seen"
    _press_open(page, 0, seen)
    expect(page.get_by_role("heading", name=titles[0])).to_be_visible()
    assert re.search(r"/workshops\?id=\d+$", page.url), page.url
    assert len(context.pages) == 1
    assert_no_exception(page)
