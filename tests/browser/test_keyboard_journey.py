"""Issue 23 item 3 in Chromium: the two journeys done with the keyboard alone.

After signing in, the test only presses keys (Tab, Shift+Tab, Enter, Space, arrows, typing):
no click, no ``locator.fill`` or ``locator.focus``. It finds where it is by reading the focused
element (through shadow roots), and at every step checks that the focused element is visible
and shows a focus indicator (a computed outline or box-shadow on it or on the wrapper that draws
its frame), and that Tab moves focus on (no trap).

The facilitator posts an update on their own action and moves it on the board (the card's
"Move to…" menu is the board's keyboard path); and records a workshop, marks it held, adds an
outcome and closes it with minutes.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

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
    return {
        tag: el.tagName.toLowerCase(),
        role: el.getAttribute('role') || '',
        // An icon's ligature comes first in a link's text: the last line is its name.
        // A radio button's name is its <label>'s text.
        label: (el.getAttribute('aria-label')
                || (el.type === 'radio' && el.labels && el.labels.length ? el.labels[0].innerText : '')
                || (el.innerText || '').trim().split('\\n').pop()
                || el.value || '').trim().slice(0, 80),
        type: el.getAttribute('type') || '',
        checked: !!el.checked,
        text: (el.innerText || '').trim().slice(0, 80),
        cls: String(el.className || ''),
        testid: el.getAttribute('data-testid') || '',
        visible: box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden',
        // In view, at least in part (a tall text area is scrolled to only as far as needed).
        inView: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
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
    for _ in range(10):  # the page may still be scrolling the focused element into view
        if now is None or now["inView"]:
            break
        page.wait_for_timeout(200)
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
    """Press Tab (or Shift+Tab) until ``wanted(focused)`` holds; each step moves focus on.

    Past the page's last stop (or first, going back) focus leaves for the browser and the next
    press brings it back at the other end, as a reader who starts below or above the wanted
    element goes round once (where focus lands after a rerun is the browser's choice).
    """
    before, stuck, round_once = focused(page), 0, False
    for _ in range(most):
        page.keyboard.press(key)
        if focused(page) is None and not round_once:
            round_once = True
            trail.append("(past the page's end)")
            continue
        now = check_focus(page, trail)
        stuck = stuck + 1 if now == before else 0
        # A dataframe's grid (one canvas) takes one Tab per column, then lets focus go on.
        allowed = 20 if now["tag"] == "canvas" else 3
        assert stuck < allowed, f"{key} did not move focus on: a trap\n" + "\n".join(trail[-10:])
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
    # Escape closes the menu and gives focus back to its button (the menu is no trap).
    assert press(page, "Escape", trail)["label"] == f"Move to… {OWN}"
    expect(page.locator(".cop-board").get_by_role("menu")).to_have_count(0)
    now = press(page, "ArrowDown", trail)
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


COMMUNITY = "Community building and welcoming culture"


def workshop_stored(server: Server, title: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """The workshop's status, minutes and outcomes (kind, text), or None while it is not saved."""
    with sa.create_engine(server.database_url).connect() as conn:
        found = conn.execute(
            sa.text("SELECT id, status, minutes FROM workshop WHERE title = :t"), {"t": title}
        ).one_or_none()
        if found is None:
            return None
        outcomes = conn.execute(
            sa.text("SELECT kind, text FROM outcome WHERE workshop_id = :w"),
            {"w": found[0]},
        ).all()
    return str(found[1]), str(found[2] or ""), [(str(k), str(t)) for k, t in outcomes]


def type_day(page: Page, label: str, day: Any, trail: list[str]) -> None:
    """Tab to a date input's first segment (year) and type the day; the field moves on by itself."""
    tab_to(page, lambda f: f["label"] == f"year, {label}", trail)
    page.keyboard.type(day.strftime("%Y%m%d"))
    check_focus(page, trail)


def test_a_workshop_is_recorded_and_closed_with_an_outcome_with_the_keyboard_alone(
    server, new_context
) -> None:
    page = new_context().new_page()
    enter(page, server.url, "facilitator", DEMO_PASSWORD)
    trail: list[str] = []
    k = page.keyboard
    # Yesterday in the workshop's zone: a workshop can be marked held once it has begun.
    day = datetime.now(ZoneInfo("Europe/Brussels")).date() - timedelta(days=1)
    title = f"Reading café for newcomers {uuid.uuid4().hex[:6]}"

    # The sidebar's link to the workshops, then the form to record one (an expander: Enter opens it).
    tab_to(page, labelled("Workshops"), trail, key="Shift+Tab")
    k.press("Enter")
    wait_idle(page)
    tab_to(page, lambda f: f["tag"] == "summary" and "Record a workshop" in f["text"], trail)
    k.press("Enter")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("combobox", name="Community")).to_be_visible()  # drawn when open
    wait_idle(page)

    # Under "All my communities" the form asks for the community first: type, Enter picks it.
    tab_to(page, lambda f: f["role"] == "combobox" and f["label"].startswith("Community"), trail)
    k.type("Community building")
    k.press("Enter")
    wait_idle(page)
    tab_to(page, lambda f: f["tag"] == "input" and f["label"] == "Title", trail)
    k.type(title)
    type_day(page, "Start date", day, trail)
    type_day(page, "End date", day, trail)
    tab_to(page, lambda f: f["label"] == "Place (in person and hybrid)", trail)
    k.type("Ghent public library")
    tab_to(page, labelled("Save"), trail)
    k.press("Enter")
    wait_idle(page)
    settle_db(lambda: workshop_stored(server, title) is not None, "the workshop")
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    assert workshop_stored(server, title) == ("planned", "", [])

    # Saved, it opens with focus further down: back to "Mark as held", Enter presses it.
    tab_to(page, labelled("Mark as held"), trail, key="Shift+Tab")
    k.press("Enter")
    wait_idle(page)
    settle_db(lambda: workshop_stored(server, title)[0] == "held", "held")  # type: ignore[index]

    # The Outcomes tab (arrows move between tabs), the kind by arrows, the text, "Add outcome".
    tab_to(page, lambda f: f["role"] == "tab", trail)
    while focused(page)["label"] != "Outcomes":  # type: ignore[index]
        press(page, "ArrowRight", trail)
    k.press("Enter")
    wait_idle(page)
    tab_to(page, lambda f: f["type"] == "radio", trail)
    while (now := focused(page))["label"] != "Action":  # type: ignore[index]
        press(page, "ArrowRight", trail)
    assert now["checked"], now  # type: ignore[index]
    outcome = f"Open a reading café in every district library {title[-6:]}"
    tab_to(page, lambda f: f["tag"] == "textarea", trail)
    k.type(outcome)
    tab_to(page, labelled("Add outcome"), trail)
    k.press("Space")
    wait_idle(page)
    settle_db(lambda: bool(workshop_stored(server, title)[2]), "the outcome")  # type: ignore[index]
    assert workshop_stored(server, title)[2] == [("action", outcome)]  # type: ignore[index]

    # "Close the workshop" lies above the tabs: Shift+Tab back to it, Enter opens it; the minutes
    # are our Markdown editor, then "Close".
    tab_to(
        page,
        lambda f: f["tag"] == "summary" and "Close the workshop" in f["text"],
        trail,
        key="Shift+Tab",
    )
    k.press("Enter")
    wait_idle(page)
    tab_to(page, lambda f: f["testid"] == "copMarkdownInput", trail)
    minutes = f"We agreed to open reading cafés {title[-6:]}."
    k.type(minutes)
    tab_to(page, labelled("Close"), trail)
    k.press("Enter")
    wait_idle(page)
    settle_db(lambda: workshop_stored(server, title)[0] == "closed", "the close")  # type: ignore[index]
    assert workshop_stored(server, title) == ("closed", minutes, [("action", outcome)])
    expect(page.get_by_text("This workshop is closed and read-only")).to_be_visible()
    # Focus is still somewhere visible, and Tab goes on from there (no trap).
    tab_to(page, lambda f: f["label"] == "Reopen", trail)
    assert_no_exception(page)
