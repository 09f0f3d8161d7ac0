"""``cop notify overdue|digest|send``: the notification jobs and the outbox's sender (run them from cron)."""

from __future__ import annotations

import argparse
import threading

from cop.accounts import notifications
from cop.actions import reminders
from cop.core import mailer
from cop.core.cli_common import EXIT_OK, current_engine, say
from cop.core.db import write_session
from cop.core.permissions import SYSTEM
from cop.outbox import sender


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser(
        "notify", help="send notifications (overdue actions, digests) and the outbox's e-mail"
    )
    commands = group.add_subparsers(title="commands", metavar="COMMAND", required=True)
    commands.add_parser(
        "overdue", help="notify owners of overdue actions and milestones (once a day each)"
    ).set_defaults(run=run_overdue)
    digest = commands.add_parser(
        "digest",
        help="queue the daily or weekly digest for everyone who chose it (only when COP_SMTP_URL is set)",
    )
    period = digest.add_mutually_exclusive_group()
    period.add_argument(
        "--daily", dest="period", action="store_const", const="daily", help="the daily digest"
    )
    period.add_argument(
        "--weekly",
        dest="period",
        action="store_const",
        const="weekly",
        help="the weekly digest (the default)",
    )
    digest.set_defaults(run=run_digest, period="weekly")
    send = commands.add_parser(
        "send", help="send the e-mail waiting in the outbox (once, or with --loop until stopped)"
    )
    send.add_argument("--loop", action="store_true", help="keep sending what falls due")
    send.add_argument(
        "--interval",
        type=float,
        default=sender.POLL_SECONDS,
        metavar="SECONDS",
        help="seconds between rounds with --loop (default: %(default)s)",
    )
    send.set_defaults(run=run_send)


def run_overdue(args: argparse.Namespace) -> int:
    with write_session(current_engine(args)) as session:
        sent = reminders.overdue_actions(session, SYSTEM)
        sent += reminders.overdue_milestones(session, SYSTEM)
    say(f"Sent {sent} overdue notification{'s' if sent != 1 else ''}.")
    return EXIT_OK


def _no_mail_server(what: str) -> bool:
    if mailer.is_configured():
        return False
    say(f"COP_SMTP_URL is not set: {what} (notifications stay in the in-app inbox).")
    return True


def run_digest(args: argparse.Namespace) -> int:
    if _no_mail_server("no digest was e-mailed"):
        return EXIT_OK
    with write_session(current_engine(args)) as session:
        queued = notifications.send_digest(session, SYSTEM, args.period)
    say(
        f"Queued the {args.period} digest for {queued} "
        f"{'person' if queued == 1 else 'people'}; `cop notify send` (or the server) sends it."
    )
    return EXIT_OK


def run_send(args: argparse.Namespace) -> int:
    if _no_mail_server("nothing was sent"):
        return EXIT_OK
    engine = current_engine(args)
    if args.loop:
        say(f"Sending the outbox's e-mail every {args.interval:g} seconds; Ctrl-C stops.")
        sender.run_forever(engine, interval=args.interval, stop=threading.Event())
        return EXIT_OK
    report = sender.send_due(engine)
    say(
        f"Sent {report.sent} e-mail{'s' if report.sent != 1 else ''}; "
        f"{report.retrying} to try again later, {report.given_up} given up."
    )
    return EXIT_OK
