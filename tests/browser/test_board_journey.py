"""Issue 19 item 3 in Chromium: the actions board moves cards by mouse and by keyboard.

A card dragged to another column, or moved with its "Move to…" menu from the keyboard, is
stored with its new status (read back from the database); a title with a script payload is
shown as text and runs nothing; an observer's cards cannot be dragged and offer no menu;
each column stops at 600 px and scrolls.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import Locator, Page, expect

from tests.actions.test_board_page import PAYLOAD, ZAGREB
from tests.browser.conftest import DEMO_PASSWORD, Server, stop_server
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import assert_clean_log, click, demo_server, enter, go, main

pytestmark = pytest.mark.e2e

DRAGGED = ZAGREB  # planned, in the facilitator's community
KEYED = "Shared welcome leaflet in six languages"  # an idea


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo plus an action whose title is a script payload."""
    from cop.core import db
    from tests.actions.test_board_page import add_action_beside_zagreb

    running = demo_server(tmp_path_factory.mktemp("board"))
    with db.write_session(db.get_engine(running.database_url)) as session:
        add_action_beside_zagreb(session, PAYLOAD)
    db.dispose_engines()
    yield running
    stop_server(running)
    assert_clean_log(running)


def stored(server: Server, title: str) -> tuple[int, str]:
    with sa.create_engine(server.database_url).connect() as conn:
        found = conn.execute(
            sa.text("SELECT id, status FROM action WHERE title = :t"), {"t": title}
        ).one()
    return int(found[0]), str(found[1])


def open_board(page: Page, server: Server, username: str) -> Locator:
    enter(page, server.url, username, DEMO_PASSWORD)
    go(page, "Actions")
    click(main(page).get_by_role("tab", name="Board"))
    board = main(page).locator(".cop-board")
    expect(board).to_be_visible()
    return board


def column(board: Locator, status: str) -> Locator:
    return board.locator(f".cop-cards[data-status='{status}']")


def card(board: Locator, action_id: int) -> Locator:
    return board.get_by_test_id(f"card-{action_id}")


def settle(page: Page, status_of: Callable[[], str], expected: str, timeout: float = 30) -> None:
    """Wait for the move to reach the database and the page to settle."""
    deadline = time.time() + timeout
    while status_of() != expected:
        if time.time() > deadline:
            raise AssertionError(f"the status did not become {expected}")
        time.sleep(0.2)
    wait_idle(page)


def test_a_card_dragged_with_the_mouse_changes_status_in_the_database(server, new_context) -> None:
    page = new_context().new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    board = open_board(page, server, "facilitator")
    action_id, status = stored(server, DRAGGED)
    assert status == "planned"
    dragged = card(board, action_id)
    count = board.locator(".cop-column[data-status='in_progress'] .cop-column-count")
    in_progress = int(count.inner_text())
    expect(column(board, "planned").get_by_test_id(f"card-{action_id}")).to_be_visible()
    expect(dragged).to_have_class(re.compile(r"\bis-movable\b"))
    dragged.locator(".cop-card-title").drag_to(column(board, "in_progress"))
    settle(page, lambda: stored(server, DRAGGED)[1], "in_progress")
    expect(column(board, "in_progress").get_by_test_id(f"card-{action_id}")).to_be_visible()
    expect(count).to_have_text(str(in_progress + 1))
    expect(page.locator(".cop-board-live")).to_have_text(f"“{DRAGGED}” moved to In progress.")
    assert_no_exception(page)
    own = urlsplit(server.url).netloc  # SortableJS comes with the page, from nowhere else
    assert not [u for u in requested if urlsplit(u).scheme != "blob" and urlsplit(u).netloc != own]


def test_a_card_moved_by_keyboard_changes_status_in_the_database(server, new_context) -> None:
    page = new_context().new_page()
    board = open_board(page, server, "facilitator")
    action_id, status = stored(server, KEYED)
    assert status == "idea"
    menu_button = card(board, action_id).get_by_role("button", name=f"Move to… {KEYED}")
    menu_button.focus()
    page.keyboard.press("Enter")  # opens the menu on its first entry
    menu = card(board, action_id).get_by_role("menu")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("menuitem", name="Planned")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name="In progress")).to_be_focused()
    page.keyboard.press("Enter")
    settle(page, lambda: stored(server, KEYED)[1], "in_progress")
    moved = column(board, "in_progress").get_by_test_id(f"card-{action_id}")
    expect(moved).to_be_visible()
    expect(page.locator(".cop-board-live")).to_have_text(f"“{KEYED}” moved to In progress.")
    expect(moved.get_by_role("button", name=f"Move to… {KEYED}")).to_be_focused()
    assert_no_exception(page)


