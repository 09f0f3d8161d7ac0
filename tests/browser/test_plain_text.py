"""Short texts stay text: Markdown typed into a title or a name never becomes a link or an image.

Every short text column of the demo workspace (titles, names, labels, captions, places,
tags, notification messages, the audit's actor names) gets Markdown and HTML appended,
written straight into a copy of the demo database as an import or an older version could
have left it. Then every page and main state that ``make screens`` photographs is opened
in Chromium as the facilitator and as the admin. No element may link to or load from the
payload's hosts, no ``data:`` link may appear, and the browser must not try to fetch
anything from them: the payload's address is a closed port on this machine, and every
request to it is recorded.

Markdown fields (minutes, practice texts, section bodies) are not touched here: they are
meant for Markdown and go through the safe renderer, tested in tests/core/test_markdown.py.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Server, stop_server
from tests.browser.helpers import assert_no_exception
from tests.browser.journeys import copy_demo, demo_server
from tests.browser.screens import ROLES, State, _open, _sign_in

pytestmark = pytest.mark.e2e

TRAP = "127.0.0.1:9"  # nothing listens there; a request to it is a leak all the same
PAYLOAD = (
    f" [Reset your password](http://{TRAP}/reset) ![](http://{TRAP}/pixel.png)"
    " [x](data:text/html;base64,PGI+eDwvYj4=)"
    f' <img src="http://{TRAP}/raw.png"> http://{TRAP}/bare www.trap.example'
    " :material/hub: :red[red] **bold**"
)
# Every column a person fills with a short plain text (Markdown fields are left alone).
SHORT_TEXTS: dict[str, tuple[str, ...]] = {
    "community": ("name", "theme"),
    "organisation": ("name",),
    "toolkit": ("title", "licence"),
    "chapter": ("title",),
    "person": ("name",),
    "practice": ("title",),
    "standard": ("title",),
    "workshop": ("title", "place"),
    "agenda_item": ("title", "presenter"),
    "attachment": ("original_name", "caption"),
    "attendance": ("guest_name", "guest_organisation"),
    "chapter_revision": ("title", "approved_by_name"),
    "practice_image": ("alt_text", "credit"),
    "practice_tag": ("value",),
    "section": ("title",),
    "action": ("title",),
    "invitation": ("name",),
    "action_indicator": ("name", "unit"),
    "action_milestone": ("title",),
    "action_tag": ("value",),
    "notification": ("message",),
    "audit_event": ("actor_name",),
}
# What the payload would turn into if it were read as Markdown or HTML.
LEAKS = (
    f"a[href*='{TRAP}'], img[src*='{TRAP}'], a[href^='data:' i], a[href*='trap.example'],"
    " [data-testid=stMarkdownContainer] strong:text-is('bold')"
)


def hostile_demo(data_dir: Path) -> None:
    """A copy of the demo workspace whose every short text ends with the payload."""
    database = copy_demo(data_dir)
    with closing(sqlite3.connect(database)) as conn, conn:
        for table, columns in SHORT_TEXTS.items():
            for column in columns:
                conn.execute(
                    f'UPDATE "{table}" SET "{column}" = "{column}" || ? '  # noqa: S608 (names above)
                    f'WHERE "{column}" IS NOT NULL AND "{column}" != ""',
                    (PAYLOAD,),
                )
        conn.execute("UPDATE data_version SET value = value + 1")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    data_dir = tmp_path_factory.mktemp("hostile-text")
    hostile_demo(data_dir)
    running = demo_server(data_dir, fresh=False)
    yield running
    stop_server(running)


def _leaks_on(page: Page) -> list[str]:
    """Each element that the payload turned into a link, an image or formatting."""
    found = page.locator(LEAKS)
    return [
        found.nth(i).evaluate(
            "e => { const w = e.closest('[data-testid^=st]:not([data-testid=stMarkdownContainer])');"
            " return (w ? w.dataset.testid + ': ' + w.innerText.slice(0, 60) + ' → ' : '')"
            " + e.outerHTML.slice(0, 100); }"
        )
        for i in range(found.count())
    ]


@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_titles_and_names_written_as_markdown_show_as_plain_text_on_every_page(
    hostile: Server, new_context, role: str
) -> None:
    context = new_context()
    requested: list[str] = []  # to the payload's hosts (any other host has its own test)
    traps = {TRAP, "www.trap.example"}
    context.on(
        "request", lambda r: requested.append(r.url) if urlsplit(r.url).netloc in traps else None
    )
    page = context.new_page()
    _sign_in(page, hostile.url, role)
    found: dict[str, list[str]] = {}
    states: list[State] = [*ROLES[role], State("search-payload", "search", then=_search_reset)]
    for state in states:
        _open(page, hostile.url, state, lambda text: text)
        assert_no_exception(page)
        leaks = _leaks_on(page)
        if leaks:
            found[state.name] = leaks
    assert found == {}, "Markdown in a short text became a link, an image or formatting"
    assert requested == [], "the browser fetched from the addresses in the text"
    # And it is all there, as the person typed it (give or take the invisible word joiners
    # that keep bare addresses from becoming links, see cop.shell.text.plain).
    _open(page, hostile.url, State("workshop-one", "workshops", address="workshops?id=1"), str)
    shown = page.get_by_test_id("stMain").get_by_role("heading", level=1).inner_text()
    assert shown.replace("\u2060", "").endswith(PAYLOAD.rstrip())


def _search_reset(page: Page, _: object) -> None:
    from tests.browser.helpers import wait_idle

    box = page.get_by_test_id("stMain").get_by_role("textbox").first
    box.fill("Reset your password")
    box.press("Enter")
    wait_idle(page)
