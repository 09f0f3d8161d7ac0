"""Putting an e-mail in the outbox, and what admins see and do about mail that did not go.

``enqueue`` only adds a row in the caller's transaction: the page run that
caused the e-mail never waits on the mail server, and a change that rolls
back leaves no e-mail behind. Sending is cop.outbox.sender's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cop.core import clock
from cop.core.audit import record_event
from cop.core.errors import NotFound, ValidationError
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize
from cop.outbox.models import OutboxMessage

SUBJECT_MAX = 300
PROBLEMS_SHOWN = 200


def enqueue(
    session: Session,
    *,
    to: str,
    subject: str,
    body_text: str,
    kind: str,
    body_html: str | None = None,
    parts: Iterable[Mapping[str, str]] = (),
) -> OutboxMessage:
    """Add one e-mail to the outbox in the caller's transaction; nothing is sent here.

    ``parts`` are further text parts, each ``{"content_type", "content"}`` and an
    optional ``"filename"`` (then it is an attachment).
    """
    to = (to or "").strip()
    if not to or "@" not in to or len(to) > 254 or any(c in to for c in "\r\n,"):
        raise ValidationError({"to": N_("Enter a valid e-mail address.")})
    stored = []
    for part in parts:
        if not str(part.get("content_type", "")).startswith("text/"):
            raise ValueError("only text parts (text/calendar, text/csv, ...) can be queued")
        stored.append(
            {k: str(part[k]) for k in ("content_type", "filename", "content") if part.get(k)}
        )
    subject = " ".join(subject.split())  # one line: a line break would end the header
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1] + "…"
    message = OutboxMessage(
        kind=kind,
        to_address=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        parts=stored,
        next_attempt_at=clock.now(),
    )
    session.add(message)
    return message


def drop_unsent(session: Session, to_address: str) -> int:
    """Forget the e-mail not yet sent to ``to_address`` (a person being anonymised); returns how many."""
    if not to_address:
        return 0
    result = session.execute(
        sa.delete(OutboxMessage).where(
            func.lower(OutboxMessage.to_address) == to_address.lower(),
            col(OutboxMessage.sent_at).is_(None),
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]  # an UPDATE's CursorResult has rowcount; Result's stub does not say so


def status(message: OutboxMessage) -> str:
    """sent, failed (given up), retrying (failed at least once) or waiting."""
    if message.sent_at is not None:
        return "sent"
    if message.failed_at is not None:
        return "failed"
    return "retrying" if message.attempts else "waiting"


@dataclass(frozen=True)
class ProblemMessage:
    """An e-mail that failed at least once: what the admin's list shows."""

    id: int
    to_address: str
    subject: str
    kind: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime | None


@dataclass(frozen=True)
class OutboxSummary:
    waiting: int
    sent: int
    problems: list[ProblemMessage]


def outbox_summary(session: Session, actor: Actor) -> OutboxSummary:
    """How many e-mails wait and went, and every one that failed (given up first)."""
    authorize(actor, "outbox.list")
    unsent = col(OutboxMessage.sent_at).is_(None)
    waiting = session.exec(
        select(func.count(col(OutboxMessage.id))).where(
            unsent, col(OutboxMessage.failed_at).is_(None)
        )
    ).one()
    sent = session.exec(
        select(func.count(col(OutboxMessage.id))).where(col(OutboxMessage.sent_at).is_not(None))
    ).one()
    rows = session.exec(
        select(OutboxMessage)
        .where(unsent, OutboxMessage.attempts > 0)
        .order_by(col(OutboxMessage.failed_at).desc(), col(OutboxMessage.id).desc())
        .limit(PROBLEMS_SHOWN)
    )
    problems = [
        ProblemMessage(
            id=m.id,
            to_address=m.to_address,
            subject=m.subject,
            kind=m.kind,
            status=status(m),
            attempts=m.attempts,
            last_error=m.last_error,
            created_at=m.created_at,
            next_attempt_at=None if m.failed_at is not None else m.next_attempt_at,
        )
        for m in rows
        if m.id is not None
    ]
    return OutboxSummary(int(waiting), int(sent), problems)


def retry_now(session: Session, actor: Actor, message_id: int) -> OutboxMessage:
    """Make a failed or waiting e-mail due now; one that was given up gets its attempts back."""
    authorize(actor, "outbox.retry")
    message = session.exec(
        select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update()
    ).first()
    if message is None:
        raise NotFound(Message(N_("There is no e-mail with id {id}."), id=message_id))
    if message.sent_at is not None:
        raise ValidationError({"message": N_("This e-mail was already sent.")})
    before = (message.attempts, message.failed_at, message.next_attempt_at)
    if message.failed_at is not None:
        message.attempts = 0
        message.failed_at = None
    message.next_attempt_at = clock.now()
    session.add(message)
    record_event(
        session,
        actor,
        "outbox_message.retry",
        message,
        changes={
            "attempts": [before[0], message.attempts],
            "next_attempt_at": [before[2].isoformat(), message.next_attempt_at.isoformat()],
        },
    )
    return message
