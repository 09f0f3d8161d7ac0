"""`make bench`: run every benchmark in its own process, then write benchmarks/RESULTS.md.

``python -m benchmarks.run pages search`` reruns only those steps; the table
keeps the other steps' last results (benchmarks/results/*.json).

Each benchmark writes its figures to benchmarks/results/<name>.json; this
script only orchestrates and renders the table, so any single benchmark can
also be rerun alone (``.venv/bin/python -m benchmarks.bench_search``).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DATA = ROOT / "benchmarks" / ".data"

STEPS = [
    ("seed", ["benchmarks/bench_seed.py", "--scale", "large", "--keep", str(DATA / "large.db")]),
    ("pages", ["benchmarks/bench_pages.py"]),
    ("search", ["benchmarks/bench_search.py"]),
    ("exports", ["benchmarks/bench_exports.py"]),
    ("action_import", ["benchmarks/bench_action_import.py"]),
    ("load", ["benchmarks/bench_load.py"]),
    ("views", ["benchmarks/bench_views.py"]),
    ("map", ["benchmarks/bench_map.py"]),
    ("oidc", ["benchmarks/bench_oidc.py"]),
    ("memory", ["benchmarks/bench_memory.py"]),
    ("clicks", ["benchmarks/bench_clicks.py"]),
    ("feed", ["benchmarks/bench_feed.py"]),
    ("capacity", ["benchmarks/bench_capacity.py"]),
    ("publish", ["benchmarks/bench_publish.py"]),
]


def _load(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.1f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "–" if not a or not b else f"{a / b:.2f}×"


def _floor_ratio(large: dict, demo: dict) -> str:
    """Large over demo, each first divided by its own floor: the machine's drift between the two cancels out."""
    try:
        return _ratio(large["warm"] / large["floor_warm"], demo["warm"] / demo["floor_warm"])
    except (KeyError, ZeroDivisionError):
        return "–"


