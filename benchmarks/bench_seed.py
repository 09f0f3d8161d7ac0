"""How long `cop seed --scale large` takes into a fresh SQLite file.

Runs the same function the command runs, in-process, on a new migrated
database file in a temporary directory; the migration is not timed. Prints
the seconds and the rows per table, and writes the figures to
benchmarks/results/seed.json for the results table.

    .venv/bin/python benchmarks/bench_seed.py [--scale large] [--random-seed 0]
"""

from __future__ import annotations

import argparse
import json
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import cop.registry  # noqa: E402, F401  (every table; a benchmark is an entry point)
from cop.backup.seed import SCALES, seed
from cop.core import clock, db, schema

RESULTS = Path(__file__).resolve().parent / "results" / "seed.json"


def measure(scale: str, random_seed: int, keep: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="cop-bench-seed-") as directory:
        path = Path(directory) / "cop.db"
        if keep is not None:  # seed where the page benchmarks will reuse it
            keep.parent.mkdir(parents=True, exist_ok=True)
            for stale in keep.parent.glob(keep.name + "*"):
                stale.unlink()
            path = keep
        engine = db.get_engine(f"sqlite:///{path}")
        schema.upgrade(engine)
        started = time.perf_counter()
        counts = seed(engine, scale, random_seed)
        seconds = time.perf_counter() - started
        size = path.stat().st_size + sum(p.stat().st_size for p in path.parent.glob("cop.db-*"))
        db.dispose_engines()
    total = sum(counts.values())
    return {
        "command": f"cop seed --scale {scale} --random-seed {random_seed}",
        "database": "sqlite (fresh file, WAL)",
        "seconds": round(seconds, 2),
        "rows": counts,
        "rows_total": total,
        "rows_per_second": round(total / seconds),
        "database_bytes": size,
        "measured_at": clock.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "machine": f"{platform.machine()}, {platform.system()}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="large", choices=list(SCALES))
    parser.add_argument("--random-seed", type=int, default=0)
    parser.add_argument(
        "--keep", type=Path, help="seed into this file and keep it (make bench reuses it)"
    )
    args = parser.parse_args(argv)
    figures = measure(args.scale, args.random_seed, args.keep)
    for table, n in figures["rows"].items():
        print(f"{table:<24} {n:>10,}")
    print(
        f"{figures['command']}: {figures['seconds']:.2f} s for {figures['rows_total']:,} rows "
        f"({figures['rows_per_second']:,} rows/s) into a fresh SQLite file"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results[f"seed_{args.scale}_sqlite"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"Wrote {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
