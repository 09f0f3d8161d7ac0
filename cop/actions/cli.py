"""``cop actions export`` and ``cop actions import``: a community's actions to CSV and back.

The shell is trusted (the SYSTEM actor). An import is checked row by row
first: with ``--dry-run`` the command prints every change and every problem
and writes nothing; without it, it writes every change or, if any row has a
problem, nothing (exit code 1).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cop.actions.io import Preview, apply_actions_import, export_actions_csv, preview_actions_import
from cop.communities import service as communities
from cop.core.cli_common import EXIT_FAILED, EXIT_OK, Refused, current_engine, error, say
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "actions", help="export a community's actions as CSV, or import an edited export"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    export = commands.add_parser("export", help="write a community's actions to a CSV file")
    export.add_argument(
        "--community", required=True, metavar="SLUG", help="the community's short name"
    )
    export.add_argument("--out", required=True, metavar="FILE", help="the CSV file to write")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export.set_defaults(run=run_export)
    load = commands.add_parser(
        "import",
        help="apply an edited export (status, progress, dates, title, priority, tags)",
        description="All or nothing: a single row with a problem writes nothing. --dry-run only lists the changes.",
    )
    load.add_argument(
        "file", metavar="FILE", help="a CSV file made by `cop actions export` and edited"
    )
    load.add_argument(
        "--dry-run", action="store_true", help="list the changes and problems; write nothing"
    )
    load.set_defaults(run=run_import)


def run_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and not args.force:
        raise Refused(f"{out} exists; add --force to overwrite it.")
    with read_session(current_engine(args)) as session:
        community = communities.get_by_slug(session, SYSTEM, args.community)
        data = export_actions_csv(session, SYSTEM, community.id)
    out.write_bytes(data)
    rows = data.count(b"\n") - 1  # one line per action below the header (titles are single lines)
    say(f"Wrote {rows:,} actions of {args.community} to {out}.")
    return EXIT_OK


def _report(preview: Preview) -> None:
    for row in preview.changed:
        changes = "; ".join(f"{name}: {old} -> {new}" for name, (old, new) in row.changes.items())
        say(f"line {row.line}: action {row.action_id}: {changes}")
    for line, field, message in preview.problems():
        error(f"line {line}: {field}: {message}")


def run_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise Refused(f"There is no file {path}.")
    data = path.read_bytes()
    engine = current_engine(args)
    if args.dry_run:
        with read_session(engine) as session:
            preview = preview_actions_import(session, SYSTEM, data)
    else:
        with write_session(engine) as session:
            preview = apply_actions_import(session, SYSTEM, data)
    _report(preview)
    if not preview.ok:
        error(f"Nothing was imported: {len(preview.problems())} problems in {path}.")
        return EXIT_FAILED
    verb = "Would change" if args.dry_run else "Changed"
    say(f"{verb} {len(preview.changed):,} of {len(preview.rows):,} actions.")
    return EXIT_OK
