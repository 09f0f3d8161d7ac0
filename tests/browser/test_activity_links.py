"""Issue 17 in Chromium: a line of Home's recent activity is a sentence naming the record, and
following its link opens that record's page in the same tab, still signed in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import assert_clean_log, click, enter, main

pytestmark = pytest.mark.e2e


def test_an_activity_line_opens_its_record(demo, new_context) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    line = main(page).locator('a[target="_self"][href*="?id="]', has_text="created the")
    expect(line.first).to_be_visible(timeout=30_000)
    link = line.first
    href = link.get_attribute("href") or ""
    target = re.match(r"\./(\w+)\?id=(\d+)", href)
    assert target, href
    assert not re.search(r"\b[a-z_]+\.[a-z_]+\b", link.inner_text()), link.inner_text()
    pages_before = len(page.context.pages)
    click(link)
    page.wait_for_url(re.compile(rf"/{target.group(1)}\?id={target.group(2)}"), timeout=30_000)
    wait_idle(page)
    assert len(page.context.pages) == pages_before  # the same tab
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Signed in as", timeout=30_000)
    assert_no_exception(page)
    assert_clean_log(demo)
