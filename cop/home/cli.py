"""``cop notify overdue`` and ``cop notify digest``: the notification jobs (run them from cron)."""

from __future__ import annotations

import argparse

from cop.accounts import notifications
from cop.actions import reminders
from cop.core import mailer
from cop.core.cli_common import EXIT_OK, current_engine, say
from cop.core.db import write_session
from cop.core.permissions import SYSTEM


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser(
        "notify", help="send notifications (overdue actions, weekly digest)"
    )
    commands = group.add_subparsers(title="commands", metavar="COMMAND", required=True)
    commands.add_parser(
        "overdue", help="notify owners of overdue actions (once a day per action)"
    ).set_defaults(run=run_overdue)
    commands.add_parser(
        "digest", help="e-mail the weekly digest (only when COP_SMTP_URL is set)"
    ).set_defaults(run=run_digest)


def run_overdue(args: argparse.Namespace) -> int:
    with write_session(current_engine(args)) as session:
        sent = reminders.overdue_actions(session, SYSTEM)
    say(f"Sent {sent} overdue notification{'s' if sent != 1 else ''}.")
    return EXIT_OK


def run_digest(args: argparse.Namespace) -> int:
    if not mailer.is_configured():
        say(
            "COP_SMTP_URL is not set: no digest was e-mailed (notifications stay in the in-app inbox)."
        )
        return EXIT_OK
    with write_session(current_engine(args)) as session:
        sent = notifications.weekly_digest(session, SYSTEM)
    say(f"E-mailed the weekly digest to {sent} people.")
    return EXIT_OK
