"""``cop export``: a toolkit edition, or one community's chapter, as Markdown, HTML, DOCX or PDF.

The shell is trusted (the SYSTEM actor), and it exports what the pages
export: the latest approved revision of each chapter unless ``--draft``
asks for the live drafts, through the same services and the same
process-wide limit of concurrent exports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cop.communities import service as communities
from cop.core.cli_common import EXIT_OK, Refused, current_engine, say
from cop.core.db import read_session
from cop.core.permissions import SYSTEM
from cop.toolkit import export as toolkit_export
from cop.toolkit import service as toolkit


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write a toolkit edition or one chapter as md, html, docx or pdf",
        description="Export the approved revisions of a toolkit edition (or of one community's chapter "
        "with --community). --draft exports the live drafts instead.",
    )
    parser.add_argument("--toolkit", required=True, type=int, metavar="ID", help="the edition's id")
    parser.add_argument("--community", metavar="SLUG", help="only this community's chapter")
    parser.add_argument(
        "--format", required=True, choices=list(toolkit_export.FORMATS), help="the file format"
    )
    parser.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    parser.add_argument(
        "--draft", action="store_true", help="the live drafts instead of the approved revisions"
    )
    parser.add_argument(
        "--revision", type=int, metavar="N", help="with --community: this approved revision"
    )
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.set_defaults(run=run_export)


def _progress(fraction: float, message: str) -> None:
    print(f"{fraction:4.0%}  {message}", file=sys.stderr)


def _chapter_id(args: argparse.Namespace) -> int:
    with read_session(current_engine(args)) as session:
        community = communities.get_by_slug(session, SYSTEM, args.community)
        for row in toolkit.list_chapters(session, SYSTEM, args.toolkit):
            if row.community_id == community.id:
                return row.id
    raise Refused(f"The toolkit {args.toolkit} has no chapter for {args.community!r}.")


def run_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and not args.force:
        raise Refused(f"{out} exists; add --force to overwrite it.")
    if args.revision is not None and (args.community is None or args.draft):
        raise Refused("--revision needs --community and cannot be combined with --draft.")
    engine = current_engine(args)
    if args.community:
        exported = toolkit_export.export_chapter(
            SYSTEM,
            _chapter_id(args),
            args.format,
            revision=args.revision,
            draft=args.draft,
            engine=engine,
            on_wait=lambda message: print(message, file=sys.stderr),
        )
    else:
        exported = toolkit_export.export_toolkit(
            SYSTEM,
            args.toolkit,
            args.format,
            drafts=args.draft,
            engine=engine,
            on_wait=lambda message: print(message, file=sys.stderr),
            progress=_progress,
        )
    out.write_bytes(exported.data)
    say(f"Wrote {out} ({len(exported.data):,} bytes).")
    return EXIT_OK
