"""``cop db upgrade`` and ``cop db check``: the schema, before anything else runs."""

from __future__ import annotations

import argparse

from cop.core import schema
from cop.core.cli_common import EXIT_FAILED, EXIT_OK, engine, say


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("db", help="migrate or check the database schema")
    commands = group.add_subparsers(title="commands", metavar="COMMAND", required=True)
    upgrade = commands.add_parser(
        "upgrade",
        help="migrate the database to this code's schema (run once before starting replicas)",
    )
    upgrade.set_defaults(run=run_upgrade)
    check = commands.add_parser(
        "check",
        help="print the database's and this code's schema revision; exit 1 when they differ",
    )
    check.set_defaults(run=run_check)


def run_upgrade(args: argparse.Namespace) -> int:
    eng = engine(args)
    before = schema.current_revision(eng)
    schema.upgrade(eng)
    after = schema.current_revision(eng)
    if before == after:
        say(f"The database is already at the current schema ({after}).")
    else:
        say(f"Upgraded the database from {before or 'an empty database'} to {after}.")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    current = schema.current_revision(engine(args))
    head = schema.head_revision()
    say(f"database: {current or '(none)'}")
    say(f"code:     {head}")
    if current == head:
        say("The schema is current.")
        return EXIT_OK
    say("The schema is not current: run `cop db upgrade`.")
    return EXIT_FAILED
