"""``cop user add``: create an account (and its person) from the shell, as the operator."""

from __future__ import annotations

import argparse
import getpass

from sqlmodel import Session, col, select

from cop.accounts import service as accounts
from cop.communities import people
from cop.communities.models import Organisation, OrganisationKind
from cop.core.cli_common import EXIT_OK, Refused, current_engine, say
from cop.core.db import write_session
from cop.core.permissions import SYSTEM


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("user", help="manage accounts")
    commands = group.add_subparsers(title="commands", metavar="COMMAND", required=True)
    add = commands.add_parser(
        "add",
        help="create an account with its person",
        description="Create an account. Without --password the password is asked twice "
        "(preferable: a password on the command line stays in the shell history).",
    )
    add.add_argument(
        "username", metavar="USERNAME", help="3-32 characters: a-z, 0-9, dot, hyphen, underscore"
    )
    add.add_argument("--email", required=True, help="e-mail address")
    add.add_argument("--name", required=True, help="the person's full name")
    add.add_argument("--admin", action="store_true", help="may administer the whole workspace")
    add.add_argument(
        "--organisation", metavar="NAME", help="the person's organisation (created when new)"
    )
    add.add_argument(
        "--organisation-kind",
        choices=[k.value for k in OrganisationKind],
        default=OrganisationKind.CITY.value,
        help="kind of a new organisation (default: city)",
    )
    add.add_argument(
        "--password", help="the password (12 characters up to 72 bytes); asked when left out"
    )
    add.set_defaults(run=run_add)


def ask_password() -> str:
    first = getpass.getpass("Password (12 characters or more): ")
    second = getpass.getpass("Password again: ")
    if first != second:
        raise Refused("The two passwords differ; nothing was saved.")
    return first


def organisation_id(session: Session, name: str, kind: str) -> int:
    """The live organisation called ``name``, created when there is none."""
    wanted = name.strip()
    matches = list(
        session.exec(
            select(col(Organisation.id)).where(
                Organisation.name == wanted, col(Organisation.deleted_at).is_(None)
            )
        )
    )
    if len(matches) > 1:
        raise Refused(
            f"Several organisations are called {wanted!r}; add the account in the admin page."
        )
    if matches:
        assert matches[0] is not None  # a primary key
        return matches[0]
    made = people.create_organisation(session, SYSTEM, name=wanted, kind=kind)
    assert made.id is not None  # create_organisation flushed it
    return made.id


def run_add(args: argparse.Namespace) -> int:
    eng = current_engine(args)
    password = args.password if args.password is not None else ask_password()
    with write_session(eng) as session:
        org_id = (
            organisation_id(session, args.organisation, args.organisation_kind)
            if args.organisation
            else None
        )
        user = accounts.create_user(
            session,
            SYSTEM,
            username=args.username,
            password=password,
            name=args.name,
            email=args.email,
            is_admin=args.admin,
            organisation_id=org_id,
        )
        username, admin = user.username, user.is_admin
    say(f"Created the account {username}{' (administrator)' if admin else ''}.")
    return EXIT_OK
