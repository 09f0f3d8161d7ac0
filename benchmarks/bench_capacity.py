"""How many people one server process holds: Locust over Streamlit's own protocol (issue 24).

Method: a copy of the demo workspace with ``PEOPLE`` member accounts, each
with an action of their own. ``streamlit run serve.py`` is pinned to core 0
(``taskset``), Locust to core 1, so the server, not a browser, is measured.
Locust's people (benchmarks/protocol/locustfile.py) think about ten seconds
between clicks and walk sign in, workshop list, open a workshop, post an
update, export the chapter; each step's time runs from sending the rerun to
the script-finished message, and each step checks the text it should show.
The number of people moves level by level. People arrive over one think
time, each starting at a different step of the journey (so a level shorter than
a whole journey still measures every step's share); statistics reset once all
have arrived, then at least ``MIN_STEPS`` steps are measured. The server's CPU
seconds are read from /proc over that same window, its resident memory after
it, Locust's CPU from its rusage. The search starts at the level the last quiet
run held (``START``) and goes up while a level holds, down while it does not:
the answer is bracketed in two or three levels rather than walked to from the
bottom, so the step takes about four minutes. Before the load,
``IDLE_SESSIONS`` people sign in and then think: the server's resident memory
grows by their sessions, reported per session. The one-button page (benchmarks/pages/trivial_button.py) runs under
the same harness as the floor. Afterwards every posted update is looked up:
each must be stored exactly once.

Result: the most people at a level whose p95 stayed under one second with no
failed step, "active people per server process", next to the floor's.
Then the same with two replicas, at most two levels from one process's answer
(each pinned to a core; Locust and nginx share them) behind deploy/nginx.conf on PostgreSQL (the workspace restored from the
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
LEVELS = [25, 50, 100, 150, 200, 300, 400]
TRIVIAL_LEVELS = [50, 100, 200, 400, 800]
# Where each search starts: the level the last quiet run held (benchmarks/RESULTS.md).
START = {"workspace": 200, "trivial": 800}
THINK_S = 10  # a person's mean think time (locustfile.THINK)
MIN_STEPS = 100  # steps measured at a level at least, once everyone has arrived
MIN_HOLD = 15  # seconds measured at a level at least
IDLE_SESSIONS = 200  # signed-in sessions that only think, for the memory per session
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
    from cop.core import clock, db, passwords, schema
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
        # These people sign in with their cookie only, so their password is never checked: bcrypt's
        # lowest cost makes 400 accounts in seconds instead of minutes on a busy machine.
        passwords.BCRYPT_COST = 4
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
    saved.unlink(missing_ok=True)  # the last run's: backup() refuses to overwrite a file
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


def hold_seconds(users: int, min_steps: int = MIN_STEPS) -> int:
    """How long a level is measured: long enough for ``min_steps`` steps at ten seconds' thought."""
    return max(MIN_HOLD, -(-min_steps * THINK_S // users))


def _locust(
    kind: str,
    people_file: Path,
    users: int,
    prefix: Path,
    hold: int,
    servers: list[subprocess.Popen],
) -> tuple[float, float]:
    """One level: Locust on core 1 until everyone has arrived and ``hold`` seconds passed.

    People arrive over one think time (a tenth of them a second), so their first
    clicks come at the pace of the rest instead of all at once. Returns Locust's CPU
    seconds and the servers' CPU seconds from the moment everyone had arrived (when
    Locust resets its statistics, as its history file shows) to the end: the same
    window as the steps counted, so the CPU per step leaves the arrivals out.
    """
    spawn_rate = max(5, users // THINK_S)
    run_time = hold + users // spawn_rate + 3
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "COP_LOAD_PEOPLE": str(people_file),
        "COP_LOAD_KIND": kind,
    }
    history = Path(f"{prefix}_stats_history.csv")
    history.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = sum(_cpu_seconds(s.pid) for s in servers)
    arrived: float | None = None
    locust = subprocess.Popen(
        _pinned(1, [*locust_command(users, spawn_rate, run_time, prefix), "--reset-stats"]),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=Path(f"{prefix}.log").open("w"),  # Locust's summary table, kept beside its CSV
    )
    while locust.poll() is None:
        if arrived is None and _everyone_arrived(history, users):
            arrived = sum(_cpu_seconds(s.pid) for s in servers)
        time.sleep(0.25)
    if locust.returncode:
        raise subprocess.CalledProcessError(locust.returncode, "locust")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = sum(_cpu_seconds(s.pid) for s in servers) - (
        started if arrived is None else arrived
    )
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), server_cpu


def _everyone_arrived(history: Path, users: int) -> bool:
    """Whether Locust's history file (a row a second) shows all ``users`` running."""
    try:
        lines = history.read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    if len(lines) < 2:
        return False
    row = next(csv.DictReader([lines[0], lines[-1]]), {})
    return row.get("User Count", "0").isdigit() and int(row["User Count"]) >= users


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


def next_level(levels: list[int], tried: dict[int, bool], start: int) -> int | None:
    """The next level to measure, or None once the answer is bracketed.

    From ``start``, up while each level holds, down while it does not: the
    answer is the highest level that held with the one above it failed (or
    the end of the list either way).
    """
    if not tried:
        return start
    held = [level for level, ok in tried.items() if ok]
    failed = [level for level, ok in tried.items() if not ok]
    if held and max(held) == levels[-1]:
        return None
    if failed and min(failed) == levels[0]:
        return None
    if held and failed and levels.index(min(failed)) == levels.index(max(held)) + 1:
        return None
    if failed and not held:
        return levels[levels.index(min(failed)) - 1]
    return levels[levels.index(max(held)) + 1]


def idle_sessions(
    url: str, people: list[dict[str, Any]], servers: list[subprocess.Popen], count: int
) -> dict[str, float]:
    """Server memory with ``count`` people signed in and thinking: the growth per session.

    Each opens a tab with the sign-in cookie (one run of the signed-in home) and keeps its
    WebSocket open; the server then holds ``count`` sessions at once.
    """
    from benchmarks.protocol import journey

    before = sum(_rss_mb(s.pid) for s in servers)
    persons = [
        journey.Person(url, p["username"], p["name"], p["cookies"])
        for p in (people * (count // max(len(people), 1) + 1))[:count]
    ]
    try:
        for person in persons:
            journey.sign_in(person)
        time.sleep(2)  # let the server settle: every run finished, every message sent
        after = sum(_rss_mb(s.pid) for s in servers)
    finally:
        for person in persons:
            person.close()
    return {
        "sessions": count,
        "rss_before_mb": round(before, 1),
        "rss_mb": round(after, 1),
        "mb_per_session": round((after - before) / count, 2),
    }


def _warm(url: str, people: list[dict[str, Any]]) -> None:
    """One walk of the journey before anything is measured: each page's first run imports it."""
    from benchmarks.protocol import journey
    from benchmarks.protocol.client import Session

    if not people:
        Session(url).rerun()
        return
    person = journey.Person(url, people[0]["username"], people[0]["name"], people[0]["cookies"])
    try:
        journey.sign_in(person)
        journey.workshop_list(person)
        journey.open_workshop(person)
        journey.post_update(person, f"warm-{RUN_ID}")  # not a run's marker: never counted
        journey.export_chapter(person)
    finally:
        person.close()


def measure(
    kind: str,
    levels: list[int],
    people: list[dict[str, Any]],
    env: dict[str, str],
    port: int,
    start: int | None = None,
    idle: int = 0,
    min_steps: int = MIN_STEPS,
    most: int = len(LEVELS),
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
        _warm(url, people)
        idle_rss = sum(_rss_mb(s.pid) for s in servers)
        memory = idle_sessions(url, people, servers, idle) if idle and people else None
        results: list[dict[str, Any]] = []
        tried: dict[int, bool] = {}
        users = next_level(levels, tried, levels[0] if start is None else start)
        while users is not None:
            people_file = WORK / f"people-{kind}.json"
            # Each level's markers are its own: a new Locust process counts its posts from 1 again.
            run_id = f"{RUN_ID}-{kind}-{users}"
            people_file.write_text(json.dumps({"url": url, "run_id": run_id, "people": people}))
            prefix = WORK / f"{kind}-{users}"
            hold = hold_seconds(users, min_steps)
            locust_cpu, server_cpu = _locust(kind, people_file, users, prefix, hold, servers)
            stats = _stats(prefix)
            total = stats.get("Aggregated", {"count": 0, "failures": 0, "p50_ms": 0, "p95_ms": 0})
            rss = sum(_rss_mb(s.pid) for s in servers)
            level = {
                "people": users,
                "hold_s": hold,
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
            tried[users] = total["p95_ms"] < P95_LIMIT_MS and not total["failures"]
            users = next_level(levels, tried, users) if len(tried) < most else None
        results.sort(key=lambda r: r["people"])
        return {
            "idle_rss_mb": round(idle_rss, 1),
            "levels": results,
            "active_people": max((n for n, ok in tried.items() if ok), default=0),
            **({"idle_sessions": memory} if memory else {}),
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
    idle = 20 if quick else IDLE_SESSIONS
    database, people = prepare(max(*levels, idle))
    key = secrets.token_urlsafe(32)
    os.environ["COP_COOKIE_KEY"] = key  # the same key signs our cookies and the server's
    from cop.core import settings
    from cop.shell.session import new_cookie

    for person in people:
        person["cookies"] = {settings.COOKIE_NAME: new_cookie(person["username"])[0]}
    env = {**os.environ, "COP_DATA_DIR": str(WORK), "COP_COOKIE_KEY": key, "COP_DEMO": "0"}
    env.pop("COP_DATABASE_URL", None)
    start, steps = ({}, 20) if quick else (START, MIN_STEPS)
    workspace = measure("workspace", levels, people, env, 8931, start.get("workspace"), idle, steps)
    trivial = measure("trivial", trivial_levels, [], env, 8932, start.get("trivial"), 0, steps)
    once = stored_once(f"sqlite:///{database}", "workspace")
    once["posted_by_locust"] = _posted(workspace)
    replicas: dict[str, Any] = {}
    if replicas_too:
        pg_url = prepare_postgres(database)
        # Start at one process's answer: two replicas share the two cores with Locust and nginx.
        replicas = measure(
            "replicas",
            levels,
            people,
            {**env, "COP_DATABASE_URL": pg_url},
            8940,
            _at_or_above(levels, workspace["active_people"]),
            0,
            steps,
            most=2,  # one process's answer and the level beside it: "at least" is enough here
        )
        replicas["updates"] = stored_once(pg_url, "replicas") | {
            "posted_by_locust": _posted(replicas)
        }
    figures = {
        "command": ".venv/bin/python -m benchmarks.bench_capacity" + (" --quick" if quick else ""),
        "pinned": HAS_TASKSET,
        "think_time_s": "8 to 12",
        "min_steps_per_level": steps,
        "memory_per_session": workspace.get("idle_sessions"),
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


def _at_or_above(levels: list[int], held: int) -> int:
    """``held`` if it is a level, else the next one up (the first if none held, the last at the top)."""
    return next((level for level in levels if level >= held), levels[-1])


def _posted(run: dict[str, Any]) -> int:
    """Updates Locust saw posted (after each level's statistics reset)."""
    return sum(
        level["by_step"].get("post_update", {}).get("count", 0)
        - level["by_step"].get("post_update", {}).get("failures", 0)
        for level in run["levels"]
    )


if __name__ == "__main__":
    sys.exit(main("--quick" in sys.argv, replicas_too="--no-replicas" not in sys.argv))
