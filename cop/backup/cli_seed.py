"""``cop seed``: fill an empty database with the demo workspace or a generated one."""

from __future__ import annotations

import argparse
import time

from sqlalchemy.engine import Engine

from cop.backup import demo
from cop.backup.bulk_load import NotEmpty, describe, populated_tables
from cop.backup.seed import SCALES, seed
from cop.core.cli_common import EXIT_OK, current_engine, say


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "seed",
        help="fill an empty database: the demo workspace or a generated one",
        description="demo: the hand-written demo workspace of data/; "
        + ", ".join(
            f"{name}: {s.communities:,} communities, {s.people:,} people"
            for name, s in SCALES.items()
        )
        + " (and what later capabilities add), generated deterministically from --random-seed.",
    )
    parser.add_argument("--scale", required=True, choices=["demo", *SCALES], help="what to load")
    parser.add_argument(
        "--random-seed", type=int, default=0, metavar="N", help="generated scales only (default 0)"
    )
    parser.set_defaults(run=run_seed)


def run_seed(args: argparse.Namespace) -> int:
    eng = current_engine(args)
    started = time.perf_counter()
    if args.scale == "demo":
        counts = load_demo(eng)
    else:
        counts = seed(eng, args.scale, args.random_seed)
    seconds = time.perf_counter() - started
    for table, n in counts.items():
        say(f"{table:<24} {n:>10,}")
    say(f"Seeded the {args.scale} workspace in {seconds:.1f} s.")
    return EXIT_OK


def load_demo(eng: Engine) -> dict[str, int]:
    """The demo workspace, with the same refusal as a generated one when data is there."""
    with eng.connect() as conn:
        present = populated_tables(conn)
    if present:
        raise NotEmpty(
            f"The database already holds data ({describe(present)}); seed only into an empty database."
        )
    return demo.load_demo(eng)
