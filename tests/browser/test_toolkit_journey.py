"""Issue 8 in Chromium: a facilitator assembles their community's chapter (adds and writes a
section), sends it to review, approves it, and downloads the approved revision as DOCX and PDF,
which are read back with python-docx and pypdf."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from docx import Document as DocxDocument
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import assert_clean_log, choose, click, enter, go, main, pick_community

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"


def download(page: Page, panel: Locator, fmt: str, source: str) -> bytes:
    """Prepare the chapter file in ``fmt`` from ``source`` on the Export tab, and download it."""
    choose(panel, "Text", source)
    choose(panel, "Format", fmt)
    click(panel.get_by_role("button", name="Prepare the file"))
    suffix = {"Word (DOCX)": ".docx", "PDF": ".pdf"}[fmt]
    button = panel.get_by_role("button", name=re.compile(rf"^Download .*{re.escape(suffix)}$"))
    expect(button).to_be_visible(timeout=90_000)
    with page.expect_download() as waiting:
        button.click()
    saved = waiting.value
    assert saved.suggested_filename.endswith(suffix), saved.suggested_filename
    return open(saved.path(), "rb").read()


def test_facilitator_assembles_approves_and_downloads_the_chapter(demo, new_context) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    pick_community(page, COMMUNITY)
    go(page, "Toolkit")
    draft = page.get_by_role("tabpanel", name="Draft")
    expect(draft).to_be_visible()

    # A free-text section joins the chapter ...
    title = f"Lessons from the library desks {uuid.uuid4().hex[:6]}"
    body = "Volunteers who speak **Arabic, Dari and Ukrainian** made the desks work. Ünïcödé stays."
    adding = draft.get_by_test_id("stForm").filter(
        has=page.get_by_role("button", name="Add section")
    )
    choose(adding, "Kind", "Free text")
    adding.get_by_label("Title (empty: the usual title of its kind)").fill(title)
    click(adding.get_by_role("button", name="Add section"))
    expect(
        draft.get_by_role("heading", name=re.compile(rf"^\d+\. {re.escape(title)}$"))
    ).to_be_visible()

    # ... and gets its text through the section's editor.
    click(draft.get_by_role("button", name=re.compile(r"Edit$")).last)
    editor = draft
    expect(editor.get_by_label("Title", exact=True)).to_have_value(title)
    editor.get_by_label("Text (Markdown)").fill(body)
    click(editor.get_by_role("button", name="Save section"))
    expect(
        draft.get_by_text(
            "Volunteers who speak Arabic, Dari and Ukrainian made the desks work."
        ).first
    ).to_be_attached()

    # Review and approval freeze a revision.
    click(draft.get_by_role("button", name="Submit for review"))
    click(draft.get_by_role("button", name="Approve this text"))
    expect(draft.get_by_text("Approved. An edit opens the next draft")).to_be_visible()
    caption = main(page).get_by_text(
        re.compile(rf"^{re.escape(COMMUNITY)} · approved · approved revision \d+$")
    )
    expect(caption).to_be_visible()
    revision = int(caption.inner_text().rsplit(" ", 1)[1])
    assert_no_exception(page)

    # The approved revision downloads as DOCX and as PDF, and both hold the new section.
    click(main(page).get_by_role("tab", name="Export"))
    export = page.get_by_role("tabpanel", name="Export")
    docx_bytes = download(page, export, "Word (DOCX)", f"revision {revision}")
    document = DocxDocument(io.BytesIO(docx_bytes))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(title in h for h in headings), headings
    assert any(
        "Volunteers who speak Arabic, Dari and Ukrainian" in p.text for p in document.paragraphs
    )

    pdf_bytes = download(page, export, "PDF", f"revision {revision}")
    assert pdf_bytes.startswith(b"%PDF")
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    flat = " ".join(text.split())
    assert title in flat, flat[:2000]
    assert "Volunteers who speak Arabic, Dari and Ukrainian made the desks work." in flat
    assert "Ünïcödé" in flat
    wait_idle(page)
    assert_no_exception(page)
    assert_clean_log(demo)


def test_admin_saves_an_edition_unchanged_then_creates_a_new_one(demo, new_context) -> None:
    """Issue 17, defect 1: both ended on an exception page (the edition's language collided
    with the language submit() shows its messages in)."""
    page = new_context().new_page()
    enter(page, demo.url, "admin", DEMO_PASSWORD)
    go(page, "Toolkit")
    content = main(page)
    click(content.get_by_text("Edit the edition, add and order chapters"))
    editing = content.get_by_test_id("stForm").filter(
        has=page.get_by_role("button", name="Save edition")
    )
    click(editing.get_by_role("button", name="Save edition"))
    assert_no_exception(page)
    expect(content.get_by_text("TypeError")).to_have_count(0)

    title = f"Toolkit of the second round {uuid.uuid4().hex[:6]}"
    click(content.get_by_text("Create an edition"))
    creating = content.get_by_test_id("stForm").filter(
        has=page.get_by_role("button", name="Create edition")
    )
    creating.get_by_label("Title").fill(title)
    choose(creating, "Language", "Deutsch")
    click(creating.get_by_role("button", name="Create edition"))
    assert_no_exception(page)
    wait_idle(page)
    expect(content.get_by_text(title).first).to_be_visible()
    assert_clean_log(demo)
