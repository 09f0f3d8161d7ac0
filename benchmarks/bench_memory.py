"""Memory of one server process with one signed-in session, next to a trivial Streamlit server.

Method: ``streamlit run serve.py`` on a copy of the demo workspace and
``streamlit run benchmarks/pages/table_and_chart.py`` (one table and one
chart, the floor) start side by side. One headless Chromium opens one page on
each: on the app it signs in as ``facilitator`` through the form and waits
until the home page has finished its run; on the floor it waits until the
table and chart are drawn. After both have settled (3 s, as the first
session's caches fill), each server's resident set size is read from
/proc through psutil, three times 0.5 s apart, and the highest kept.
Goal (issue 24): the app at most 60 MB above the floor.

Run alone: ``.venv/bin/python benchmarks/bench_memory.py``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cop.registry  # noqa: E402,F401  (the demo template opens the database)
from tests.browser.conftest import CHROMIUM, DEMO_PASSWORD, LAUNCH_ARGS, stop_server  # noqa: E402
from tests.browser.helpers import wait_idle  # noqa: E402
from tests.browser.journeys import demo_server, enter  # noqa: E402
from tests.browser.test_load import _start_trivial  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
FLOOR_PAGE = ROOT / "benchmarks" / "pages" / "table_and_chart.py"
GOAL_MB = 60
SETTLE_S = 3.0


def _rss_mb(pid: int) -> float:
    import psutil

    samples = []
    for _ in range(3):
        samples.append(psutil.Process(pid).memory_info().rss / 2**20)
        time.sleep(0.5)
    return round(max(samples), 1)


def main() -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="cop-bench-memory-") as tmp:
        app = demo_server(Path(tmp) / "app")
        floor = _start_trivial(Path(tmp), FLOOR_PAGE)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                page = browser.new_page()
                enter(page, app.url, "facilitator", DEMO_PASSWORD)
                floor_page = browser.new_page()
                floor_page.goto(floor.url)  # type: ignore[attr-defined]
                floor_page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
                floor_page.wait_for_selector("[data-testid='stVegaLiteChart']", timeout=60_000)
                wait_idle(floor_page)
                page.wait_for_selector("[data-testid='stSidebarNav']", timeout=60_000)
                time.sleep(SETTLE_S)
                app_mb = _rss_mb(app.process.pid)
                floor_mb = _rss_mb(floor.pid)
                browser.close()
        finally:
            stop_server(app)
            floor.terminate()
            floor.wait(timeout=30)
    result = {
        "command": ".venv/bin/python benchmarks/bench_memory.py",
        "app_rss_mb": app_mb,
        "floor_rss_mb": floor_mb,
        "above_floor_mb": round(app_mb - floor_mb, 1),
        "goal_above_floor_mb": GOAL_MB,
        "within_goal": app_mb - floor_mb <= GOAL_MB,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
