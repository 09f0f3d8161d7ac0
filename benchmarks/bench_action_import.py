"""A 5,000-row actions CSV import dry run on the large workspace (SQLite), in seconds.

The file is what an operator would edit: the exports of the first
communities of the large workspace, concatenated to 5,000 rows, with every
third row moved to another status and every seventh due a month later. The
dry run (``preview_actions_import``, what ``cop actions import --dry-run``
and the page's "Check" run) is timed three times; the best and the median
are written to benchmarks/results/action_import.json. Nothing is written
to the workspace.

    .venv/bin/python benchmarks/bench_action_import.py
"""

from __future__ import annotations

import csv
import io
import json
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import col, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cop.registry  # noqa: E402, F401  (every table; a benchmark is an entry point)
from benchmarks.workspaces import large_workspace  # noqa: E402
from cop.actions.io import COLUMNS, export_actions_csv, preview_actions_import
from cop.communities.models import Community  # noqa: E402
from cop.core import db  # noqa: E402
from cop.core.permissions import SYSTEM  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "action_import.json"
ROWS = 5_000
NEXT_STATUS = {
    "idea": "planned",
    "planned": "in_progress",
    "in_progress": "done",
    "done": "in_progress",
    "dropped": "planned",
}


def edited_file(engine) -> bytes:  # noqa: ANN001
    """5,000 exported rows with status and due-date edits, as a spreadsheet would save them."""
    rows: list[dict[str, str]] = []
    with db.read_session(engine) as session:
        for community_id in session.exec(select(Community.id).order_by(col(Community.id))):
            exported = export_actions_csv(session, SYSTEM, community_id).decode("utf-8-sig")
            rows += list(csv.DictReader(io.StringIO(exported, newline="")))
            if len(rows) >= ROWS:
                break
    rows = rows[:ROWS]
    for n, row in enumerate(rows):
        if n % 3 == 0:
            row["status"] = NEXT_STATUS[row["status"]]
        if n % 7 == 0:
            row["due_date"] = (date.fromisoformat(row["due_date"]) + timedelta(days=30)).isoformat()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def main() -> dict:
    engine = db.get_engine(large_workspace())
    data = edited_file(engine)
    runs = []
    for _ in range(3):
        with db.read_session(engine) as session:
            started = time.perf_counter()
            preview = preview_actions_import(session, SYSTEM, data)
            runs.append(time.perf_counter() - started)
    figures = {
        "action_import_dry_run": {
            "command": ".venv/bin/python benchmarks/bench_action_import.py",
            "database": "sqlite, the large workspace (cop seed --scale large --random-seed 0)",
            "rows": len(preview.rows),
            "rows_with_changes": len(preview.changed),
            "problems": len(preview.problems()),
            "bytes": len(data),
            "seconds_best": round(min(runs), 3),
            "seconds_median": round(statistics.median(runs), 3),
            "runs": [round(r, 3) for r in runs],
        }
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
