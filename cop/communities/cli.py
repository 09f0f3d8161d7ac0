"""``cop community add`` and ``cop member add``: set up communities from the shell."""

from __future__ import annotations

import argparse

from cop.accounts import service as accounts
from cop.communities import service as communities
from cop.core.cli_common import EXIT_OK, Refused, current_engine, say
from cop.core.db import write_session
from cop.core.permissions import SYSTEM, Role, Visibility


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

    member = subparsers.add_parser("member", help="manage who belongs to a community")
    commands = member.add_subparsers(title="commands", metavar="COMMAND", required=True)
    add = commands.add_parser("add", help="give an account's person a role in a community")
    add.add_argument("slug", metavar="SLUG", help="the community's short name")
    add.add_argument("username", metavar="USERNAME", help="the account to add")
    add.add_argument(
        "--role", required=True, choices=[r.value for r in Role], help="the role in the community"
    )
    add.set_defaults(run=run_member_add)


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


def run_member_add(args: argparse.Namespace) -> int:
    with write_session(current_engine(args)) as session:
        community = communities.get_by_slug(session, SYSTEM, args.slug)
        user = accounts.find_user(session, args.username)
        if user is None or user.deleted_at is not None:
            raise Refused(f"There is no account {args.username!r}.")
        if user.person_id is None:
            raise Refused(f"The account {user.username!r} has no person to add.")
        communities.add_member(session, SYSTEM, community.id, user.person_id, args.role)  # type: ignore[arg-type]
        slug, username = community.slug, user.username
    say(f"{username} is now {args.role} of {slug}.")
    return EXIT_OK
