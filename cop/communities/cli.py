"""``cop community add``: set up communities from the shell (``cop member add`` is in cop.accounts.cli_member)."""

from __future__ import annotations

import argparse

from cop.communities import service as communities
from cop.core.cli_common import EXIT_OK, current_engine, say
from cop.core.db import write_session
from cop.core.permissions import SYSTEM, Visibility


def register(subparsers: argparse._SubParsersAction) -> None:
    community = subparsers.add_parser("community", help="manage communities")
    commands = community.add_subparsers(title="commands", metavar="COMMAND", required=True)
    add = commands.add_parser("add", help="create a community")
    add.add_argument(
        "slug", metavar="SLUG", help="short name used in commands, e.g. welcoming-culture"
    )
    add.add_argument("--name", required=True, help="the community's name")
    add.add_argument("--theme", default="", help="its theme, in a few words")
    add.add_argument("--private", action="store_true", help="readable by its members only")
    add.set_defaults(run=run_community_add)


def run_community_add(args: argparse.Namespace) -> int:
    with write_session(current_engine(args)) as session:
        community = communities.create_community(
            session,
            SYSTEM,
            name=args.name,
            slug=args.slug,
            theme=args.theme,
            visibility=Visibility.PRIVATE if args.private else Visibility.WORKSPACE,
        )
        slug, visibility = community.slug, community.visibility
    say(f"Created the community {slug} ({visibility}).")
    return EXIT_OK
