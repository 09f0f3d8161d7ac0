"""The actions board and timeline of 300 actions in Chromium, next to a typical page (issue 19).

Method: a real ``streamlit run serve.py`` on a copy of the demo workspace with 300 more
actions in one community (every status, owners, start and due dates over a year), and a
second ``streamlit run`` of ``benchmarks/pages/typical.py`` (a 300-row table and a bar
chart: the *floor*). One headless Chromium, signed in as the facilitator with that
community chosen, switches the actions page from its table to the board, back, to the
timeline and back, ``ROUNDS`` times; each switch is timed from the click until the view's
own content is visible and the script run has finished (the sign-in and the first draw are
warm-ups). The floor page's view switch is timed the same way in the same browser, in
turns with the workspace's, so the two share the machine's drift. Written to
benchmarks/results/views.json; RESULTS.md gives p50 and p95 and their ratio to the floor's.

Run alone: ``.venv/bin/python benchmarks/bench_views.py [rounds]``.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from sqlmodel import select  # noqa: E402

import cop.registry  # noqa: E402, F401  (every table)
from benchmarks.clicks import idle, timed  # noqa: E402
from cop.actions import service as actions  # noqa: E402
from cop.communities.models import Community, Membership  # noqa: E402
from cop.core import clock, db  # noqa: E402
from cop.core.permissions import SYSTEM  # noqa: E402
from tests.browser.conftest import CHROMIUM, DEMO_PASSWORD, LAUNCH_ARGS, stop_server  # noqa: E402
from tests.browser.helpers import sign_in  # noqa: E402
from tests.browser.journeys import copy_demo, demo_server, pick_community  # noqa: E402
from tests.browser.test_load import _start_trivial  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
FLOOR_PAGE = ROOT / "benchmarks" / "pages" / "typical.py"
COMMUNITY = "Community building and welcoming culture"
ACTIONS = 300
STATUSES = ("idea", "planned", "in_progress", "done", "dropped")


def add_actions(database_url: str, n: int = ACTIONS) -> None:
    """``n`` actions in the community through the service the pages use."""
    engine = db.get_engine(database_url)
    today = clock.today()
    with db.write_session(engine) as session:
        community = session.exec(select(Community).where(Community.name == COMMUNITY)).one()
        people = session.exec(
            select(Membership.person_id).where(Membership.community_id == community.id)
        ).all()
        assert community.id is not None
        for i in range(n):
            start = today + timedelta(days=(i * 7) % 300 - 150)
            actions.create_action(
                session,
                SYSTEM,
                community_id=community.id,
                title=f"Bench action {i:03d}: volunteers welcome newcomers in district {i % 40}",
                owner_person_id=people[i % len(people)],
                start_date=None if i % 10 == 0 else start,
                due_date=start + timedelta(days=30 + (i * 11) % 200),
                status=STATUSES[i % len(STATUSES)],
            )
    db.dispose_engines()


def _switch(page: Page, name: str) -> Callable[[], None]:
    """The actions page's view switch (a tab or a segmented control), by its name."""
    main = page.get_by_test_id("stMain")

    def click() -> None:
        tab = main.get_by_role("tab", name=name, exact=True)
        (tab if tab.count() else main.get_by_role("radio", name=name, exact=True)).first.click()

    return click


def _stats(values: list[float]) -> dict[str, float]:
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1]
    return {"n": len(values), "p50_ms": statistics.median(values) * 1000, "p95_ms": p95 * 1000}


def measure(rounds: int = 10) -> dict:
    with tempfile.TemporaryDirectory(prefix="cop-bench-views-") as folder:
        data_dir = Path(folder)
        add_actions(f"sqlite:///{copy_demo(data_dir)}")
        server = demo_server(data_dir, fresh=False)
        floor_server = _start_trivial(data_dir, FLOOR_PAGE)
        times: dict[str, list[float]] = {"board": [], "timeline": [], "floor": []}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                app = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
                sign_in(app, server.url, "facilitator", DEMO_PASSWORD)
                app.goto(f"{server.url}/actions")
                idle(app)
                pick_community(app, COMMUNITY)
                idle(app)
                main = app.get_by_test_id("stMain")
                # Any card of the board in view (a column may scroll); the table draws on a canvas.
                board_card = main.get_by_text("Bench action", exact=False).filter(visible=True)
                timeline_chart = main.locator('[data-testid="stVegaLiteChart"]')
                table = main.locator('[data-testid="stDataFrame"]')
                floor = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
                floor.goto(floor_server.url)  # type: ignore[attr-defined]
                idle(floor)
                for number in range(rounds + 1):  # round 0 warms both up
                    board = timed(_switch(app, "Board"), board_card)
                    timed(_switch(app, "Table"), table)
                    timeline = timed(_switch(app, "Timeline"), timeline_chart)
                    timed(_switch(app, "Table"), table)
                    floor_b = timed(
                        floor.get_by_role("radio", name="B").click,
                        floor.get_by_text("Shown: B", exact=True),
                    )
                    floor_a = timed(
                        floor.get_by_role("radio", name="A").click,
                        floor.get_by_text("Shown: A", exact=True),
                    )
                    if number:
                        times["board"].append(board)
                        times["timeline"].append(timeline)
                        times["floor"] += [floor_b, floor_a]
                browser.close()
        finally:
            stop_server(server)
            floor_server.terminate()
            floor_server.wait(timeout=10)
    figures = {name: _stats(values) for name, values in times.items()}
    for name in ("board", "timeline"):
        figures[name]["p50_vs_floor"] = figures[name]["p50_ms"] / figures["floor"]["p50_ms"]
        figures[name]["p95_vs_floor"] = figures[name]["p95_ms"] / figures["floor"]["p95_ms"]
    return {"actions": ACTIONS, "rounds": rounds, **figures}


def main(rounds: int = 10) -> int:
    figures = {
        "command": f".venv/bin/python benchmarks/bench_views.py {rounds}",
        **measure(rounds),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "views.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:])))
