"""A calendar feed of 500 workshops over HTTP, next to ``/_stcore/health`` in the same run (issue 22).

Method: a real ``streamlit run serve.py`` on a copy of the demo workspace where the
demo's ``member`` belongs to a community with enough more workshops (through the
service the pages use; a year before and after today, in five time zones, half of
them online) that their feed holds ``WORKSHOPS`` workshop events. The member makes a
private address; then, ``ROUNDS`` times, the benchmark commits an empty write (which
moves ``data_version`` on, as any change does) and a plain HTTP client fetches the whole
feed (``GET /feeds/<token>.ics``: built anew after the write), the feed again (served
from the process's cache of built feeds), the feed with the ``If-None-Match`` a
calendar program sends when it polls (a 304), and Streamlit's own ``/_stcore/health``
(the floor: the same server, the same client, no database). Each request opens its
own connection, as a polling calendar does; the first ``WARMUP`` rounds are not
counted. Written to benchmarks/results/feed.json: median and p95 of each, and each
feed figure over the health check's.

Run alone: ``.venv/bin/python benchmarks/bench_feed.py [rounds]``.
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from icalendar import Calendar  # noqa: E402
from sqlmodel import select  # noqa: E402

import cop.registry  # noqa: E402, F401  (every table)
from cop.accounts.service import load_actor  # noqa: E402
from cop.calendars import service as calendars  # noqa: E402
from cop.calendars.feed import feed_for_token  # noqa: E402
from cop.core import clock, db  # noqa: E402
from cop.core.permissions import SYSTEM  # noqa: E402
from cop.workshops import service as workshops  # noqa: E402
from cop.workshops.models import Workshop  # noqa: E402
from tests.browser.conftest import stop_server  # noqa: E402
from tests.browser.journeys import copy_demo, demo_server  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
WORKSHOPS = 500
ROUNDS = 60
WARMUP = 5
USER = "member"
FEED_FIGURES = ("feed_built", "feed_cached", "feed_not_modified")
ZONES = ("Europe/Berlin", "Europe/Lisbon", "Europe/Helsinki", "Europe/Brussels", "Europe/Zagreb")


def _workshop_events(body: bytes) -> int:
    return sum(
        1 for e in Calendar.from_ical(body).walk("VEVENT") if str(e["uid"]).startswith("workshop-")
    )


def prepare(database_url: str) -> str:
    """Fill the member's feed up to ``WORKSHOPS`` workshops; returns the feed's token."""
    engine = db.get_engine(database_url)
    with db.write_session(engine) as session:
        member = load_actor(session, username=USER)
        assert member is not None and member.roles, "the demo's member belongs to a community"
        token = calendars.new_feed_address(session, member).token
        have = _workshop_events(feed_for_token(session, token, "http://bench").body)  # type: ignore[union-attr]
        community_id = min(member.roles)
        today = clock.today()
        for i in range(WORKSHOPS - have):
            starts_at = datetime.combine(
                today + timedelta(days=(i * 3) % 730 - 365), day_time(9 + i % 6, 30)
            )
            online = i % 2 == 0
            workshops.record_workshop(
                session,
                SYSTEM,
                community_id=community_id,
                title=f"Bench workshop {i:03d}: neighbourhood energy advice, round {i % 12}",
                kind="workshop",
                format="online" if online else "in_person",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2 + i % 4),
                time_zone=ZONES[i % len(ZONES)],
                meeting_link=f"https://meet.example.org/bench-{i}" if online else "",
                place="" if online else f"Town hall, room {i % 20}",
                objectives="Share what worked, and plan the next step.",
            )
    with db.read_session(engine) as session:
        found = feed_for_token(session, token, "http://bench")
        assert found is not None
        events = _workshop_events(found.body)
        total = len(session.exec(select(Workshop.id)).all())
    assert events == WORKSHOPS, f"the feed holds {events} workshops (of {total} in the workspace)"
    db.dispose_engines()
    return token


def _get(
    base: str, path: str, headers: dict[str, str] | None = None
) -> tuple[float, int, bytes, str]:
    """Seconds from opening the connection to the last byte of the body; a new connection each time."""
    parts = urlsplit(base)
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        status = response.status
        etag = response.getheader("ETag") or ""
    finally:
        connection.close()
    return time.perf_counter() - started, status, body, etag


def _stats(values: list[float]) -> dict[str, float]:
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1]
    return {"n": len(values), "median_ms": statistics.median(values) * 1000, "p95_ms": p95 * 1000}


def measure(rounds: int = ROUNDS) -> dict:
    with tempfile.TemporaryDirectory(prefix="cop-bench-feed-") as folder:
        data_dir = Path(folder)
        database_url = f"sqlite:///{copy_demo(data_dir)}"
        token = prepare(database_url)
        server = demo_server(data_dir, fresh=False)
        feed_path = f"/feeds/{token}.ics"
        times: dict[str, list[float]] = {name: [] for name in (*FEED_FIGURES, "health")}
        size = 0
        try:
            for number in range(WARMUP + rounds):
                with db.write_session(db.get_engine(database_url)):
                    pass  # data_version moves on: the server builds the feed again
                built, status, body, etag = _get(server.url, feed_path)
                assert status == 200 and _workshop_events(body) == WORKSHOPS, status
                size = len(body)
                cached, status, again, _ = _get(server.url, feed_path)
                assert status == 200 and again == body, status
                unchanged, status, _, _ = _get(server.url, feed_path, {"If-None-Match": etag})
                assert status == 304, status
                health, status, body, _ = _get(server.url, "/_stcore/health")
                assert status == 200 and body.strip() == b"ok", (status, body)
                if number >= WARMUP:
                    for name, value in zip(
                        (*FEED_FIGURES, "health"), (built, cached, unchanged, health), strict=True
                    ):
                        times[name].append(value)
        finally:
            stop_server(server)
    figures: dict = {name: _stats(values) for name, values in times.items()}
    for name in FEED_FIGURES:
        figures[name]["median_vs_health"] = (
            figures[name]["median_ms"] / figures["health"]["median_ms"]
        )
        figures[name]["p95_vs_health"] = figures[name]["p95_ms"] / figures["health"]["p95_ms"]
    return {"workshops": WORKSHOPS, "rounds": rounds, "feed_bytes": size, **figures}


def main(rounds: int = ROUNDS) -> int:
    figures = {"command": f".venv/bin/python benchmarks/bench_feed.py {rounds}", **measure(rounds)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "feed.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:])))
