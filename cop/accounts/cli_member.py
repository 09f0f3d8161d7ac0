"""``cop member add``: give an account's person a role in a community, from the shell."""

from __future__ import annotations

import argparse

from cop.accounts import service as accounts
from cop.communities import service as communities
from cop.core.cli_common import EXIT_OK, Refused, current_engine, say
from cop.core.db import write_session
from cop.core.permissions import SYSTEM, Role


def register(subparsers: argparse._SubParsersAction) -> None:
    member = subparsers.add_parser("member", help="manage who belongs to a community")
    commands = member.add_subparsers(title="commands", metavar="COMMAND", required=True)
    add = commands.add_parser("add", help="give an account's person a role in a community")
    add.add_argument("slug", metavar="SLUG", help="the community's short name")
    add.add_argument("username", metavar="USERNAME", help="the account to add")
    add.add_argument(
        "--role", required=True, choices=[r.value for r in Role], help="the role in the community"
    )
    add.set_defaults(run=run_member_add)


def run_member_add(args: argparse.Namespace) -> int:
    with write_session(current_engine(args)) as session:
        community = communities.get_by_slug(session, SYSTEM, args.slug)
        user = accounts.find_user(session, args.username)
        if user is None or user.deleted_at is not None:
            raise Refused(f"There is no account {args.username!r}.")
        if user.person_id is None:
            raise Refused(f"The account {user.username!r} has no person to add.")
        assert community.id is not None  # read from the database
        communities.add_member(session, SYSTEM, community.id, user.person_id, args.role)
        slug, username = community.slug, user.username
    say(f"{username} is now {args.role} of {slug}.")
    return EXIT_OK
