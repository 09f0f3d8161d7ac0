"""Page script runs in AppTest, as ratios to an empty Streamlit page in the same process.

Method: for each page, one AppTest session signed in through the documented
test seam (cop.shell.testing.sign_in_state); 2 warm-up runs, then the median of
12 timed runs. "warm" reruns with caches as they are; "cold" clears
st.cache_data, st.cache_resource and the read caches (cop.shell.cache), the session's
and the process-wide one, before each run (the engine is kept).
The empty page (the floor) is measured the same way, in the same process,
with each page, the two taking turns run by run, and each page's ratio is to
its own floor: on this shared two-core machine speed drifts within a minute by
more than the differences between pages, and a floor measured once per
workspace made ratios wander by up to 25 %. A garbage collection before every
timed run (untimed, for page and floor alike; the heap left by the warm-ups
frozen so it stays cheap) keeps one run's garbage out of the next one's time.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cop.registry  # noqa: E402, F401  (every table; a benchmark is an entry point)
from benchmarks.workspaces import BENCH_USER, demo_workspace, large_workspace  # noqa: E402
from cop.shell.cache import forget_kept  # noqa: E402
from cop.shell.navigation import PAGES  # noqa: E402
from cop.shell.testing import sign_in_state  # noqa: E402

RUNS, WARMUPS = 12, 2
SESSION_CACHES = ("cop_read_cache", "cop_actor_cache")
RESULTS = ROOT / "benchmarks" / "results"


# Tabs drawn only when open, measured as rows of their own: name -> (page, session state).
VARIANTS = {
    "practices: standards": ("practices", {"practices_view": "Standards"}),
    "practices: self-assessment heatmap": ("practices", {"practices_view": "Self-assessment"}),
    "actions: board": ("actions", {"actions_view": "Board"}),
    "workshops: calendar": ("workshops", {"ws_view": "calendar"}),
}


EMPTY = ROOT / "benchmarks" / "pages" / "empty.py"


def _session(path: Path, username: str | None, state: dict | None) -> AppTest:
    at = AppTest.from_file(str(path), default_timeout=120)
    if username:
        for key, value in sign_in_state(username).items():
            at.session_state[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at


def _timed_run(at: AppTest, cold: bool) -> float:
    if cold:
        st.cache_data.clear()
        st.cache_resource.clear()
        for key in SESSION_CACHES:  # the per-session read caches keyed by data_version
            if key in at.session_state:
                del at.session_state[key]
        forget_kept()  # and the process-wide one keyed by the records' version
    gc.collect()
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{at._script_path} raised: {at.exception[0].message}")
    return elapsed


def time_script(
    path: Path,
    username: str | None,
    *,
    cold: bool,
    runs: int = RUNS,
    warmups: int = WARMUPS,
    state: dict | None = None,
) -> tuple[float, float]:
    """(page, floor): medians of ``runs`` script runs after ``warmups``, page and empty page taking turns."""
    page, floor = _session(path, username, state), _session(EMPTY, None, None)
    samples: dict[str, list[float]] = {"page": [], "floor": []}
    for i in range(warmups + runs):
        if i == warmups:
            gc.collect()
            gc.freeze()  # what the warm-ups left is old: the collections below scan only what runs make
        for name, at in (("floor", floor), ("page", page)):
            elapsed = _timed_run(at, cold)
            if i >= warmups:
                samples[name].append(elapsed)
    gc.unfreeze()
    return statistics.median(samples["page"]), statistics.median(samples["floor"])


def measure(url: str, username: str) -> dict[str, dict[str, float]]:
    """Each row: the page's median (``warm``/``cold``) and its floor's, measured in turns (``floor_warm``/``floor_cold``)."""
    os.environ["COP_DATABASE_URL"] = url
    rows: list[tuple[str, Path, str | None, dict | None]] = [
        ("empty", EMPTY, None, None),
        # The shell alone (guard, sidebar, a title): the part of every page's run that is not its content.
        ("shell only", ROOT / "benchmarks" / "pages" / "shell.py", username, None),
    ]
    for key, spec in PAGES.items():
        if spec.admin_only and username == BENCH_USER:
            continue
        rows.append((key, ROOT / spec.file, "admin" if spec.admin_only else username, None))
    rows += [
        (name, ROOT / PAGES[key].file, username, state) for name, (key, state) in VARIANTS.items()
    ]
    figures: dict[str, dict[str, float]] = {}
    for cold in (False, True):
        mode = "cold" if cold else "warm"
        for name, path, user, state in rows:
            page, floor = time_script(path, user, cold=cold, state=state)
            figures.setdefault(name, {})[mode] = page
            figures[name][f"floor_{mode}"] = floor
    return figures


def main() -> dict:
    demo = measure(demo_workspace(), "facilitator")
    large = measure(large_workspace(), BENCH_USER)
    result = {"runs": RUNS, "warmups": WARMUPS, "demo": demo, "large": large}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(result, indent=2))
    print(
        f"{'page':<36}{'demo ms':>10}{'x floor':>9}{'large ms':>10}{'x floor':>9}{'large/demo':>12}"
    )
    for key in demo:
        if key == "empty":
            continue
        d = demo[key]["warm"]
        line = f"{key:<36}{d * 1000:>10.1f}{d / demo[key]['floor_warm']:>9.2f}"
        if key in large:
            g = large[key]["warm"]
            line += f"{g * 1000:>10.1f}{g / large[key]['floor_warm']:>9.2f}{g / d:>12.2f}"
        print(line)
    return result


if __name__ == "__main__":
    main()
