"""The server's settings that decide how many people one process holds (issue 24 goal 2).

Streamlit collects garbage over the whole heap after every script run unless told not
to; with the app's libraries loaded that cost 100 to 150 ms of CPU per click, four fifths
of the server's CPU under load (benchmarks/bench_capacity.py: 0.36 s per step with it,
0.064 s without). Python's own generational collector still frees cyclic garbage.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_the_server_does_not_collect_the_whole_heap_after_every_run() -> None:
    runner = tomllib.loads(CONFIG.read_text(encoding="utf-8")).get("runner", {})
    assert runner.get("postScriptGC") is False


def test_the_server_watches_no_files_for_changes() -> None:
    server = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]
    assert server["fileWatcherType"] == "none" and server["runOnSave"] is False