def _capacity(figures: dict) -> list[str]:
    """The protocol-level load test: people held at p95 under 1 s, next to the trivial app's."""
    if not figures:
        return []
    updates = figures["updates"]
    lines = [
        "## Capacity (Locust, protocol level)",
        "",
        "`benchmarks/bench_capacity.py`: Locust's people speak Streamlit's WebSocket protocol "
        "(benchmarks/protocol/), think 8 to 12 s between clicks and walk sign in, workshop list, "
        "open a workshop, post an update, export the chapter; server pinned to core 0, Locust to "
        "core 1; each level measured once everyone arrived, for at least "
        f"{figures.get('min_steps_per_level', 120)} steps, starting at the last run's answer and "
        "moving up or down until a level that holds sits next to one that does not. The floor is "
        "the one-button page under the same harness. The workspace's server sends each reply at "
        "once (`cop.shell.nodelay`); the floor is stock Streamlit, whose replies after a run's "
        "first wait for the client's delayed acknowledgement (about 40 ms a step with this "
        "client; Chromium here acknowledges at once, so the browser benchmarks show no such wait).",
        "",
        f"active people per server process: {figures['active_people']}",
        "",
        *_memory_per_session(figures.get("memory_per_session")),
        f"trivial app under the same harness: {figures['trivial_active_people']} "
        f"(ratio {figures['active_people'] / max(figures['trivial_active_people'], 1):.2f}; "
        "goal: at least 200 and at least half the trivial app's). Updates posted and stored: "
        f"{updates['posted_and_stored']}, stored more than once: {updates['stored_more_than_once']}.",
        "",
        "two replicas behind deploy/nginx.conf on PostgreSQL (each replica pinned to a core; "
        f"Locust and nginx share them): {figures.get('replicas_active_people', '–')} active people"
        + (
            f", updates stored more than once: {figures['replicas']['updates']['stored_more_than_once']}"
            if figures.get("replicas", {}).get("updates")
            else ""
        )
        + ".",
        "",
        "| app | people | steps | failed | p50 ms | p95 ms | server CPU s per step | server RSS MB | MB per person | Locust CPU s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for app in ("workspace", "trivial", "replicas"):
        for level in figures.get(app, {}).get("levels", []):
            lines.append(
                f"| {app} | {level['people']} | {level['steps']} | {level['failed_steps']} "
                f"| {level['p50_ms']:.0f} | {level['p95_ms']:.0f} | {level['server_cpu_s_per_step']} "
                f"| {level['server_rss_mb']} | {level['rss_per_person_mb']} | {level['locust_cpu_s']} |"
            )
    return [*lines, ""]


def _memory_per_session(memory: dict | None) -> list[str]:
    """The server's memory with many people signed in and thinking, per session."""
    if not memory:
        return []
    return [
        f"memory per session: {memory['mb_per_session']} MB with {memory['sessions']} people "
        f"signed in and thinking (server RSS {memory['rss_before_mb']} MB before them, "
        f"{memory['rss_mb']} MB with them).",
        "",
    ]


def _search_lines(search: dict) -> list[str]:
    """The search figures: SQLite, then PostgreSQL when it was measured; all readable
    communities, then one (the search page's default with a community chosen)."""

    def kinds(figures: dict) -> str:
        return ", ".join(
            f"{k} p95 {v:.1f} ms (p50 {figures.get('per_family_median_ms', {}).get(k, 0):.1f})"
            for k, v in figures["per_family_p95_ms"].items()
        )

    lines = [
        f"{search['queries']} queries on the large workspace as a member of three communities, "
        "the same queries on each database (`benchmarks/bench_search.py`; PostgreSQL when "
        "COP_BENCH_POSTGRES_URL names a database seeded with `cop seed --scale large`), "
        f"each asking for the search page's first {search.get('limit', 50)} results (the 20 it "
        "shows and one more); *fifty results* asks for 50, as the page did before:",
        "",
    ]
    databases = {"SQLite FTS5": search, "PostgreSQL (tsvector, GIN)": search.get("postgresql")}
    for name, figures in databases.items():
        if not figures:
            continue
        for scope, data in (
            ("all readable communities", figures),
            ("one community", figures.get("one_community")),
            ("all readable communities, fifty results", figures.get("fifty_results")),
        ):
            if data:
                lines.append(
                    f"- {name}, {scope}: **p95 {data['p95_ms']:.1f} ms**, median "
                    f"{data['median_ms']:.1f} ms; {kinds(data)}."
                )
    return lines


def render(durations: dict[str, float], failures: list[str]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (or `python -m benchmarks.run`) on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"Python {platform.python_version()}, {platform.machine()}, 2 cores.",
        "",
        "**Method.** Page rows: each page's script run in Streamlit's AppTest, signed in through the",
        "documented test seam (`cop.shell.testing.sign_in_state`), median of 12 runs after 2 warm-ups;",
        "*warm* reruns with caches as they are, *cold* clears `st.cache_data`, `st.cache_resource` and the",
        "session's read caches keyed by `data_version` before each run (the database engine is kept). Each page is shown next to an empty Streamlit",
        "page (`benchmarks/pages/empty.py`) measured the same way in the same process right before it (the *floor*),",
        "on the demo workspace (as `facilitator`) and on `cop seed --scale large` (as `bench`, a",
        "member of three communities). The last column compares large and demo each relative to its floor, as the",
        "machine's speed can drift between the two halves of the run. Other rows say their own method.",
        "",
    ]
    pages = _load("pages")
    if pages:
        demo, large = pages.get("demo", {}), pages.get("large", {})
        lines += [
            "## Pages",
            "",
            "| page | demo warm ms | × floor | demo cold ms | × floor | large warm ms | × floor | large cold ms | × floor | large/demo (warm) | large/demo (warm, × floor) |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for key in demo:
            d, g = demo.get(key, {}), large.get(key, {})
            lines.append(
                f"| {key} | {_ms(d.get('warm'))} | {_ratio(d.get('warm'), d.get('floor_warm'))} "
                f"| {_ms(d.get('cold'))} | {_ratio(d.get('cold'), d.get('floor_cold'))} "
                f"| {_ms(g.get('warm'))} | {_ratio(g.get('warm'), g.get('floor_warm'))} "
                f"| {_ms(g.get('cold'))} | {_ratio(g.get('cold'), g.get('floor_cold'))} "
                f"| {_ratio(g.get('warm'), d.get('warm'))} | {_floor_ratio(g, d)} |"
            )
        lines.append("")
    seed = _load("seed").get("seed_large_sqlite")
    if seed:
        lines += [
            "## Large seed",
            "",
            f"`{seed['command']}` into a fresh SQLite file: **{seed['seconds']:.1f} s** "
            f"for {seed['rows_total']:,} rows ({seed['rows_per_second']:,} rows/s).",
            "",
        ]
    search = _load("search")
    if search:
        lines += ["## Search", "", *_search_lines(search), ""]
    views = _load("views")
    if views:
        floor = views["floor"]
        lines += [
            "## Board and timeline",
            "",
            f"{views['actions']} more actions in one community, Chromium, {views['rounds']} rounds "
            "(`benchmarks/bench_views.py`): switching the actions page from its table to the view, "
            "next to switching a typical page (a 300-row table and a chart) in the same run.",
            "",
            "| view | p50 ms | × floor p50 | p95 ms | × floor p95 |",
            "|---|---|---|---|---|",
        ]
        for name in ("board", "timeline"):
            v = views[name]
            lines.append(
                f"| {name} | {v['p50_ms']:.0f} | {v['p50_vs_floor']:.2f}× "
                f"| {v['p95_ms']:.0f} | {v['p95_vs_floor']:.2f}× |"
            )
        lines += [f"| floor | {floor['p50_ms']:.0f} | 1.00× | {floor['p95_ms']:.0f} | 1.00× |", ""]
    mapped = _load("map")
    if mapped:
        m, floor = mapped["map"], mapped["floor"]
        lines += [
            "## Map",
            "",
            f"{mapped['communities']} more communities, each with a city and a study visit "
            f"({mapped['marks']} marks), Chromium, {mapped['rounds']} rounds "
            "(`benchmarks/bench_map.py`): from the click on Map in the sidebar until the "
            "chart's marks are drawn, next to switching a typical page in the same run.",
            "",
            "| page | p50 ms | × floor p50 | p95 ms | × floor p95 |",
            "|---|---|---|---|---|",
            f"| map | {m['p50_ms']:.0f} | {m['p50_vs_floor']:.2f}× "
            f"| {m['p95_ms']:.0f} | {m['p95_vs_floor']:.2f}× |",
            f"| floor | {floor['p50_ms']:.0f} | 1.00× | {floor['p95_ms']:.0f} | 1.00× |",
            "",
        ]
    memory = _load("memory")
    if memory:
        lines += [
            "## Memory",
            "",
            "One server process with one signed-in session (the demo, `facilitator`, the home page) "
            "next to a trivial Streamlit server showing one table and one chart "
            "(`benchmarks/bench_memory.py`, resident set size):",
            "",
            "| server | RSS MB |",
            "|---|---|",
            f"| CoP Workspace, one session | {memory['app_rss_mb']:.1f} |",
            f"| table and chart (floor) | {memory['floor_rss_mb']:.1f} |",
            f"| above the floor (goal at most {memory['goal_above_floor_mb']}) "
            f"| {memory['above_floor_mb']:.1f} |",
            "",
        ]
    published = _load("publish")
    if published:
        lines += [
            "## Publishing the website",
            "",
            f"Median of {published['runs']} runs after a warm-up (`benchmarks/bench_publish.py`): "
            "publishing end to end next to MkDocs' own `mkdocs build` of the same generated "
            "project in the same run.",
            "",
            "| site | pages | Markdown chars | publish s | mkdocs build s | ratio |",
            "|---|---|---|---|---|---|",
        ]
        for key, label in (("demo_edition", "demo edition"), ("large_chapter", "large chapter")):
            f = published[key]
            lines.append(
                f"| {label} | {f['pages']} | {f['markdown_chars']:,} | {f['publish_s']:.2f} "
                f"| {f['mkdocs_s']:.2f} | {f['ratio']:.2f}× |"
            )
        lines += [
            "",
            f"`cop demo load` in that run: {published['demo_edition']['demo_load_s']:.1f} s.",
            "",
        ]
    clicks = _load("clicks")
    if clicks:
        from benchmarks.bench_clicks import table as clicks_table

        lines += [
            "## Click-to-render in Chromium",
            "",
            f"The demo workspace signed in as admin, Chromium, {clicks['rounds']} rounds "
            "(`benchmarks/bench_clicks.py`): every sidebar page and the main states, from the "
            "click until the step's content is shown and the run has finished, next to a trivial "
            "two-page app and a typical page (title, three metrics, 50-row table, bar chart, "
            "small form, sidebar selectbox) clicked in turns in the same run. "
            "*to last message*: from the click to the last message the server sent (its run); "
            "*browser*: the rest of the median; *messages*, *kB*: what the server sent; "
            "*sent*: messages the page sent (more than one: a component or widget reran it); "
            "*iframes*: component frames on the page.",
            "",
            clicks_table(clicks),
            "",
        ]
        if clicks.get("large"):
            from benchmarks.bench_clicks import large_table

            lines += [
                "The large workspace (`cop seed --scale large`, signed in as `bench`, a member of "
                "three communities), the same clicks in the same run, each made right after the "
                "demo's: *large / demo* compares each step with the demo's same step (the goal: at "
                "most 1.2x): the steps whose content grows with the workspace (the large seed has no "
                "toolkit edition; one's profile is the same anywhere).",
                "",
                large_table(clicks),
                "",
            ]
    feed = _load("feed")
    if feed:
        lines += [
            "## Calendar feed",
            "",
            f"A feed of {feed['workshops']} workshops ({feed['feed_bytes'] // 1000} kB) fetched over HTTP "
            f"from `streamlit run serve.py`, {feed['rounds']} rounds (`benchmarks/bench_feed.py`): "
            "after a write (built anew), again (the process's cache) and with `If-None-Match` (304), "
            "next to `/_stcore/health` in the same run.",
            "",
            "| request | median ms | × health | p95 ms | × health |",
            "|---|---|---|---|---|",
        ]
        for name in ("feed_built", "feed_cached", "feed_not_modified"):
            f = feed[name]
            lines.append(
                f"| {name} | {f['median_ms']:.1f} | {f['median_vs_health']:.2f}× "
                f"| {f['p95_ms']:.1f} | {f['p95_vs_health']:.2f}× |"
            )
        h = feed["health"]
        lines += [f"| health | {h['median_ms']:.1f} | 1.00× | {h['p95_ms']:.1f} | 1.00× |", ""]
    lines += _capacity(_load("capacity"))
    for name, title in (
        ("exports", "Exports"),
        ("action_import", "CSV imports"),
        ("load", "Concurrent sessions"),
        (
            "oidc",
            "Sign-in through the identity provider (seconds from the click to the signed-in home)",
        ),
    ):
        figures = _load(name)
        if figures:
            lines += [
                f"## {title}",
                "",
                "```json",
                json.dumps(figures, indent=2, ensure_ascii=False)[:6000],
                "```",
                "",
            ]
    ran_at = _load("run").get("ran_at", {})
    lines += [
        "## Run",
        "",
        "Each step's last run (`python -m benchmarks.run STEP ...` reruns only some):",
        "",
    ]
    lines += [
        f"- {k}: {v:.0f} s" + (f" (at {ran_at[k]})" if k in ran_at else "")
        for k, v in durations.items()
    ]
    if failures:
        lines += ["", "**Failed:** " + ", ".join(failures)]
    return "\n".join(lines) + "\n"


def main(only: list[str]) -> int:
    """Run every step (or the ``only`` ones), then render RESULTS.md from every step's last results."""
    unknown = set(only) - {name for name, _ in STEPS}
    if unknown:
        print(
            f"unknown steps: {', '.join(sorted(unknown))}; the steps are {', '.join(n for n, _ in STEPS)}"
        )
        return 2
    RESULTS.mkdir(parents=True, exist_ok=True)
    record = _load("run") or {"durations": {}, "failures": []}
    durations: dict[str, float] = record["durations"]
    ran_at: dict[str, str] = record.get("ran_at", {})
    failures = [f for f in record["failures"] if only and f.split(" ")[0] not in only]
    for name, args in STEPS:
        if only and name not in only:
            continue
        if not (ROOT / args[0]).exists():
            failures.append(f"{name} (missing {args[0]})")
            continue
        started = time.time()
        print(f"== {name}", flush=True)
        result = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}
        )
        durations[name] = time.time() - started
        ran_at[name] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started))
        if result.returncode != 0:
            failures.append(name)
    (RESULTS / "run.json").write_text(
        json.dumps({"durations": durations, "ran_at": ran_at, "failures": failures}, indent=2)
    )
    (ROOT / "benchmarks" / "RESULTS.md").write_text(render(durations, failures), encoding="utf-8")
    print((ROOT / "benchmarks" / "RESULTS.md").read_text())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
