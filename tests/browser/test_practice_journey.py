"""Issue 7 in Chromium: a facilitator records a practice seen on a closed study visit, approves it,
scores a city against two standards, and sees the heatmap change."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import (
    assert_clean_log,
    choose,
    click,
    enter,
    eventually,
    go,
    grid_text,
    main,
    pick_community,
)

pytestmark = pytest.mark.e2e

COMMUNITY = "Community building and welcoming culture"
VISIT = "Study visit to Düsseldorf: welcome points in the neighbourhood"
CITY = "Ghent"
_CELL = re.compile(
    r"Standard: (?P<standard>\d+)\. .*?; City: (?P<city>[^;]+); Score: (?P<score>\d)"
)


def heatmap(page: Page) -> dict[tuple[str, int], int]:
    """(city, standard number) -> current score, read from the heatmap's SVG cells (their ARIA labels)."""
    chart = main(page).locator('[data-testid="stVegaLiteChart"][aria-label^="Heatmap"]')
    expect(chart.locator("path[role='graphics-symbol']").first).to_be_attached()
    cells: dict[tuple[str, int], int] = {}
    for label in chart.locator("path[role='graphics-symbol']").evaluate_all(
        "paths => paths.map(p => p.getAttribute('aria-label'))"
    ):
        found = _CELL.match(label or "")
        if found:
            cells[(found["city"], int(found["standard"]))] = int(found["score"])
    return cells


def set_score(form: Locator, score: int) -> None:
    """The score slider goes 0..4: from the start, one step right per point."""
    slider = form.get_by_role("slider")
    slider.focus()
    slider.press("Home")
    for _ in range(score):
        slider.press("ArrowRight")
    expect(slider).to_have_value(str(score))


def test_facilitator_records_approves_a_practice_and_scores_a_city(demo, new_context) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "facilitator", DEMO_PASSWORD)
    title = f"Library welcome desks {uuid.uuid4().hex[:6]} · بيت الترحيب"
    go(page, "Practices")
    pick_community(page, COMMUNITY)

    # Recorded as a draft ...
    listing = page.get_by_role("tabpanel", name="Practices")
    click(listing.get_by_text("Record a practice"))
    form = listing.get_by_test_id("stForm")
    form.get_by_label("Title").fill(title)
    choose(form, "City", CITY)
    form.get_by_label("Summary").fill(
        "Volunteers welcome newcomers at the library desk, in **their** languages."
    )
    click(form.get_by_role("button", name="Save"))
    expect(main(page).get_by_role("heading", name=title)).to_be_visible()
    expect(main(page).get_by_text(f"{CITY} · {COMMUNITY} · Draft")).to_be_visible()
    expect(main(page).get_by_text("Not linked to a workshop or visit yet.")).to_be_visible()

    # ... from the closed study visit where it was presented ...
    link_form = (
        main(page)
        .get_by_test_id("stForm")
        .filter(has=page.get_by_role("button", name="Link workshop"))
    )
    choose(link_form, "Presented at", re.compile(re.escape(VISIT)))
    click(link_form.get_by_role("button", name="Link workshop"))
    expect(main(page).get_by_text("Not linked to a workshop or visit yet.")).to_have_count(0)
    assert VISIT in grid_text(main(page))

    # ... and approved by the facilitator.
    click(main(page).get_by_role("button", name="Approve"))
    expect(main(page).get_by_text(f"{CITY} · {COMMUNITY} · Approved")).to_be_visible()
    assert_no_exception(page)

    # The approved practice is listed with its status.
    click(main(page).get_by_role("button", name="Back to the list"))
    practices_tab = listing
    practices_tab.get_by_role("textbox", name="Search").fill(title.split(" · ")[0])
    practices_tab.get_by_role("textbox", name="Search").press("Enter")
    wait_idle(page)
    expect(practices_tab.get_by_text("1 practices")).to_be_visible()
    assert title in grid_text(practices_tab) and "approved" in grid_text(practices_tab).lower()

    # Ghent scores itself against the first two standards; the heatmap follows.
    click(page.get_by_role("tab", name="Self-assessment"))
    before = heatmap(page)
    wanted = {1: (before.get((CITY, 1), 0) + 2) % 5, 2: (before.get((CITY, 2), 0) + 3) % 5}
    scores = page.get_by_role("tabpanel", name="Self-assessment")
    click(scores.get_by_text("Record a score"))
    score_form = scores.get_by_test_id("stForm").filter(
        has=page.get_by_role("button", name="Record score")
    )
    for number, score in wanted.items():
        choose(score_form, "Standard", re.compile(rf"^{number}\. "))
        choose(score_form, "City", CITY)
        set_score(score_form, score)
        score_form.get_by_role("textbox", name="Evidence").fill(
            f"Seen on the study visit; step {score} of 4."
        )
        click(score_form.get_by_role("button", name="Record score"))
        expect(score_form.get_by_role("button", name="Record score")).to_be_visible()

    expected = {(CITY, 1): wanted[1], (CITY, 2): wanted[2]}
    eventually(
        lambda: {key: heatmap(page).get(key) for key in expected} == expected,
        f"the heatmap to show {expected} (it showed {before})",
    )
    after = heatmap(page)
    assert {k: v for k, v in after.items() if k[0] != CITY} == {
        k: v for k, v in before.items() if k[0] != CITY
    }
    assert_no_exception(page)
    assert_clean_log(demo)
