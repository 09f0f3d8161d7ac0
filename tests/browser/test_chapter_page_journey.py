"""Issue 20.1 in Chromium: read a draft chapter top to bottom without opening panels and edit
one section in place; then compare two revisions and see the insertion marked."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception, query_rows, wait_idle
from tests.browser.journeys import assert_clean_log, choose, click, enter, go, pick_community

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"


def _draft_sections(database_url: str) -> list[tuple[str, str, str]]:
    """(title, kind, body) of the community's draft sections in the English edition (the one
    the facilitator's page opens on), in order, as stored."""
    rows = query_rows(
        database_url,
        "SELECT s.title, s.kind, s.body FROM section s"
        " JOIN chapter c ON c.id = s.chapter_id JOIN community m ON m.id = c.community_id"
        " JOIN toolkit t ON t.id = c.toolkit_id"
        " WHERE m.name = :name AND t.language = 'en' AND s.deleted_at IS NULL"
        " ORDER BY s.position",
        name=COMMUNITY,
    )
    return [(r[0], r[1], r[2]) for r in rows]


def _first_sentence(body: str) -> str:
    return body.strip().split("\n")[0].split(". ")[0].strip("*_ ")


def test_read_a_draft_chapter_top_to_bottom_and_edit_one_section_in_place(
    demo, new_context
) -> None:
    sections = _draft_sections(demo.database_url)
    assert len(sections) >= 5
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    pick_community(page, COMMUNITY)
    go(page, "Toolkit")
    draft = page.get_by_role("tabpanel", name="Draft")
    expect(draft).to_be_visible()

    # Without a click: every section's heading, in order, and the authors' texts.
    headings = draft.get_by_role("heading", name=re.compile(r"^\d+\. "))
    expect(headings).to_have_count(len(sections))
    assert headings.all_inner_texts() == [f"{n}. {t}" for n, (t, _, _) in enumerate(sections, 1)]
    written = [(t, body) for t, _, body in sections if body.strip()]
    assert len(written) >= 2
    for _title, body in written:
        expect(draft.get_by_text(_first_sentence(body)).first).to_be_visible()
    expect(draft.get_by_text("Preview", exact=True)).to_have_count(0)
    expect(draft.get_by_role("textbox", name="Text (Markdown)")).to_have_count(0)
    edit_buttons = draft.get_by_role("button", name=re.compile(r"Edit$"))
    expect(edit_buttons).to_have_count(len(sections))
    # The key results' infographic, fetched by its address from this server and drawn.
    infographic = draft.get_by_role("img", name=re.compile("Key results", re.IGNORECASE))
    expect(infographic).to_have_count(1)
    src = infographic.get_attribute("src") or ""
    assert re.fullmatch(r"infographics/[0-9a-f]{32}\.svg", src), src
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=infographic.element_handle()
    )

    # Edit the first section in place; only it becomes a form.
    first_title, _kind, first_body = sections[0]
    click(edit_buttons.first)
    editor = draft.get_by_role("textbox", name="Text (Markdown)")
    expect(editor).to_have_count(1)
    expect(editor).to_have_value(first_body)
    expect(headings).to_have_count(len(sections) - 1)  # the open section shows its form instead
    marker = uuid.uuid4().hex[:6]
    new_text = f"Newcomers meet **their neighbours** first ({marker}). Ünïcödé stays."
    editor.fill(new_text)
    click(draft.get_by_role("button", name="Save section"))

    # Back to reading: the new text rendered in its place, the other sections as they were.
    expect(draft.get_by_role("textbox", name="Text (Markdown)")).to_have_count(0)
    expect(headings).to_have_count(len(sections))
    expect(headings.first).to_have_text(f"1. {first_title}")
    strong = draft.locator("strong", has_text="their neighbours")
    expect(strong).to_be_visible()
    expect(draft.get_by_text(f"first ({marker}). Ünïcödé stays.")).to_be_visible()
    for _title, body in written[1:]:
        expect(draft.get_by_text(_first_sentence(body)).first).to_be_visible()
    assert headings.all_inner_texts() == [f"{n}. {t}" for n, (t, _, _) in enumerate(sections, 1)]
    assert _draft_sections(demo.database_url)[0][2] == new_text

    # Approve it, then compare the two latest revisions: the new words are marked as inserted.
    click(draft.get_by_role("button", name="Submit for review"))
    click(draft.get_by_role("button", name="Approve this text"))
    expect(draft.get_by_text("Approved. An edit opens the next draft")).to_be_visible()
    caption = page.get_by_text(
        re.compile(rf"^{re.escape(COMMUNITY)} · approved · approved revision \d+$")
    )
    latest = int(caption.inner_text().rsplit(" ", 1)[1])
    assert latest >= 2
    click(page.get_by_role("tab", name="Revisions"))
    revisions = page.get_by_role("tabpanel", name="Revisions")
    choose(revisions, "Compare", f"revision {latest - 1}")
    choose(revisions, "with", f"revision {latest}")
    inserted = revisions.locator(".cop-diff ins", has_text=marker)
    expect(inserted).to_be_visible()
    assert inserted.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"
    expect(revisions.locator(".cop-diff del").first).to_be_visible()
    expect(revisions.get_by_text("is struck through")).to_be_visible()  # the legend
    expect(revisions.get_by_text(re.compile(r" · unchanged$")).first).to_be_visible()
    wait_idle(page)
    assert_no_exception(page)
    assert_clean_log(demo)
