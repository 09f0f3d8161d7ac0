"""How many people one server process holds: Locust over Streamlit's own protocol (issue 24).

Method: a copy of the demo workspace with ``PEOPLE`` member accounts, each
with an action of their own. ``streamlit run serve.py`` is pinned to core 0
(``taskset``), Locust to core 1, so the server, not a browser, is measured.
Locust's people (benchmarks/protocol/locustfile.py) think about ten seconds
between clicks and walk sign in, workshop list, open a workshop, post an
update, export the chapter; each step's time runs from sending the rerun to
the script-finished message, and each step checks the text it should show.
The number of people grows level by level (statistics reset once all have
arrived, then ``HOLD`` seconds measured); the server's CPU seconds and
resident memory are read from /proc around each level, Locust's from its
rusage. The one-button page (benchmarks/pages/trivial_button.py) runs under
the same harness as the floor. Afterwards every posted update is looked up:
each must be stored exactly once.

Result: the most people at a level whose p95 stayed under one second with no
failed step, "active people per server process", next to the floor's.
Then the same with two replicas (each pinned to a core; Locust and nginx share
them) behind deploy/nginx.conf on PostgreSQL (the workspace restored from the
SQLite copy's backup archive into a schema of the local server).

Run alone: ``.venv/bin/python -m benchmarks.bench_capacity [--quick] [--no-replicas]``.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.protocol import locust_command  # noqa: E402
from benchmarks.workspaces import DATA, demo_workspace  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
WORK = DATA / "capacity"
PEOPLE = 400
PASSWORD = "capacity passphrase 2026"
COMMUNITY = "welcoming-culture"
LEVELS = [25, 50, 100, 200, 300, 400]
TRIVIAL_LEVELS = [50, 100, 200, 400, 800]
HOLD = 60  # seconds measured at each level, once everyone has arrived
P95_LIMIT_MS = 1000.0
TRIVIAL_PAGE = ROOT / "benchmarks" / "pages" / "trivial_button.py"
HAS_TASKSET = shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2


def _pinned(core: int, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(core), *command] if HAS_TASKSET else command


def prepare(people: int) -> tuple[Path, list[dict[str, Any]]]:
    """The demo copy with ``people`` accounts and their actions (cached until the schema moves)."""
    import cop.registry  # noqa: F401
    from cop.accounts import service as accounts
    from cop.actions import service as actions
    from cop.communities import service as communities
    from cop.core import clock, db, schema
    from cop.core.permissions import SYSTEM

    usernames = [f"cap.{i:03d}" for i in range(1, people + 1)]
    database = WORK / "cop.db"
    marker = WORK / "prepared.txt"
    stamp = f"{schema.head_revision()} {people}"
    if not (database.exists() and marker.exists() and marker.read_text() == stamp):
        shutil.rmtree(WORK, ignore_errors=True)
        WORK.mkdir(parents=True)
        template = demo_workspace().removeprefix("sqlite:///")
        with (
            closing(sqlite3.connect(template)) as source,
            closing(sqlite3.connect(database)) as copy,
        ):
            source.backup(copy)
        url = f"sqlite:///{database}"
        due = clock.today() + timedelta(days=7)
        with db.write_session(db.get_engine(url)) as session:
            community = communities.get_by_slug(session, SYSTEM, COMMUNITY)
            for username in usernames:
                user = accounts.create_user(
                    session,
                    SYSTEM,
                    username=username,
                    password=PASSWORD,
                    name=f"Capacity person {username}",
                )
                communities.add_member(session, SYSTEM, community.id, user.person_id, "member")  # type: ignore[arg-type]
                actions.create_action(
                    session,
                    SYSTEM,
                    community_id=community.id,  # type: ignore[arg-type]
                    title=f"Load action {username}",
                    owner_person_id=user.person_id,
                    due_date=due,
                )
        db.dispose_engines()
        marker.write_text(stamp)
    return database, [{"username": u, "name": f"Capacity person {u}"} for u in usernames]


PG_BASE = os.environ.get(
    "COP_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PG_SCHEMA = "cop_capacity"


def prepare_postgres(sqlite_database: Path) -> str:
    """The same workspace on PostgreSQL: the SQLite copy's backup archive restored into a schema.

    Both replicas use it; the archive path is the one ``cop backup restore`` takes.
    """
    import sqlalchemy as sa

    from cop.backup import archive
    from cop.core import db, schema

    admin = sa.create_engine(PG_BASE)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{PG_SCHEMA}"')
    admin.dispose()
    url = f"{PG_BASE}{'&' if '?' in PG_BASE else '?'}options=-csearch_path%3D{PG_SCHEMA}"
    saved = WORK / "capacity-archive.zip"
    archive.backup(db.get_engine(f"sqlite:///{sqlite_database}"), saved)
    engine = db.get_engine(url)
    schema.upgrade(engine)
    archive.restore(engine, saved)
    db.dispose_engines()
    return url


def _nginx(port: int, replicas: list[int]) -> subprocess.Popen:
    """deploy/nginx.conf as it ships, its listen port and upstream servers pointed at this run's."""
    config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    config = config.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    config = config.replace("127.0.0.1:8501", f"127.0.0.1:{replicas[0]}")
    config = config.replace("127.0.0.1:8502", f"127.0.0.1:{replicas[1]}")
    site = WORK / "nginx-site.conf"
    site.write_text(config, encoding="utf-8")
    wrapper = WORK / "nginx.conf"
    wrapper.write_text(
        f"pid {WORK}/nginx.pid;\nerror_log {WORK}/nginx-error.log;\nworker_processes 1;\n"
        f"events {{ worker_connections 4096; }}\nhttp {{\n  access_log off;\n"
        f"  client_body_temp_path {WORK};\n  proxy_temp_path {WORK};\n  include {site};\n}}\n",
        encoding="utf-8",
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen(
        [nginx, "-c", str(wrapper), "-p", str(WORK), "-g", "daemon off;"],
        stdout=(WORK / "nginx.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    _wait_healthy(f"http://127.0.0.1:{port}", process)
    return process


def _wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"the server at {url} did not start")


def _start(
    script: Path, port: int, env: dict[str, str], log: Path, core: int = 0
) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    process = subprocess.Popen(
        _pinned(core, command), cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    _wait_healthy(f"http://127.0.0.1:{port}", process)
    return process


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _locust(kind: str, people_file: Path, users: int, prefix: Path, hold: int = HOLD) -> float:
    """One level: Locust on core 1 until everyone has arrived and HOLD seconds passed; its CPU seconds."""
    spawn_rate = max(5, users // 10)
    run_time = hold + users // spawn_rate + 5
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "COP_LOAD_PEOPLE": str(people_file),
        "COP_LOAD_KIND": kind,
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        _pinned(1, [*locust_command(users, spawn_rate, run_time, prefix), "--reset-stats"]),
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=Path(f"{prefix}.log").open("w"),  # Locust's summary table, kept beside its CSV
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _stats(prefix: Path) -> dict[str, dict[str, float]]:
    rows = {}
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "count": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
            }
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open(encoding="utf-8") as handle:
            rows["_errors"] = {
                r["Error"][:200]: int(r["Occurrences"]) for r in csv.DictReader(handle)
            }  # type: ignore[assignment]
    return rows


def measure(
    kind: str,
    levels: list[int],
    people: list[dict[str, Any]],
    env: dict[str, str],
    port: int,
    hold: int = HOLD,
) -> dict[str, Any]:
    script = TRIVIAL_PAGE if kind == "trivial" else ROOT / "serve.py"
    proxy: subprocess.Popen | None = None
    if kind == "replicas":
        # Two replicas, each pinned to a core of its own; nginx and Locust share the machine.
        replica_ports = [port + 10, port + 11]
        servers = [
            _start(script, p, env, WORK / f"server-replica-{i}.log", core=i)
            for i, p in enumerate(replica_ports)
        ]
        proxy = _nginx(port, replica_ports)
    else:
        servers = [_start(script, port, env, WORK / f"server-{kind}.log")]
    url = f"http://127.0.0.1:{port}"
    try:
        from benchmarks.protocol.client import Session

        Session(
            url, people[0]["cookies"] if people else {}
        ).rerun()  # warm: first run imports pages
        idle_rss = sum(_rss_mb(s.pid) for s in servers)
        results: list[dict[str, Any]] = []
        for users in levels:
            people_file = WORK / f"people-{kind}.json"
            # Each level's markers are its own: a new Locust process counts its posts from 1 again.
            run_id = f"{RUN_ID}-{kind}-{users}"
            people_file.write_text(json.dumps({"url": url, "run_id": run_id, "people": people}))
            cpu_before = sum(_cpu_seconds(s.pid) for s in servers)
            prefix = WORK / f"{kind}-{users}"
            locust_cpu = _locust(kind, people_file, users, prefix, hold)
            server_cpu = sum(_cpu_seconds(s.pid) for s in servers) - cpu_before
            stats = _stats(prefix)
            total = stats.get("Aggregated", {"count": 0, "failures": 0, "p50_ms": 0, "p95_ms": 0})
            rss = sum(_rss_mb(s.pid) for s in servers)
            level = {
                "people": users,
                "steps": total["count"],
                "failed_steps": total["failures"],
                "p50_ms": total["p50_ms"],
                "p95_ms": total["p95_ms"],
                "server_cpu_s": round(server_cpu, 1),
                "locust_cpu_s": round(locust_cpu, 1),
                "server_cpu_s_per_step": round(server_cpu / total["count"], 4)
                if total["count"]
                else None,
                "server_rss_mb": round(rss, 1),
                "rss_per_person_mb": round((rss - idle_rss) / users, 2),
                "by_step": {k: v for k, v in stats.items() if k not in {"Aggregated"}},
            }
            results.append(level)
            print(
                json.dumps({kind: {k: v for k, v in level.items() if k != "by_step"}}), flush=True
            )
            if total["p95_ms"] >= P95_LIMIT_MS or total["failures"]:
                break  # past what one process holds: the next level would only say so louder
        held = [
            r["people"] for r in results if r["p95_ms"] < P95_LIMIT_MS and not r["failed_steps"]
        ]
        return {
            "idle_rss_mb": round(idle_rss, 1),
            "levels": results,
            "active_people": max(held, default=0),
        }
    finally:
        for process in [*servers, *([proxy] if proxy else [])]:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def stored_once(url: str, kind: str) -> dict[str, int]:
    """Every update this run posted, looked up in the database: each stored exactly once."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT text, COUNT(*) FROM action_update WHERE text LIKE :marker GROUP BY text"
            ),
            {"marker": f"cap-{RUN_ID}-{kind}-%"},
        ).all()
    engine.dispose()
    return {
        "posted_and_stored": len(rows),
        "stored_more_than_once": sum(1 for _, n in rows if n > 1),
    }


RUN_ID = secrets.token_hex(3)


def main(quick: bool = False, replicas_too: bool = True) -> int:
    levels, trivial_levels = ([5, 10], [10, 20]) if quick else (LEVELS, TRIVIAL_LEVELS)
    database, people = prepare(max(levels))
    key = secrets.token_urlsafe(32)
    os.environ["COP_COOKIE_KEY"] = key  # the same key signs our cookies and the server's
    from cop.core import settings
    from cop.shell.session import new_cookie

    for person in people:
        person["cookies"] = {settings.COOKIE_NAME: new_cookie(person["username"])[0]}
    env = {**os.environ, "COP_DATA_DIR": str(WORK), "COP_COOKIE_KEY": key, "COP_DEMO": "0"}
    env.pop("COP_DATABASE_URL", None)
    hold = 20 if quick else HOLD
    workspace = measure("workspace", levels, people, env, 8931, hold)
    trivial = measure("trivial", trivial_levels, [], env, 8932, hold)
    once = stored_once(f"sqlite:///{database}", "workspace")
    once["posted_by_locust"] = _posted(workspace)
    replicas: dict[str, Any] = {}
    if replicas_too:
        pg_url = prepare_postgres(database)
        replicas = measure(
            "replicas", levels, people, {**env, "COP_DATABASE_URL": pg_url}, 8940, hold
        )
        replicas["updates"] = stored_once(pg_url, "replicas") | {
            "posted_by_locust": _posted(replicas)
        }
    figures = {
        "command": ".venv/bin/python -m benchmarks.bench_capacity" + (" --quick" if quick else ""),
        "pinned": HAS_TASKSET,
        "think_time_s": "8 to 12",
        "p95_limit_ms": P95_LIMIT_MS,
        "active_people": workspace["active_people"],
        "trivial_active_people": trivial["active_people"],
        "updates": once,
        "replicas_active_people": replicas.get("active_people"),
        "workspace": workspace,
        "trivial": trivial,
        "replicas": replicas,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "capacity.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {k: v for k, v in figures.items() if k not in {"workspace", "trivial", "replicas"}},
            indent=2,
        )
    )
    twice = once["stored_more_than_once"] + replicas.get("updates", {}).get(
        "stored_more_than_once", 0
    )
    return 0 if twice == 0 else 1


def _posted(run: dict[str, Any]) -> int:
    """Updates Locust saw posted (after each level's statistics reset)."""
    return sum(
        level["by_step"].get("post_update", {}).get("count", 0)
        - level["by_step"].get("post_update", {}).get("failures", 0)
        for level in run["levels"]
    )


if __name__ == "__main__":
    sys.exit(main("--quick" in sys.argv, replicas_too="--no-replicas" not in sys.argv))
