"""Issue 23 item 3 in Chromium: a journey done with the keyboard alone.

After signing in, the test only presses keys (Tab, Shift+Tab, Enter, Space, arrows, typing):
no click, no ``locator.fill`` or ``locator.focus``. It finds where it is by reading the focused
element (through shadow roots), and at every step checks that the focused element is visible
and shows a focus indicator (a computed outline or box-shadow on it or on the wrapper that draws
its frame), and that Tab moves focus on (no trap).

The facilitator posts an update on their own action and moves it on the board.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, Server, stop_server
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import assert_clean_log, demo_server, enter

pytestmark = pytest.mark.e2e

OWN = "Shared welcome leaflet in six languages"  # the facilitator's own action, an idea

# The focused element, followed into shadow roots; what the test needs to know about it.
FOCUSED = """() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return null;
    const box = el.getBoundingClientRect();
    const shown = (node) => {
        const s = getComputedStyle(node);
        const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
        return outline || (s.boxShadow && s.boxShadow !== 'none');
    };
    // The indicator is on the element, or on the wrapper that draws its frame (a text field's
    // border box), at most three levels up.
    let ring = false;
    for (let node = el, up = 0; node && up < 4 && !ring; node = node.parentElement, up++) {
        ring = shown(node);
    }
    const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
    return {
        tag: el.tagName.toLowerCase(),
        role: el.getAttribute('role') || '',
        // An icon's ligature comes first in a link's text: the last line is its name.
        label: (el.getAttribute('aria-label') || (el.innerText || '').trim().split('\\n').pop()
                || el.value || '').trim().slice(0, 80),
        text: (el.innerText || '').trim().slice(0, 80),
        cls: String(el.className || ''),
        visible: box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden',
        inView: cx >= 0 && cy >= 0 && cx <= innerWidth && cy <= innerHeight,
        ring,
    };
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = demo_server(tmp_path_factory.mktemp("keyboard"))
    yield running
    stop_server(running)
    assert_clean_log(running)


def stored(server: Server, title: str) -> tuple[int, str, int]:
    with sa.create_engine(server.database_url).connect() as conn:
        found = conn.execute(
            sa.text("SELECT id, status, progress FROM action WHERE title = :t"), {"t": title}
        ).one()
    return int(found[0]), str(found[1]), int(found[2] or 0)


def updates_of(server: Server, action_id: int) -> list[str]:
    with sa.create_engine(server.database_url).connect() as conn:
        return [
            str(r[0])
            for r in conn.execute(
                sa.text("SELECT text FROM action_update WHERE action_id = :a"), {"a": action_id}
            )
        ]


def focused(page: Page) -> dict[str, Any] | None:
    return page.evaluate(FOCUSED)


def check_focus(page: Page, trail: list[str]) -> dict[str, Any]:
    """The focused element exists, is visible and shows that it has the focus."""
    now = focused(page)
    assert now is not None, "focus fell to the page body\n" + "\n".join(trail[-15:])
    trail.append(f"{now['tag']}[{now['role']}] {now['label']!r} ring={now['ring']}")
    assert now["visible"] and now["inView"], f"focused element not visible: {now}"
    assert now["ring"], f"no visible focus indicator on {now}\n" + "\n".join(trail[-15:])
    return now


def press(page: Page, key: str, trail: list[str]) -> dict[str, Any]:
    page.keyboard.press(key)
    return check_focus(page, trail)


def tab_to(page: Page, wanted: Any, trail: list[str], *, key: str = "Tab", most: int = 60) -> None:
    """Press Tab (or Shift+Tab) until ``wanted(focused)`` holds; each step moves focus on."""
    before, stuck = focused(page), 0
    for _ in range(most):
        now = press(page, key, trail)
        stuck = stuck + 1 if now == before else 0
        assert stuck < 3, f"{key} did not move focus on: a trap\n" + "\n".join(trail[-10:])
        if wanted(now):
            return
        before = now
    raise AssertionError(f"{key} did not reach the element\n" + "\n".join(trail[-40:]))


