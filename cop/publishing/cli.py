"""``cop publish``: put the toolkit website online and write it out, as the Toolkit page does.

The shell is trusted (the SYSTEM actor). The site is built from the approved
revisions, stored as the new published version (served at ``/published/<id>/``
by every replica) and written to ``--out``: a folder, or a zip when the name
ends in ``.zip``. Either works from any static host and from ``file://``.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from cop.core.cli_common import EXIT_OK, Refused, current_engine, say
from cop.core.db import read_session
from cop.core.permissions import SYSTEM
from cop.publishing import service as publishing


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="publish a toolkit edition as a website and write it to a folder or a zip",
        description="Build the website of a toolkit edition from its approved chapters, put it "
        "online at /published/ID/ and write it to --out (a folder, or FILE.zip).",
    )
    parser.add_argument("--toolkit", required=True, type=int, metavar="ID", help="the edition's id")
    parser.add_argument(
        "--out", required=True, metavar="DIR|FILE.zip", help="where to write the site"
    )
    parser.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    parser.set_defaults(run=run_publish)


def run_publish(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and not args.force and (out.is_file() or any(out.iterdir())):
        raise Refused(f"{out} exists; add --force to overwrite it.")
    engine = current_engine(args)
    done = publishing.publish(
        SYSTEM, args.toolkit, engine=engine, on_wait=lambda m: print(m, file=sys.stderr)
    )
    with read_session(engine) as session:
        archive = publishing.site_archive(session, args.toolkit) or b""
    if out.suffix.lower() == ".zip":
        out.write_bytes(archive)
    else:
        out.mkdir(parents=True, exist_ok=True)
        zipfile.ZipFile(io.BytesIO(archive)).extractall(out)
    say(
        f"Published version {done.number} of toolkit {args.toolkit}: {done.pages} pages, "
        f"online at /published/{args.toolkit}/; written to {out}."
    )
    return EXIT_OK
