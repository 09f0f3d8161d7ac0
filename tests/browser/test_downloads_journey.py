"""Issue 19, item 6 in Chromium: files that build in about a second download on one click.

The links are served by the app's own download route (serve.py, cop.web.routes): a
facilitator downloads the workshop list as CSV and as a calendar and a toolkit chapter as
Markdown, each with one click, and every file is read back. A link that was tampered with
gets a short plain-text refusal, not the app's page.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import (
    assert_clean_log,
    click,
    enter,
    go,
    main,
    one_click_download,
    pick_community,
)

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"
DUSSELDORF = "Study visit to Düsseldorf: welcome points in the neighbourhood"


def test_a_one_click_csv_download_read_back(demo, new_context) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    pick_community(page, COMMUNITY)
    go(page, "Workshops")
    caption = main(page).get_by_text(re.compile(r"^\d+ workshops and visits$"))
    expect(caption).to_be_visible()
    listed = int(caption.inner_text().split()[0])
    assert listed > 1

    click(main(page).get_by_role("button", name="Filters, sorting and export"))
    assert not page.get_by_role("button", name="Export the list as CSV").count()
    name, data = one_click_download(page.get_by_role("link", name="Download the list (CSV)"))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert name == "workshops.csv"
    assert len(rows) == listed, (listed, [r["title"] for r in rows])
    assert DUSSELDORF in {r["title"] for r in rows}  # non-ASCII letters verbatim

    name, data = one_click_download(page.get_by_role("link", name="Download for a calendar (.ics)"))
    events = Calendar.from_ical(data).walk("VEVENT")
    assert name == "workshops.ics"
    assert sorted(str(e["summary"]) for e in events) == sorted(r["title"] for r in rows)
    page.keyboard.press("Escape")
    wait_idle(page)
    assert_no_exception(page)

    # The link is the app's own route; a link whose signature was changed gets a sentence.
    click(main(page).get_by_role("button", name="Filters, sorting and export"))
    url = page.get_by_role("link", name="Download the list (CSV)").get_attribute("href")
    assert url and re.fullmatch(r"/download/[\w-]+\.[\w-]+\.[\w-]+", url), url
    signature = url.rsplit(".", 1)[1]
    middle = len(signature) // 2
    forged = (
        signature[:middle] + ("B" if signature[middle] == "A" else "A") + signature[middle + 1 :]
    )
    refused = page.request.get(demo.url + url.rsplit(".", 1)[0] + "." + forged)
    assert refused.status == 404
    assert refused.headers["content-type"].startswith("text/plain")
    assert "This download link is not valid" in refused.text()
    page.keyboard.press("Escape")
    wait_idle(page)


def test_a_toolkit_chapter_downloads_as_markdown_on_one_click(demo, new_context) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    pick_community(page, COMMUNITY)
    go(page, "Toolkit")
    click(main(page).get_by_role("tab", name="Export"))
    export = page.get_by_role("tabpanel", name="Export")
    expect(export.get_by_role("button", name="Prepare the file")).to_have_count(0)
    link = export.get_by_role("link", name=re.compile(r"^Download .+\.md$"))
    label = link.inner_text()
    name, data = one_click_download(link)
    assert name.endswith(".md") and name in label, (name, label)
    text = data.decode("utf-8")
    assert text.startswith("# "), text[:200]
    assert "Community building" in text or "welcom" in text.lower(), text[:500]
    assert_no_exception(page)
    assert_clean_log(demo)
