"""``cop search reindex``: rebuild the full-text index from the records."""

from __future__ import annotations

import argparse

from cop.core.cli_common import EXIT_OK, current_engine, say
from cop.core.db import write_session
from cop.search.index import reindex_all


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("search", help="maintain the search index")
    commands = group.add_subparsers(title="commands", metavar="COMMAND", required=True)
    reindex = commands.add_parser(
        "reindex", help="rebuild the search index (after a bulk import or restore)"
    )
    reindex.set_defaults(run=run_reindex)


def run_reindex(args: argparse.Namespace) -> int:
    with write_session(current_engine(args)) as session:
        total = reindex_all(session.connection())
    say(f"Indexed {total:,} records.")
    return EXIT_OK
