"""Concurrent browser sessions on one real server (issue 10), written to benchmarks/results/load.json.

Method: ``tests/browser/test_load.run_load`` starts ``streamlit run serve.py`` with
``--server.disconnectedSessionTTL 10`` on a copy of the demo workspace, and a
second ``streamlit run`` of ``benchmarks/pages/trivial_button.py``. One
headless Chromium drives 20 browser contexts (one per person, cookies cleared each round) side by side (arriving 0.5 s apart) (Playwright's async
API) through sign-in, the workshop list, opening a workshop, posting an update
on one's own action and exporting the community's chapter (Markdown download),
for 3 rounds; between rounds it waits out the session TTL. Each step is timed
from the click until its result is visible and the script run has finished;
p95 is given next to the trivial page's click-to-render p95 in the same run.
The browser shares the machine's two cores with the server, so its pages
prefer reduced motion and poll their state every 100 ms (see test_load.py).
The server's resident memory is read after each round (and its peak sampled
every 0.5 s); a single session's run gives the one-session peak.

Run alone: ``.venv/bin/python benchmarks/bench_load.py [pages]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cop.registry  # noqa: E402, F401  (every table; a benchmark is an entry point)
from tests.browser.test_load import run_load  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
LEAK_LIMIT_MB = 50  # RELIABILITY.md: memory after round 3 within 50 MB of round 1


def main(pages: int = 20) -> int:
    one = run_load(1, 1)
    many = run_load(pages, 3)
    growth = many["server_rss_mb"]["growth_round_1_to_last"]
    figures = {
        "command": f".venv/bin/python benchmarks/bench_load.py {pages}",
        "peak_rss_mb_one_session": one["server_rss_mb"]["peak"],
        f"peak_rss_mb_{pages}_sessions": many["server_rss_mb"]["peak"],
        "rss_growth_round_1_to_3_mb": growth,
        "rss_growth_within_50_mb": growth <= LEAK_LIMIT_MB,
        "errors": len(many["errors"]) + len(many["server_log_errors"]),
        "run": many,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(
        json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0 if figures["errors"] == 0 and figures["rss_growth_within_50_mb"] else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