def labelled(text: str) -> Any:
    return lambda f: f["label"] == text or f["text"] == text


def board_tab(page: Page, trail: list[str]) -> None:
    """Tab into the Actions page's tabs, arrow to "Board" and choose it with Enter."""
    tab_to(page, lambda f: f["role"] == "tab", trail)
    while focused(page)["label"] != "Board":  # type: ignore[index]
        press(page, "ArrowRight", trail)
    page.keyboard.press("Enter")
    wait_idle(page)


def settle_db(check: Any, what: str, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while not check():
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_an_update_is_posted_and_the_action_moved_on_the_board_with_the_keyboard_alone(
    server, new_context
) -> None:
    page = new_context().new_page()
    enter(page, server.url, "facilitator", DEMO_PASSWORD)
    action_id, status, _ = stored(server, OWN)
    assert status == "idea"
    trail: list[str] = []
    k = page.keyboard

    # The sidebar's link to the actions, then the Board tab (arrows move between tabs).
    tab_to(page, labelled("Actions"), trail, key="Shift+Tab")
    k.press("Enter")
    wait_idle(page)
    board_tab(page, trail)

    # The board's search narrows it to the action; its card title opens the action.
    tab_to(page, lambda f: f["tag"] == "input" and f["label"] == "Search", trail)
    k.type(OWN)
    k.press("Enter")
    wait_idle(page)
    tab_to(page, labelled(OWN), trail)
    k.press("Enter")
    wait_idle(page)
    expect(page.get_by_role("heading", name=OWN)).to_be_visible()

    # The update form: text, progress, then "Post update" (Space presses a button too).
    marker = f"Leaflet drafted {uuid.uuid4().hex[:8]}"
    tab_to(page, lambda f: f["tag"] == "textarea", trail)
    k.type(f"{marker}: Arabic and Ukrainian done.")
    tab_to(page, lambda f: f["tag"] == "input" and f["label"] == "New progress (%)", trail)
    k.type("30")
    tab_to(page, labelled("Post update"), trail)
    k.press("Space")
    wait_idle(page)
    settle_db(lambda: any(marker in t for t in updates_of(server, action_id)), "the update")
    assert stored(server, OWN)[2] == 30
    expect(page.get_by_text(marker).first).to_be_visible()
    assert_no_exception(page)

    # Back to the board (Shift+Tab goes back as well as Tab goes on), then the card's menu.
    tab_to(page, labelled("Back to the list"), trail, key="Shift+Tab")
    k.press("Enter")
    wait_idle(page)
    board_tab(page, trail)
    tab_to(page, labelled(f"Move to… {OWN}"), trail)
    now = press(page, "ArrowDown", trail)  # opens the menu on its first entry
    assert now["role"] == "menuitem" and now["label"] == "Planned", now
    now = press(page, "ArrowDown", trail)
    assert now["label"] == "In progress", now
    k.press("Enter")
    settle_db(lambda: stored(server, OWN)[1] == "in_progress", "the move")
    wait_idle(page)
    board = page.get_by_test_id("stMain").locator(".cop-board")
    expect(
        board.locator(".cop-cards[data-status='in_progress']").get_by_test_id(f"card-{action_id}")
    ).to_be_visible()
    # Focus comes back to the moved card's menu button, and Tab goes on from there.
    expect(page.locator(".cop-board-live")).to_have_text(f"“{OWN}” moved to In progress.")
    now = check_focus(page, trail)
    assert now["label"] == f"Move to… {OWN}", now
    # The card is the page's last stop: Shift+Tab goes back to its title, Tab leaves it.
    assert press(page, "Shift+Tab", trail)["label"] == OWN
    assert press(page, "Tab", trail)["label"] == f"Move to… {OWN}"
    k.press("Tab")
    after = focused(page)
    assert after is None or after["label"] != f"Move to… {OWN}", after
    assert_no_exception(page)
