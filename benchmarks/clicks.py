"""Timing a click in Chromium until the page shows what it should and Streamlit has settled.

Shared by the browser benchmarks (views, map) so each measures a click the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from playwright.sync_api import Locator, Page

from tests.browser.helpers import IDLE_SCRIPT

TIMEOUT_S = 120.0


def idle(page: Page) -> None:
    """Wait until the script run has finished and no skeleton is shown."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if page.evaluate(IDLE_SCRIPT):
            return
        time.sleep(0.02)
    raise AssertionError("Streamlit did not settle")


def timed(click: Callable[[], None], shown: Locator) -> float:
    """Seconds from the click until ``shown`` is visible and the script run has finished."""
    started = time.perf_counter()
    click()
    shown.first.wait_for(state="visible", timeout=TIMEOUT_S * 1000)
    idle(shown.page)
    return time.perf_counter() - started
