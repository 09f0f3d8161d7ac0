"""``cop backup FILE`` and ``cop restore FILE``: move a workspace between databases."""

from __future__ import annotations

import argparse

from cop.backup import archive as portability
from cop.core.cli_common import EXIT_FAILED, EXIT_OK, current_engine, engine, error, say


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="write the whole workspace to a database-neutral archive (safe while the app runs)",
    )
    backup.add_argument(
        "file", metavar="FILE", help="the archive to create (a .zip; never overwritten)"
    )
    backup.set_defaults(run=run_backup)

    restore = subparsers.add_parser(
        "restore",
        help="load an archive into an empty SQLite or PostgreSQL database",
        description="Load an archive made by `cop backup`. The target database is migrated as "
        "needed; it must be empty unless --replace is given.",
    )
    restore.add_argument("file", metavar="FILE", help="the archive made by `cop backup`")
    restore.add_argument(
        "--replace", action="store_true", help="delete everything in the database first"
    )
    restore.set_defaults(run=run_restore)


def _summary(counts: dict[str, int]) -> str:
    return f"{sum(counts.values()):,} rows in {len(counts)} tables"


def run_backup(args: argparse.Namespace) -> int:
    counts = portability.backup(current_engine(args), args.file)
    say(f"Wrote {args.file}: {_summary(counts)}.")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    try:
        counts = portability.restore(engine(args), args.file, replace=args.replace)
    except portability.NotEmpty as exc:
        error(f"{exc} Add --replace to replace it.")
        return EXIT_FAILED
    say(f"Restored {args.file}: {_summary(counts)}.")
    return EXIT_OK
