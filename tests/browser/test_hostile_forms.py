"""The hostile-input sweep's second pass, in Chromium: the main forms with a sample of its inputs.

A script payload, right-to-left text with emoji, a title over 200
characters, a spreadsheet formula and an over-long tag go through the
workshop form, the practice form and the profile form of a running server.
Each must come back either as the field's own message or verbatim on the
page, and no payload may run: the payloads set ``window.__pwned`` if they
ever execute.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception
from tests.browser.journeys import choose, click, enter, go, main, pick_community, type_date

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"
CITY = "Ghent"
SCRIPT = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
SHORT_SCRIPT = "<img src=x onerror=window.__pwned=5>"  # a tag is at most 60 characters
RTL_EMOJI = "مرحبا بالعالم 👨\u200d👩\u200d👧\u200d👦 🇪🇺 Zoë"
FORMULA = '=HYPERLINK("http://evil.example/","open")'
MARKDOWN_ATTACK = "<script>window.__pwned=3</script>\n\n[click me](javascript:window.__pwned=4)"


def assert_inert(page: Page) -> None:
    """No payload ran, no element carries an event handler, no link points at script."""
    assert page.evaluate("window.__pwned === undefined"), "a payload ran in the browser"
    app = main(page)
    assert app.locator("[onerror], [onload], [onclick], [onmouseover]").count() == 0
    assert app.locator("a[href^='javascript:' i], a[href^='data:' i]").count() == 0
    assert_no_exception(page)


def open_new_workshop_form(page: Page) -> None:
    go(page, "Workshops")
    pick_community(page, COMMUNITY)
    click(main(page).get_by_text("Record a workshop or visit"))


def test_workshop_form_shows_script_and_right_to_left_text_verbatim_and_runs_nothing(
    demo, new_context
) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    open_new_workshop_form(page)
    form = main(page).get_by_test_id("stForm")
    title = f"{SCRIPT} {uuid.uuid4().hex[:6]}"
    form.get_by_label("Title").fill(title)
    type_date(form, "Start date", date(2026, 3, 10))
    type_date(form, "End date", date(2026, 3, 10))
    form.get_by_label("Place (in person and hybrid)").fill(RTL_EMOJI)
    form.get_by_label("Objectives (Markdown)").fill(MARKDOWN_ATTACK)
    click(form.get_by_role("button", name="Save"))

    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(main(page).get_by_text(f"Place: {RTL_EMOJI}", exact=True)).to_be_visible()
    expect(main(page).get_by_text("<script>window.__pwned=3</script>", exact=True)).to_be_visible()
    expect(main(page).get_by_role("link", name="click me")).to_have_count(0)
    assert_inert(page)


def test_workshop_title_over_200_characters_gets_a_message_and_stays_to_be_shortened(
    demo, new_context
) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    open_new_workshop_form(page)
    form = main(page).get_by_test_id("stForm")
    typed = ("Ä" * 190) + uuid.uuid4().hex[:11]
    assert len(typed) == 201
    type_date(form, "Start date", date(2026, 3, 11))
    type_date(form, "End date", date(2026, 3, 11))
    form.get_by_label("Place (in person and hybrid)").fill("Town hall")

    # Pasted whole, 201 characters are refused under the field, and stay in it to be
    # shortened (a field that silently ignored the paste kept an older title instead).
    form.get_by_label("Title").fill(typed)
    click(form.get_by_role("button", name="Save"))
    message = re.compile(r"The title is 201 characters long; at most 200 are allowed\.")
    expect(form.get_by_text(message).first).to_be_visible()
    expect(form.get_by_label("Title")).to_have_value(typed)
    assert_inert(page)

    # One character less, and exactly those 200 are saved.
    form.get_by_label("Title").press("End")
    form.get_by_label("Title").press("Backspace")
    kept = form.get_by_label("Title").input_value()
    assert kept == typed[:200]
    click(form.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", name=kept, exact=True)).to_be_visible()
    assert_inert(page)


def test_practice_form_refuses_a_long_tag_under_its_field_then_keeps_formula_and_script_verbatim(
    demo, new_context
) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    go(page, "Practices")
    pick_community(page, COMMUNITY)
    listing = page.get_by_role("tabpanel", name="Practices")
    click(listing.get_by_text("Record a practice"))
    form = listing.get_by_test_id("stForm")
    title = f"{FORMULA} {uuid.uuid4().hex[:6]}"
    form.get_by_label("Title").fill(title)
    choose(form, "City", CITY)
    form.get_by_label("Themes (separated by commas)").fill("t" * 61)
    form.get_by_label("Summary").fill(f"{RTL_EMOJI}\n\n{MARKDOWN_ATTACK}")
    click(form.get_by_role("button", name="Save"))
    expect(
        form.get_by_text("Each theme is 61 characters long; at most 60 are allowed.")
    ).to_be_visible()
    assert_inert(page)

    form.get_by_label("Themes (separated by commas)").fill(SHORT_SCRIPT)
    click(form.get_by_role("button", name="Save"))
    expect(main(page).get_by_role("heading", name=title)).to_be_visible()
    # The practice as shown (its editor's preview, under "Edit", shows the text again).
    expect(main(page).get_by_text(RTL_EMOJI, exact=True).first).to_be_visible()
    expect(main(page).get_by_text(f"Themes: {SHORT_SCRIPT}", exact=False)).to_be_visible()
    expect(main(page).get_by_role("link", name="click me")).to_have_count(0)
    assert_inert(page)


def test_profile_refuses_an_empty_name_and_keeps_right_to_left_emoji_and_script_verbatim(
    demo, new_context
) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "member", DEMO_PASSWORD)
    go(page, "Profile")
    name = main(page).get_by_label("Name", exact=True)
    name.fill("   ")
    click(main(page).get_by_role("button", name="Save"))
    expect(main(page).get_by_text("Your name must not be empty.").first).to_be_visible()

    chosen = f"{RTL_EMOJI} {SCRIPT}"
    main(page).get_by_label("Name", exact=True).fill(chosen)
    click(main(page).get_by_role("button", name="Save"))
    expect(main(page).get_by_label("Name", exact=True)).to_have_value(chosen)
    expect(
        page.get_by_test_id("stSidebar").get_by_text(f"Signed in as {chosen} · Member")
    ).to_be_visible()
    assert_inert(page)
