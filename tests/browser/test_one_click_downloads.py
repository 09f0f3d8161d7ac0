"""Files that build in under a second download on one click, and what arrives is right.

Each button builds its file when pressed (cop.shell.downloads.download_now): the
workshop list as CSV and as a calendar, the community's actions as CSV, the city plan
as PDF, a chapter as Markdown and one's own data as JSON. Every file is read back.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from icalendar import Calendar
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import click, enter, go, main, pick_community

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"


def one_click(page: Page, button: Locator) -> tuple[str, bytes]:
    """Press the button once; the browser saves a file: its suggested name and bytes."""
    expect(button).to_be_visible(timeout=30_000)
    with page.expect_download(timeout=60_000) as waiting:
        button.click()
    saved = waiting.value
    with open(saved.path(), "rb") as file:
        return saved.suggested_filename, file.read()


def test_lists_plans_chapters_and_own_data_download_on_one_click(demo, new_context) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    pick_community(page, COMMUNITY)

    go(page, "Workshops")
    click(main(page).get_by_role("button", name="Filters, sorting and export"))
    name, data = one_click(page, page.get_by_role("button", name="Download the list (CSV)"))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert name == "workshops.csv" and rows, data[:200]
    assert any(r.get("title") == "Kick-off: what welcoming means in our cities" for r in rows), (
        rows[0]
    )
    name, data = one_click(page, page.get_by_role("button", name="Download for a calendar (.ics)"))
    events = Calendar.from_ical(data).walk("VEVENT")
    assert name == "workshops.ics" and len(events) == len(rows)
    page.keyboard.press("Escape")

    go(page, "Actions")
    click(main(page).get_by_text("Export and import (CSV)"))
    wait_idle(page)
    name, data = one_click(
        page, main(page).get_by_role("button", name="Download the community's actions (CSV)")
    )
    actions = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert name.startswith("actions-") and name.endswith(".csv") and actions

    click(main(page).get_by_role("tab", name="City plan"))
    wait_idle(page)
    name, data = one_click(page, main(page).get_by_role("button", name="Download PDF"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert name.startswith("action-plan-") and "Action plan:" in text.replace("\x00", "")
    assert "Prepare the PDF" not in main(page).inner_text()

    go(page, "Toolkit")
    click(main(page).get_by_role("tab", name="Export"))
    wait_idle(page)
    name, data = one_click(
        page, main(page).get_by_role("button", name=r"Download").filter(has_text=".md")
    )
    assert name.endswith(".md") and data.decode("utf-8").startswith("#"), data[:200]

    go(page, "Profile")
    name, data = one_click(page, main(page).get_by_role("button", name="Download my data (JSON)"))
    mine = json.loads(data)
    assert name.startswith("my-data-") and mine["account"]["username"] == "facilitator"
    assert_no_exception(page)
