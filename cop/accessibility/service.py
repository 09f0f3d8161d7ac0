"""Feedback on accessibility: stored, audited, and e-mailed to every administrator (issue 23).

The accessibility statement's form is open to anyone, signed in or not (the Web
Accessibility Directive asks for a feedback channel the public can use). The message is
one row, one audit event, and one e-mail per administrator with an address, queued in the
same transaction through the outbox (cop.outbox): a write that rolls back sends nothing.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from cop.accessibility.models import AccessibilityFeedback
from cop.accounts.models import User
from cop.communities.models import Person
from cop.core import mailer
from cop.core.audit import record_event
from cop.core.i18n import N_, translator
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize
from cop.core.validation import Checker
from cop.outbox import service as outbox

VISITOR = Actor(user_id=0, username="visitor", name="Visitor")
"""Who sends feedback without signing in: it may do this one thing."""

MESSAGE_MAX = 5_000


def send_feedback(
    session: Session,
    actor: Actor,
    *,
    message: str,
    name: str = "",
    email: str = "",
    where: str = "",
) -> AccessibilityFeedback:
    """Store the message, audit it, and queue an e-mail to every administrator."""
    authorize(actor, "accessibility_feedback.send")
    chk = Checker()
    text = chk.long_text("message", message, label=N_("Your message"), required=True)
    if len(text) > MESSAGE_MAX:
        chk.fail(
            "message",
            Message(
                N_("{label} is {length:,} characters long; at most {maximum:,} are allowed."),
                label=N_("Your message"),
                length=len(text),
                maximum=MESSAGE_MAX,
            ),
        )
    who = chk.optional_line("name", name, label=N_("Your name"), max_len=200)
    address = chk.email("email", email)
    page = chk.optional_line("where", where, label=N_("Where"), max_len=200)
    chk.raise_if_any()

    feedback = AccessibilityFeedback(
        user_id=actor.user_id or None,
        name=who or (actor.name if actor.user_id else ""),
        email=address,
        where=page or "",
        message=text,
    )
    session.add(feedback)
    session.flush()
    record_event(
        session,
        actor,
        "accessibility_feedback.send",
        feedback,
        changes={"where": [None, feedback.where], "email": [None, feedback.email]},
    )
    if mailer.is_configured():
        for admin_email, language in _admins(session):
            subject, body = _email(feedback, language)
            outbox.enqueue(
                session,
                to=admin_email,
                subject=subject,
                body_text=body,
                kind="accessibility_feedback",
            )
    return feedback


def _admins(session: Session) -> list[tuple[str, str]]:
    """Every active administrator with an e-mail address, and the language they read."""
    rows = session.exec(
        select(Person.email, User.language)
        .join(Person, col(User.person_id) == col(Person.id))
        .where(col(User.is_admin), col(User.active), col(Person.email) != "")
    ).all()
    return [(str(address), str(language)) for address, language in rows]


def _email(feedback: AccessibilityFeedback, language: str) -> tuple[str, str]:
    _ = translator(language)
    subject = _("Feedback on accessibility: {where}").format(where=feedback.where or "-")
    lines = [
        _("Someone sent feedback from the accessibility statement."),
        "",
        _("Name: {name}").format(name=feedback.name or "-"),
        _("E-mail: {email}").format(email=feedback.email or "-"),
        _("Where: {where}").format(where=feedback.where or "-"),
        "",
        feedback.message,
        "",
        _("Please answer within a month, as the accessibility statement promises."),
    ]
    return subject, "\n".join(lines)
