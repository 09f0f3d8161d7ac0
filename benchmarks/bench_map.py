"""The map page with 200 communities in Chromium, next to a trivial page (issue 21 item 4).

Method: a real ``streamlit run app.py`` on a copy of the demo workspace with 200 more
communities, each with its own city (coordinates spread over Europe), a member from that
city and a study visit it hosted that a member of the next community's city attended; and
a second ``streamlit run`` of ``benchmarks/pages/typical.py`` (the *floor*). One headless
Chromium, signed in as the admin (who reads every community), clicks "Map" in the sidebar
and waits until the chart's SVG marks are drawn and the script run has finished, then
goes back to Home (not timed), ``ROUNDS`` times; the floor page's view switch is timed the
same way in turns, so both share the machine's drift. Written to benchmarks/results/map.json;
RESULTS.md gives p50 and p95 and their ratio to the floor's.

Run alone: ``.venv/bin/python benchmarks/bench_map.py [rounds]``.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

import cop.registry  # noqa: E402, F401  (every table)
from benchmarks.clicks import TIMEOUT_S, idle, timed  # noqa: E402
from cop.communities import people  # noqa: E402
from cop.communities import service as communities  # noqa: E402
from cop.core import clock, db  # noqa: E402
from cop.core.permissions import SYSTEM  # noqa: E402
from cop.workshops import attendance  # noqa: E402
from cop.workshops import service as workshops  # noqa: E402
from tests.browser.conftest import CHROMIUM, DEMO_PASSWORD, LAUNCH_ARGS, stop_server  # noqa: E402
from tests.browser.helpers import sign_in  # noqa: E402
from tests.browser.journeys import copy_demo, demo_server  # noqa: E402
from tests.browser.test_load import _start_trivial  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
FLOOR_PAGE = ROOT / "benchmarks" / "pages" / "typical.py"
COMMUNITIES = 200


def add_communities(database_url: str, n: int = COMMUNITIES) -> None:
    """``n`` communities, each with a city, a member and a visit, through the services the pages use."""
    engine = db.get_engine(database_url)
    start = clock.now() - timedelta(days=400)
    with db.write_session(engine) as session:
        cities, members, ids = [], [], []
        for i in range(n):
            city = people.create_organisation(
                session,
                SYSTEM,
                name=f"Bench city {i:03d}",
                kind="city",
                country="DE",
                latitude=37.0 + (i * 7.3) % 23,
                longitude=-8.0 + (i * 11.7) % 34,
            )
            community = communities.create_community(
                session, SYSTEM, name=f"Bench community {i:03d}", slug=f"bench-{i:03d}"
            )
            person = people.create_person(
                session, SYSTEM, name=f"Bench member {i:03d}", organisation_id=city.id
            )
            communities.add_member(session, SYSTEM, community.id, person.id, "facilitator")  # type: ignore[arg-type]
            cities.append(city.id)
            members.append(person.id)
            ids.append(community.id)
        for i in range(n):
            guest = members[(i + 1) % n]
            communities.add_member(session, SYSTEM, ids[i], guest, "member")
            visit = workshops.record_workshop(
                session,
                SYSTEM,
                community_id=ids[i],
                title=f"Bench visit {i:03d}",
                kind="study_visit",
                format="in_person",
                place="Town hall",
                starts_at=start + timedelta(days=i * 2),
                ends_at=start + timedelta(days=i * 2, hours=6),
                time_zone="Europe/Berlin",
                host_organisation_id=cities[i],
            )
            attendance.add_attendee(session, SYSTEM, visit.id, person_id=guest)  # type: ignore[arg-type]
    db.dispose_engines()


def _stats(values: list[float]) -> dict[str, float]:
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1]
    return {"n": len(values), "p50_ms": statistics.median(values) * 1000, "p95_ms": p95 * 1000}


def measure(rounds: int = 10) -> dict:
    with tempfile.TemporaryDirectory(prefix="cop-bench-map-") as folder:
        data_dir = Path(folder)
        add_communities(f"sqlite:///{copy_demo(data_dir)}")
        server = demo_server(data_dir, fresh=False)
        floor_server = _start_trivial(data_dir, FLOOR_PAGE)
        times: dict[str, list[float]] = {"map": [], "floor": []}
        marks = 0
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                app = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
                sign_in(app, server.url, "admin", DEMO_PASSWORD)
                nav = app.get_by_test_id("stSidebarNav")
                main = app.get_by_test_id("stMain")
                marker = main.locator(
                    '[data-testid="stVegaLiteChart"] svg path[aria-roledescription="point"]'
                )
                floor = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
                floor.goto(floor_server.url)  # type: ignore[attr-defined]
                idle(floor)
                for number in range(rounds + 1):  # round 0 warms both up
                    drawn = timed(nav.get_by_text("Map", exact=True).click, marker)
                    marks = marker.count()
                    nav.get_by_text("Home", exact=True).click()
                    marker.first.wait_for(state="detached", timeout=TIMEOUT_S * 1000)
                    idle(app)
                    floor_b = timed(
                        floor.get_by_role("radio", name="B").click,
                        floor.get_by_text("Shown: B", exact=True),
                    )
                    floor_a = timed(
                        floor.get_by_role("radio", name="A").click,
                        floor.get_by_text("Shown: A", exact=True),
                    )
                    if number:
                        times["map"].append(drawn)
                        times["floor"] += [floor_b, floor_a]
                browser.close()
        finally:
            stop_server(server)
            floor_server.terminate()
            floor_server.wait(timeout=10)
    figures = {name: _stats(values) for name, values in times.items()}
    figures["map"]["p50_vs_floor"] = figures["map"]["p50_ms"] / figures["floor"]["p50_ms"]
    figures["map"]["p95_vs_floor"] = figures["map"]["p95_ms"] / figures["floor"]["p95_ms"]
    return {"communities": COMMUNITIES, "marks": marks, "rounds": rounds, **figures}


def main(rounds: int = 10) -> int:
    figures = {
        "command": f".venv/bin/python benchmarks/bench_map.py {rounds}",
        **measure(rounds),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "map.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:])))
