"""``cop user reset-password|unlock|deactivate|reactivate`` and ``cop import people``.

The operator's side of the admin console, for when nobody can sign in to the
admin page (the last admin locked out, a forgotten password). Each command
calls the same service as the page, as SYSTEM, so it is audited the same way.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cop.accounts import admin
from cop.communities import onboarding
from cop.communities import service as communities
from cop.core.cli_common import EXIT_FAILED, EXIT_OK, Refused, current_engine, say
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM


def _user_commands(subparsers: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """The sub-commands of ``cop user`` (registered by cop.accounts.cli), to add ours beside ``add``."""
    user = subparsers.choices.get("user") or subparsers.add_parser("user", help="manage accounts")
    for action in user._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return user.add_subparsers(title="commands", metavar="COMMAND", required=True)


def register(subparsers: argparse._SubParsersAction) -> None:
    commands = _user_commands(subparsers)
    for name, helptext, run in (
        (
            "reset-password",
            "give an account a one-time password it must change at the next sign-in",
            run_reset_password,
        ),
        ("unlock", "lift a lockout after too many failed sign-ins", run_unlock),
        ("deactivate", "stop an account from signing in and end its sessions", run_deactivate),
        ("reactivate", "let a deactivated account sign in again", run_reactivate),
    ):
        command = commands.add_parser(
            name, help=helptext, description=helptext[0].upper() + helptext[1:] + "."
        )
        command.add_argument("username", metavar="USERNAME", help="the account")
        command.set_defaults(run=run)

    group = subparsers.add_parser("import", help="import data from spreadsheets")
    imports = group.add_subparsers(title="commands", metavar="COMMAND", required=True)
    people = imports.add_parser(
        "people",
        help="import organisations, people and memberships of a community from CSV or XLSX",
        description="Columns: name (required), email, organisation, organisation_kind, country, role. "
        "Everything is imported or, if any row has a problem, nothing.",
    )
    people.add_argument("file", metavar="FILE", type=Path, help="a .csv (UTF-8) or .xlsx file")
    people.add_argument(
        "--community", required=True, metavar="SLUG", help="the community's short name"
    )
    people.add_argument(
        "--dry-run", action="store_true", help="show what would be created; write nothing"
    )
    people.set_defaults(run=run_import_people)


def run_reset_password(args: argparse.Namespace) -> int:
    with write_session(current_engine(args)) as session:
        password = admin.reset_password(
            session, SYSTEM, admin.user_id_for(session, SYSTEM, args.username)
        )
    say(f"Temporary password for {args.username.strip().lower()}: {password}")
    say("Pass it on through a trusted channel; it must be changed at the next sign-in.")
    return EXIT_OK


def run_unlock(args: argparse.Namespace) -> int:
    with write_session(current_engine(args)) as session:
        admin.unlock_user(session, SYSTEM, admin.user_id_for(session, SYSTEM, args.username))
    say(f"Unlocked {args.username.strip().lower()}.")
    return EXIT_OK


def run_deactivate(args: argparse.Namespace) -> int:
    with write_session(current_engine(args)) as session:
        admin.deactivate_user(session, SYSTEM, admin.user_id_for(session, SYSTEM, args.username))
    say(f"Deactivated {args.username.strip().lower()}; its open sessions end on their next click.")
    return EXIT_OK


def run_reactivate(args: argparse.Namespace) -> int:
    with write_session(current_engine(args)) as session:
        admin.reactivate_user(session, SYSTEM, admin.user_id_for(session, SYSTEM, args.username))
    say(f"Reactivated {args.username.strip().lower()}.")
    return EXIT_OK


def _describe(plan: onboarding.ImportPlan) -> None:
    for row in plan.rows:
        note = f" ({row.note})" if row.note else ""
        say(
            f"row {row.row}: {row.name} <{row.email or 'no e-mail'}> {row.organisation or '-'} as {row.role}: "
            f"person {row.person}, membership {row.membership}{note}"
        )
    if plan.ignored_columns:
        say(f"Ignored columns: {', '.join(plan.ignored_columns)}")
    say(
        f"{len(plan.new_organisations)} new organisation(s), {plan.new_people} new person(s), "
        f"{plan.new_memberships} new membership(s)."
    )
    for problem in plan.problems:
        say(f"row {problem.row}, {problem.field}: {problem.message}")


def run_import_people(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise Refused(f"Cannot read {args.file}: {exc.strerror or exc}.") from None
    engine = current_engine(args)
    with read_session(engine) as session:
        community_id = communities.get_by_slug(session, SYSTEM, args.community).id
        assert community_id is not None  # read from the database
        plan = onboarding.preview_import(session, SYSTEM, community_id, args.file.name, data)
    _describe(plan)
    if plan.problems:
        say(
            f"{len(plan.problems)} problem(s): nothing was imported. Correct the file and run again."
        )
        return EXIT_FAILED
    if args.dry_run:
        say("Dry run: nothing was written.")
        return EXIT_OK
    with write_session(engine) as session:
        onboarding.apply_import(session, SYSTEM, community_id, args.file.name, data)
    say("Imported.")
    return EXIT_OK
