"""Issue 21 item 4 in Chromium: the map page draws the shipped outline of Europe with the demo's
cities, no request leaves the app's host, a click on a study visit's marker opens it in the same
tab, and a click on a city's marker shows its record in place."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import assert_clean_log, enter, go, main

pytestmark = pytest.mark.e2e

SHAPES = "svg g.mark-shape path"  # the outline (aria: false: no roles for a picture of borders)
VISIT = "Study visit to Düsseldorf: welcome points in the neighbourhood"


def marker(page: Page, name: str) -> Locator:
    """A mark of the map's SVG, found by its accessible label (its tooltip's fields)."""
    chart = main(page).get_by_test_id("stVegaLiteChart")
    return chart.locator(f'svg path[aria-roledescription="point"][aria-label^="{name} · "]').first


def open_map(page: Page) -> None:
    go(page, "Map")
    expect(main(page).get_by_role("heading", name="Map", exact=True)).to_be_visible()
    chart = main(page).get_by_test_id("stVegaLiteChart")
    expect(chart.locator("svg")).to_be_visible(timeout=30_000)
    # The outline is drawn: countries as shapes, and the demo's cities as marks.
    expect(chart.locator(SHAPES).first).to_be_attached()
    expect(marker(page, "Düsseldorf")).to_be_visible()


def test_the_map_opens_a_visit_in_the_same_tab_and_asks_nothing_outside(demo, new_context) -> None:
    own = urlsplit(demo.url).netloc
    requested: list[str] = []
    ctx = new_context()
    ctx.on("request", lambda request: requested.append(request.url))
    page = ctx.new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    open_map(page)
    shapes = main(page).locator(SHAPES).count()
    assert shapes >= 40, shapes  # Europe's countries and their neighbours
    for city in ("Lisbon", "Helsinki", "Athens", "Riga", "Oslo", "Zagreb"):
        expect(marker(page, city)).to_be_visible()

    marker(page, VISIT).click()
    wait_idle(page)
    expect(main(page).get_by_role("heading", name=VISIT)).to_be_visible(timeout=30_000)
    assert re.search(r"/workshops\?id=\d+$", page.url), page.url
    assert ctx.pages == [page]  # the same tab, no new one
    assert_no_exception(page)

    open_map(page)
    marker(page, "Düsseldorf").click()
    wait_idle(page)
    card = main(page).locator(".st-key-map-place")  # the record, in place under the map
    expect(card.get_by_role("heading", name="Düsseldorf")).to_be_visible()
    expect(card.get_by_text("Hosted")).to_be_visible()
    expect(card.get_by_role("link", name=VISIT)).to_be_visible()
    assert_no_exception(page)

    outside = [
        url
        for url in requested
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and urlsplit(url).netloc != own
    ]
    assert not outside, "requests left the app's host:\n" + "\n".join(sorted(set(outside)))
    assert_clean_log(demo)
