"""The ``cop`` command: what an operator does from a shell.

Each command group lives in its own module with one function::

    def register(subparsers: argparse._SubParsersAction) -> None:
        parser = subparsers.add_parser("thing", help="...")
        ...
        parser.set_defaults(run=run_thing)   # run(args) -> int exit code

and is listed once in ``GROUPS`` below. To add a group, write
``cop/cli/<group>.py`` with ``register`` and add the module to ``GROUPS``.

``main`` never lets a traceback reach the operator for the errors the
services raise on purpose: a ValidationError prints one line per field, other
typed errors one line, each on stderr with a non-zero exit code. Every
command does its work in one ``write_session`` (or one transaction), so a
refused command leaves nothing half-written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import cop.registry  # noqa: F401  (every table, and the search index kept in step)
from cop.accounts import cli as users
from cop.accounts import cli_admin as users_admin
from cop.accounts import cli_member as members
from cop.actions import cli as actions
from cop.backup import cli as backup
from cop.backup import cli_demo as demo
from cop.backup import cli_seed as seed
from cop.communities import cli as communities
from cop.core import cli as db
from cop.core.cli_common import EXIT_FAILED, EXIT_USAGE, Parser, error
from cop.core.errors import CopError, ValidationError
from cop.home import cli as notify
from cop.publishing import cli as publish
from cop.search import cli as search
from cop.toolkit import cli as export

# users_admin extends `user`, so it comes after users.
GROUPS = [
    db,
    users,
    users_admin,
    communities,
    members,
    seed,
    backup,
    demo,
    search,
    notify,
    export,
    publish,
    actions,
]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="cop",
        description="Operate a CoP Workspace: schema, accounts, communities, seed, backup.",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: COP_DATABASE_URL, or the SQLite file data/cop.db)",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for group in GROUPS:
        group.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 done, 1 refused or failed, 2 bad usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2, message already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return int(args.run(args))
    except ValidationError as exc:
        for field, message in exc.fields.items():
            error(f"{field}: {message}")
        return EXIT_FAILED
    except CopError as exc:
        error(str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        error("Interrupted; nothing was saved by the interrupted step.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
