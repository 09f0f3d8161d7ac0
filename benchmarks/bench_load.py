"""Concurrent sessions on one real server (issue 10, RELIABILITY.md "Load"), written to benchmarks/results/load.json.

Two parts, so the server, not a browser, is what the 20 sessions measure (issue 24):

* **20 sessions over Streamlit's own protocol.** ``streamlit run serve.py`` with
  ``--server.disconnectedSessionTTL 10`` on the capacity benchmark's copy of the
  demo (its accounts and actions, ``bench_capacity.prepare``). Twenty people
  (benchmarks/protocol/journey.py, the same steps as Locust's) work side by side
  through sign-in, the workshop list, opening a workshop, posting an update on
  their own action and exporting the chapter, for 3 rounds, each in a new tab;
  between rounds their tabs close and the TTL is waited out. The server's
  resident memory after each round says whether sessions leak (RELIABILITY.md:
  round 3 within 50 MB of round 1); every update is looked up, stored exactly once.
* **A small end-to-end check in Chromium.** ``tests/browser/test_load.run_load``:
  5 browser contexts side by side for one round through the same journeys with
  real clicks (cookies cleared each round), next to the trivial page's
  click-to-render; and one session alone for the one-session peak. Twenty
  Chromium pages on two cores measured Chromium (about 10 minutes, most of it the
  browser), which the protocol part now does in about a minute.

Run alone: ``.venv/bin/python benchmarks/bench_load.py``.
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cop.registry  # noqa: E402, F401  (every table; a benchmark is an entry point)
from tests.browser.test_load import run_load  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
LEAK_LIMIT_MB = 50  # RELIABILITY.md: memory after round 3 within 50 MB of round 1
SESSIONS = 20
ROUNDS = 3
TTL_SECONDS = 10
BROWSER_PAGES = 5
BROWSER_ROUNDS = 1
PORT = 8951


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


def _serve(env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "serve.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(PORT),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.disconnectedSessionTTL",
        str(TTL_SECONDS),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.time() + 90
    while time.time() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"the server did not start; see {log}")


def protocol_rounds(sessions: int = SESSIONS, rounds: int = ROUNDS) -> dict[str, Any]:
    """``sessions`` people side by side over the protocol for ``rounds`` rounds (see the module)."""
    import sqlalchemy as sa

    from benchmarks import bench_capacity
    from benchmarks.protocol import journey

    database, people = bench_capacity.prepare(bench_capacity.PEOPLE)  # the capacity bench's cache
    key = secrets.token_urlsafe(32)
    os.environ["COP_COOKIE_KEY"] = key  # the same key signs our cookies and the server's
    from cop.core import settings
    from cop.shell.session import new_cookie

    env = {
        **os.environ,
        "COP_DATA_DIR": str(bench_capacity.WORK),
        "COP_COOKIE_KEY": key,
        "COP_DEMO": "0",
    }
    env.pop("COP_DATABASE_URL", None)
    url = f"http://127.0.0.1:{PORT}"
    run_id = secrets.token_hex(3)
    persons = [
        journey.Person(
            url,
            p["username"],
            p["name"],
            {settings.COOKIE_NAME: new_cookie(p["username"])[0]},
        )
        for p in people[:sessions]
    ]
    timings: dict[str, list[float]] = {}
    errors: list[str] = []
    markers: list[str] = []

    def walk(person: journey.Person, round_no: int) -> None:
        marker = f"load-{run_id}-{person.username}-{round_no}"
        steps = [
            ("sign_in", lambda: journey.sign_in(person)),
            ("workshop_list", lambda: journey.workshop_list(person)),
            ("open_workshop", lambda: journey.open_workshop(person)),
            ("post_update", lambda: journey.post_update(person, marker)),
            ("export_chapter", lambda: journey.export_chapter(person)),
        ]
        try:
            for name, step in steps:
                result = step()
                timings.setdefault(name, []).append(journey.seconds_of(result))
                if name == "post_update":
                    markers.append(marker)
                time.sleep(0.5)  # a short think: the people overlap, as a class's would
        except Exception as error:  # noqa: BLE001  (every failure is counted, none stops the rest)
            errors.append(f"{person.username} round {round_no}: {error}"[:300])
        finally:
            person.close()  # the tab closes; its session lingers until the TTL

    log = bench_capacity.WORK / "server-load.log"
    server = _serve(env, log)
    rss: dict[str, float] = {"before": _rss_mb(server.pid)}
    started = time.time()
    try:
        for round_no in range(1, rounds + 1):
            with ThreadPoolExecutor(max_workers=sessions) as pool:
                for person in persons:
                    pool.submit(walk, person, round_no)
                    time.sleep(0.2)  # they arrive one after the other, not in one instant
            time.sleep(TTL_SECONDS + 2)  # closed tabs' sessions expire
            rss[f"after_round_{round_no}"] = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=15)
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        stored = {
            m: conn.execute(
                sa.text("SELECT count(*) FROM action_update WHERE text LIKE :m"), {"m": f"{m}:%"}
            ).scalar_one()
            for m in markers
        }
    engine.dispose()
    server_errors = [
        line for line in log.read_text(encoding="utf-8").splitlines() if "Traceback" in line
    ]
    return {
        "sessions": sessions,
        "rounds": rounds,
        "seconds": round(time.time() - started, 1),
        "disconnected_session_ttl_s": TTL_SECONDS,
        "steps": {
            name: {
                "n": len(values),
                "p50_ms": round(statistics.median(values) * 1000, 1),
                "p95_ms": round(_p95(values) * 1000, 1),
            }
            for name, values in timings.items()
        },
        "server_rss_mb": {k: round(v, 1) for k, v in rss.items()}
        | {"growth_round_1_to_last": round(rss[f"after_round_{rounds}"] - rss["after_round_1"], 1)},
        "updates": {
            "posted": len(markers),
            "stored_exactly_once": sum(1 for n in stored.values() if n == 1),
            "not_stored_once": {m: n for m, n in stored.items() if n != 1},
        },
        "errors": errors,
        "server_log_errors": server_errors[:20],
    }


def main() -> int:
    protocol = protocol_rounds()
    one = run_load(1, 1)
    browser = run_load(BROWSER_PAGES, BROWSER_ROUNDS)
    growth = protocol["server_rss_mb"]["growth_round_1_to_last"]
    errors = (
        len(protocol["errors"])
        + len(protocol["server_log_errors"])
        + len(protocol["updates"]["not_stored_once"])
        + len(browser["errors"])
        + len(browser["server_log_errors"])
        + len(browser["updates"]["not_stored_once"])
    )
    figures = {
        "command": ".venv/bin/python benchmarks/bench_load.py",
        f"rss_mb_{SESSIONS}_sessions_after_each_round": [
            protocol["server_rss_mb"][f"after_round_{n}"] for n in range(1, ROUNDS + 1)
        ],
        "peak_rss_mb_one_session": one["server_rss_mb"]["peak"],
        "rss_growth_round_1_to_3_mb": growth,
        "rss_growth_within_50_mb": growth <= LEAK_LIMIT_MB,
        "errors": errors,
        "protocol": protocol,
        "browser": browser,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(
        json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0 if errors == 0 and figures["rss_growth_within_50_mb"] else 1


if __name__ == "__main__":
    sys.exit(main())
