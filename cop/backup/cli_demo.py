"""``cop demo load``: the demo workspace (data/demo.yaml) into an empty database."""

from __future__ import annotations

import argparse

from cop.backup.demo import DEMO_FILE, load_demo, load_demo_if_empty
from cop.core.cli_common import EXIT_OK, Refused, current_engine, say


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("demo", help="load the demo workspace")
    commands = group.add_subparsers(title="commands", metavar="COMMAND", required=True)
    load = commands.add_parser("load", help=f"load {DEMO_FILE.name} into an empty database")
    load.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing (and succeed) when the database has data",
    )
    load.set_defaults(run=run_load)


def run_load(args: argparse.Namespace) -> int:
    eng = current_engine(args)
    if args.if_empty:
        if load_demo_if_empty(eng):
            say("Loaded the demo workspace.")
        else:
            say("The workspace already has data; the demo was not loaded again.")
        return EXIT_OK
    try:
        counts = load_demo(eng)
    except RuntimeError as exc:
        raise Refused(str(exc)) from exc
    say(
        "Loaded the demo workspace: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + "."
    )
    return EXIT_OK