def test_a_title_with_a_script_payload_is_shown_as_text_and_runs_nothing(
    server, new_context
) -> None:
    page = new_context().new_page()
    board = open_board(page, server, "facilitator")
    action_id, _ = stored(server, PAYLOAD)
    title = card(board, action_id).locator(".cop-card-title")
    expect(title).to_have_text(PAYLOAD)
    assert title.get_attribute("href") == f"actions?id={action_id}"
    assert title.get_attribute("target") == "_self"
    assert board.locator("script, img, [onerror]").count() == 0
    assert page.evaluate("window.__pwned === undefined"), "a payload ran in the browser"
    # The title opens the action in this tab and session.
    click(title)
    expect(page.get_by_role("heading", name=PAYLOAD)).to_be_visible()
    assert page.url.endswith(f"?id={action_id}")
    assert page.evaluate("window.__pwned === undefined")
    assert_no_exception(page)


def test_an_observer_cannot_drag_a_card(server, new_context) -> None:
    page = new_context().new_page()
    board = open_board(page, server, "observer")
    action_id, status = stored(server, "Ghent buddy programme for 40 new pairs")
    seen = card(board, action_id)
    expect(seen).to_be_visible()
    assert "is-movable" not in (seen.get_attribute("class") or "")
    assert board.locator(".cop-card.is-movable, .cop-move-button").count() == 0
    target = next(s for s in ("idea", "dropped", "done") if s != status)
    seen.locator(".cop-card-title").drag_to(column(board, target))
    wait_idle(page)
    expect(column(board, status).get_by_test_id(f"card-{action_id}")).to_be_visible()
    assert stored(server, "Ghent buddy programme for 40 new pairs")[1] == status
    assert_no_exception(page)


def test_columns_stop_at_600_px_and_scroll(server, new_context) -> None:
    page = new_context().new_page()
    board = open_board(page, server, "facilitator")
    heights = board.locator(".cop-column").evaluate_all(
        "columns => columns.map(c => c.getBoundingClientRect().height)"
    )
    assert heights and max(heights) <= 600, heights
    tallest = board.locator(".cop-cards").evaluate_all(
        "lists => lists.map(l => [l.scrollHeight, l.clientHeight, getComputedStyle(l).overflowY])"
    )
    assert any(s > c for s, c, _ in tallest), tallest  # the demo's busiest column scrolls
    assert all(o == "auto" for _, _, o in tallest)


def test_a_stale_drag_shows_the_other_change_and_the_card_goes_back(server, new_context) -> None:
    from cop.actions import service as actions
    from cop.core import db
    from cop.core.permissions import SYSTEM

    page = new_context().new_page()
    board = open_board(page, server, "facilitator")
    title = "Draft a certificate of volunteering that all four cities can issue."
    action_id, status = stored(server, title)
    dragged = card(board, action_id)
    expect(dragged).to_have_class(re.compile(r"\bis-movable\b"))
    with db.write_session(db.get_engine(server.database_url)) as session:  # someone else saves
        version = session.exec(
            sa.text("SELECT version FROM action WHERE id = :id").bindparams(id=action_id)
        ).scalar_one()
        actions.update_action(session, SYSTEM, action_id, version, priority="high")
    db.dispose_engines()
    target = next(s for s in ("planned", "in_progress") if s != status)
    dragged.locator(".cop-card-title").drag_to(column(board, target))
    wait_idle(page)
    expect(main(page).get_by_text("Someone else saved this in the meantime")).to_be_visible()
    expect(column(board, status).get_by_test_id(f"card-{action_id}")).to_be_visible()
    expect(column(board, target).get_by_test_id(f"card-{action_id}")).to_have_count(0)
    assert stored(server, title)[1] == status
    expect(page.locator(".cop-board-live")).to_have_text(re.compile("^The card was not moved"))
    assert_no_exception(page)
