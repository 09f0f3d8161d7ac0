"""Issue 23 item 7 in Chromium: at 390 px wide and at 200 % zoom of a 1280 px window the main
pages do not scroll sideways (WCAG 1.4.10 Reflow); tables may scroll inside themselves.

200 % zoom of a 1280 x 900 window is, in CSS pixels, a 640 x 450 viewport drawn at a device scale
factor of 2: that is how the test zooms (``body.style.zoom`` would not reflow the layout the same way).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception, open_page
from tests.browser.journeys import enter

pytestmark = pytest.mark.e2e

PAGES = ["", "workshops", "actions", "practices", "toolkit", "map", "search", "profile"]
SIZES = {
    "phone 390 px": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1},
    "1280 px at 200 %": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
}
# The page's own sideways overflow: the document wider than the window, or Streamlit's page
# boxes (the main area scrolls itself, not the document) wider than they are shown. A table or
# chart that scrolls inside its own box does not count (it does not widen these).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const boxes = ['stApp', 'stAppViewContainer', 'stMain', 'stMainBlockContainer']
    .map(id => document.querySelector(`[data-testid="${id}"]`)).filter(Boolean);
  const inner = Math.max(0, ...boxes.map(b => b.scrollWidth - b.clientWidth));
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && e.getClientRects().length)
    .filter(e => !e.closest('[data-testid="stDataFrame"], [data-testid="stTable"]'))
    .slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}[data-testid=${e.dataset.testid || ''}]`
              + ` ${Math.round(e.getBoundingClientRect().right)}px`);
  return {scroll: document.documentElement.scrollWidth, width, inner, wide};
}"""


@pytest.mark.parametrize("size", list(SIZES))
def test_main_pages_do_not_scroll_sideways(demo, browser, size: str) -> None:
    context = browser.new_context(locale="en-GB", **SIZES[size])
    try:
        page = context.new_page()
        enter(page, demo.url, "facilitator", DEMO_PASSWORD)
        offenders = {}
        for path in PAGES:
            open_page(page, f"{demo.url}/{path}")
            assert_no_exception(page)
            found = page.evaluate(OVERFLOW)
            if found["scroll"] > found["width"] + 1 or found["inner"] > 1:
                offenders[path or "home"] = found
        assert not offenders, f"pages wider than the window at {size}: {offenders}"
    finally:
        context.close()


# Every button label in the main area shown whole: text cut short by its box ("Move d…").
CUT_LABELS = """() => [...document.querySelectorAll('[data-testid="stMain"] button *')]
  .filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1 && e.innerText.trim())
  .map(e => e.innerText.trim())"""


def test_a_workshops_agenda_buttons_show_their_whole_labels_on_a_wide_screen(demo, browser) -> None:
    """The agenda's "Move up", "Move down" and "Remove" sat in fixed narrow columns and read "Move d…"."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        enter(page, demo.url, "facilitator", DEMO_PASSWORD)
        open_page(
            page, f"{demo.url}/workshops?id=5"
        )  # planned, with an agenda the facilitator edits
        assert_no_exception(page)
        assert page.get_by_role("button", name="Move down").count() >= 2
        assert page.evaluate(CUT_LABELS) == []
    finally:
        context.close()
