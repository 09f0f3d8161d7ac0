"""Issue 20 item 2 in Chromium: long text has an editor with a toolbar and a live preview.

A facilitator closes a workshop with minutes written through the toolbar (bold on a selected
word, headings, a bulleted list, a table, Ctrl+I) and sees each in the preview as HTML; a
script typed into the minutes shows as text and runs nothing; the minutes stored (read back
from the database) are exactly the Markdown typed, the toolbar's marks included. In the
practice form a refused save keeps what was typed in the editors, and Unicode is stored as
typed. The editor and markdown-it come with the page, from nowhere else.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import Locator, expect

from tests.browser.conftest import DEMO_PASSWORD, Server, stop_server
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import (
    assert_clean_log,
    choose,
    click,
    demo_server,
    enter,
    go,
    main,
    pick_community,
)

pytestmark = pytest.mark.e2e

HELD = "Staff exchange with Zagreb's volunteer centre"  # held, not closed yet
COMMUNITY = "Community building and welcoming culture"
CITY = "Ghent"
PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2;alert(2)">'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = demo_server(tmp_path_factory.mktemp("mdeditor"))
    yield running
    stop_server(running)
    assert_clean_log(running)


def one(server: Server, sql: str, **params: object) -> tuple:
    with sa.create_engine(server.database_url).connect() as conn:
        return tuple(conn.execute(sa.text(sql), params).one())


def editor(scope: Locator, label: str) -> Locator:
    """The Markdown editor in ``scope`` whose text area is labelled ``label``."""
    return scope.locator(".cop-md").filter(has=scope.page.get_by_label(label, exact=True))


def select_text(area: Locator, word: str) -> None:
    """Select ``word`` in the text area, as a double click on it would."""
    area.evaluate(
        "(a, w) => { const at = a.value.indexOf(w); a.focus(); a.setSelectionRange(at, at + w.length); }",
        word,
    )


def to_end(area: Locator) -> None:
    area.evaluate("a => { a.focus(); a.setSelectionRange(a.value.length, a.value.length); }")


def test_use_the_editors_toolbar_and_see_the_preview(server, new_context) -> None:
    page = new_context().new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    workshop_id, status = one(server, "SELECT id, status FROM workshop WHERE title = :t", t=HELD)
    assert status == "held"
    enter(page, server.url, "facilitator", DEMO_PASSWORD, cookie=True)
    page.goto(f"{server.url}/workshops?id={workshop_id}")
    wait_idle(page)
    click(main(page).get_by_text("Close the workshop"))
    box = editor(main(page), "Minutes (Markdown)")
    area = box.get_by_label("Minutes (Markdown)", exact=True)
    preview = box.get_by_role("region", name="Preview")
    toolbar = box.get_by_role("toolbar", name="Formatting")
    expect(toolbar.get_by_role("button")).to_have_count(8)
    for name in ("Heading", "Bold", "Italic", "Bulleted list", "Numbered list", "Link", "Table"):
        button = toolbar.get_by_role("button", name=name, exact=True)
        expect(button).to_have_attribute("title", re.compile(rf"^{name}"))

    # Bold on a selected word.
    area.fill("Three days in Zagreb with the volunteer centre.")
    select_text(area, "Zagreb")
    toolbar.get_by_role("button", name="Bold").click()
    expect(area).to_have_value("Three days in **Zagreb** with the volunteer centre.")
    expect(preview.locator("strong")).to_have_text("Zagreb")

    # A heading, and a smaller one on a second click.
    to_end(area)
    page.keyboard.type("\n\nWhat we agreed")
    toolbar.get_by_role("button", name="Heading").click()
    expect(preview.locator("h2")).to_have_text("What we agreed")
    to_end(area)
    page.keyboard.type("\n\nNext steps")
    toolbar.get_by_role("button", name="Heading").click()
    toolbar.get_by_role("button", name="Heading").click()
    expect(preview.locator("h3")).to_have_text("Next steps")

    # A bulleted list, one item per line; Ctrl+I on a selected word.
    to_end(area)
    page.keyboard.type("\n\nMentors in two districts\nA shared leaflet")
    area.evaluate(
        "a => { const at = a.value.indexOf('Mentors'); a.setSelectionRange(at, a.value.length); }"
    )
    toolbar.get_by_role("button", name="Bulleted list").click()
    expect(preview.locator("ul > li")).to_have_text(
        ["Mentors in two districts", "A shared leaflet"]
    )
    select_text(area, "shared")
    page.keyboard.press("Control+i")
    expect(preview.locator("li em")).to_have_text("shared")

    # A table after the list.
    to_end(area)
    toolbar.get_by_role("button", name="Table").click()
    page.keyboard.type("District")  # its first header cell is selected: typing replaces it
    expect(preview.locator("table th")).to_have_text(["District", "Column 2"])

    # A script typed into the text is text in the preview, and runs nothing.
    to_end(area)
    page.keyboard.type(f"\n{PAYLOAD}")
    expect(preview).to_contain_text(PAYLOAD)
    assert preview.locator("script, img, [onerror]").count() == 0
    assert page.evaluate("window.__pwned === undefined"), "a payload ran in the browser"

    expected = (
        "Three days in **Zagreb** with the volunteer centre.\n\n"
        "## What we agreed\n\n"
        "### Next steps\n\n"
        "- Mentors in two districts\n"
        "- A _shared_ leaflet\n\n"
        "| District | Column 2 |\n"
        "| --- | --- |\n"
        "|  |  |\n"
        "|  |  |\n"
        f"\n{PAYLOAD}"
    )
    expect(area).to_have_value(expected)

    # The closing report's editor shares markdown-it with the minutes' (sent once per run).
    report = editor(main(page), "Closing report (Markdown)")
    report.get_by_label("Closing report (Markdown)", exact=True).fill("A *short* report")
    expect(report.get_by_role("region", name="Preview").locator("em")).to_have_text("short")

    # Saved: the workshop closes with exactly the Markdown typed.
    click(main(page).get_by_role("button", name="Close", exact=True))
    expect(main(page).get_by_text("This workshop is closed and read-only")).to_be_visible()
    status, minutes, closing_report = one(
        server,
        "SELECT status, minutes, closing_report FROM workshop WHERE id = :id",
        id=workshop_id,
    )
    assert (status, minutes, closing_report) == ("closed", expected, "A *short* report")
    assert page.evaluate("window.__pwned === undefined") and not dialogs
    assert_no_exception(page)
    own = urlsplit(server.url).netloc  # markdown-it comes with the page, from nowhere else
    assert not [u for u in requested if urlsplit(u).scheme != "blob" and urlsplit(u).netloc != own]


def test_a_refused_practice_keeps_the_editors_text_and_stores_unicode_as_typed(
    server, new_context
) -> None:
    page = new_context().new_page()
    enter(page, server.url, "facilitator", DEMO_PASSWORD)
    go(page, "Practices")
    pick_community(page, COMMUNITY)
    listing = page.get_by_role("tabpanel", name="Practices")
    click(listing.get_by_text("Record a practice"))
    form = listing.get_by_test_id("stForm")
    summary = "Ünïcödé – نرحب بكم – 日本語 – 🎉\n\nNewcomers meet at the library"
    box = editor(form, "Summary")
    area = box.get_by_label("Summary", exact=True)
    area.fill(summary)
    select_text(area, "library")
    box.get_by_role("button", name="Link").click()  # the address is selected: typing replaces it
    page.keyboard.type("https://example.org/desk")
    typed = summary.replace("library", "[library](https://example.org/desk)")
    expect(area).to_have_value(typed)
    expect(
        box.get_by_role("region", name="Preview").get_by_role("link", name="library")
    ).to_have_attribute("href", "https://example.org/desk")

    click(form.get_by_role("button", name="Save"))  # no title, no city: refused
    expect(main(page).get_by_text("Nothing was saved. Please correct:")).to_be_visible()
    expect(area).to_have_value(typed)  # nothing typed is lost

    title = f"Library desks {uuid.uuid4().hex[:6]}"
    form.get_by_label("Title").fill(title)
    choose(form, "City", CITY)
    click(form.get_by_role("button", name="Save"))
    expect(main(page).get_by_role("heading", name=title)).to_be_visible()
    (stored,) = one(server, "SELECT summary FROM practice WHERE title = :t", t=title)
    assert stored == typed
    assert_no_exception(page)
