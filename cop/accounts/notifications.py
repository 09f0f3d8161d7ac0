"""The inbox: what happened that a user should know about, and the weekly digest.

Notifications are written in the same transaction as the event that causes
them (an action assigned, a chapter sent to review, a comment on a section,
an invitation accepted), and only for people who may read the record: a
notification never leaks a private community's content. The reminder of
overdue actions (cop.actions.reminders) and the digests run from the CLI
(``cop notify overdue``, ``cop notify digest --daily|--weekly``, e.g. from cron).

Each person chooses how notifications reach them by e-mail (``User.email_delivery``):
one e-mail each, put in the outbox with the notification; a daily or weekly
digest of what is still unread; or none. ``emailed_at`` marks a notification
that went into the outbox, alone or in a digest, so none is e-mailed twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cop.accounts import service as accounts
from cop.accounts.models import Notification, User
from cop.communities.models import Community, Membership, Person
from cop.core import clock, mailer
from cop.core.errors import NotFound
from cop.core.i18n import N_, format_day, translator
from cop.core.messages import Message, localize
from cop.core.permissions import Actor, Role, authorize, can_read
from cop.outbox import service as outbox

# How notifications reach a person by e-mail; the profile offers these.
EMAIL_DELIVERY = {
    "immediate": N_("Immediately, one e-mail for each"),
    "daily": N_("A daily digest"),
    "weekly": N_("A weekly digest"),
    "off": N_("No e-mail"),
}
DIGEST_PERIODS = ("daily", "weekly")

KINDS = {
    "action.assigned": "An action was assigned to you",
    "action.overdue": "An action of yours is overdue",
    "chapter.in_review": "A chapter was sent to review",
    "chapter.approved": "Your chapter was approved",
    "chapter.sent_back": "Your chapter was sent back",
    "section.comment": "Someone commented on your section",
    "comment.reply": "Someone replied to your comment",
    "mention": "You were mentioned",
    "workshop.changed": "A workshop you attend changed",
    "workshop.cancelled": "A workshop you attend was cancelled",
    "milestone.overdue": "A milestone of yours is overdue",
    "invitation.accepted": "An invitation was accepted",
}


def _stored(params: dict[str, Any]) -> dict[str, Any]:
    """A message's parameters as JSON: a calendar day as ``{"date": "2027-05-31"}``."""
    return {
        key: {"date": value.isoformat()} if isinstance(value, date) else value
        for key, value in params.items()
    }


def _restored(params: dict[str, Any]) -> dict[str, Any]:
    return {
        key: date.fromisoformat(value["date"])
        if isinstance(value, dict) and set(value) == {"date"}
        else value
        for key, value in params.items()
    }


def shown(note: Notification) -> str:
    """What the inbox shows: the template with its values, translated when drawn
    (``cop.shell.forms.localize``); a row stored before templates, its English text."""
    if not note.template:
        return note.message
    try:
        return Message(note.template, **_restored(note.params))
    except (KeyError, IndexError, ValueError):
        return note.message


def new_notification(user_id: int, message: str, **columns: Any) -> Notification:
    """A notification row keeping ``message``'s template and parameters when it is a Message."""
    template, params = "", {}
    if isinstance(message, Message):
        template, params = message.template, _stored(message.params)
    return Notification(
        user_id=user_id, message=message[:500], template=template, params=params, **columns
    )


def _in_language(note: Notification, language: str) -> str:
    return localize(shown(note), translator(language), dates=partial(format_day, language=language))


def add_notification(session: Session, note: Notification) -> Notification:
    """Add ``note`` to its reader's inbox and, when they want one e-mail each, to the outbox."""
    session.add(note)
    if not mailer.is_configured():
        return note
    found = session.exec(
        select(User.email_delivery, User.language, Person.email, Person.name)
        .join(Person, col(Person.id) == User.person_id)
        .where(User.id == note.user_id, col(User.active).is_(True))
    ).first()
    if found is None:
        return note
    delivery, language, email, name = found
    if delivery != "immediate" or not email:
        return note
    _ = translator(language)
    text = _in_language(note, language)
    outbox.enqueue(
        session,
        to=email,
        subject=_("CoP Workspace: {text}").format(text=text),
        body_text=_(
            "Hello {name},\n\n{text}\n\nYou find it in your inbox in CoP Workspace."
        ).format(name=name, text=text),
        kind=f"notification.{note.kind}"[:64],
    )
    note.emailed_at = clock.now()
    return note


def _user_for_person(session: Session, person_id: int | None) -> User | None:
    if person_id is None:
        return None
    return session.exec(
        select(User).where(User.person_id == person_id, col(User.active).is_(True))
    ).first()


def notify_people(session: Session, person_ids: Iterable[int | None], **how: Any) -> int:
    """Notify each person who has an account and may read the community; returns how many.

    ``how`` is ``notify_users``'s: kind, message, community_id, and optionally
    record_type, record_id and exclude_user_id.
    """
    users = [_user_for_person(session, person_id) for person_id in dict.fromkeys(person_ids)]
    return notify_users(session, [user.id for user in users if user is not None], **how)


def notify_users(
    session: Session,
    user_ids: Iterable[int | None],
    *,
    kind: str,
    message: str,
    community_id: int,
    record_type: str = "",
    record_id: int | None = None,
    exclude_user_id: int | None = None,
) -> int:
    """Notify each active account named by user id that may read the community; returns how many."""
    community = session.get(Community, community_id)
    wanted = [user_id for user_id in dict.fromkeys(user_ids) if user_id is not None]
    if community is None or not wanted:
        return 0
    sent = 0
    for user_id in wanted:
        reader = accounts.load_actor(session, user_id)
        if user_id == exclude_user_id or reader is None or not can_read(reader, community):
            continue
        add_notification(
            session,
            new_notification(
                user_id,
                message,
                kind=kind,
                record_type=record_type,
                record_id=record_id,
                community_id=community_id,
            ),
        )
        sent += 1
    return sent


def facilitators(session: Session, community_id: int) -> list[int]:
    """The person ids of the community's facilitators."""
    return list(
        session.exec(
            select(Membership.person_id).where(
                Membership.community_id == community_id,
                Membership.role == Role.FACILITATOR,
                col(Membership.deleted_at).is_(None),
            )
        )
    )


def inbox(
    session: Session, actor: Actor, *, unread_only: bool = False, limit: int = 50, offset: int = 0
) -> tuple[list[Notification], int]:
    stmt = select(Notification).where(Notification.user_id == actor.user_id)
    if unread_only:
        stmt = stmt.where(col(Notification.read_at).is_(None))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(
        stmt.order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return list(rows), int(total)


def unread_count(session: Session, actor: Actor) -> int:
    return int(
        session.exec(
            select(func.count(col(Notification.id))).where(
                Notification.user_id == actor.user_id, col(Notification.read_at).is_(None)
            )
        ).one()
    )


def mark_read(session: Session, actor: Actor, notification_id: int | None = None) -> int:
    """Mark one (or, with None, every) notification of the actor read; returns how many."""
    authorize(actor, "notification.read_own")
    stmt = sa.update(Notification).where(
        col(Notification.user_id) == actor.user_id, col(Notification.read_at).is_(None)
    )
    if notification_id is not None:
        owned = session.get(Notification, notification_id)
        if owned is None or owned.user_id != actor.user_id:
            raise NotFound(
                Message(N_("There is no notification with id {id}."), id=notification_id)
            )
        stmt = stmt.where(col(Notification.id) == notification_id)
    return session.execute(stmt.values(read_at=clock.now())).rowcount or 0  # type: ignore[attr-defined]  # an UPDATE's CursorResult has rowcount; Result's stub does not say so


def send_digest(session: Session, actor: Actor, period: str = "weekly") -> int:
    """Put one digest e-mail per person who chose ``period`` (daily or weekly) in the outbox,
    listing their unread notifications not e-mailed yet, in their own language; returns how many.

    Each notification is marked as e-mailed in the same transaction, so running the
    digest again (or on two replicas at once) sends it once. Only with COP_SMTP_URL set.
    """
    authorize(actor, "notification.send_digest")
    if period not in DIGEST_PERIODS:
        raise ValueError(f"a digest is daily or weekly, not {period!r}")
    if not mailer.is_configured():
        return 0
    waiting = list(
        session.exec(
            select(Notification.id)
            .join(User, col(User.id) == Notification.user_id)
            .join(Person, col(Person.id) == User.person_id)
            .where(
                col(Notification.read_at).is_(None),
                col(Notification.emailed_at).is_(None),
                User.email_delivery == period,
                col(User.active).is_(True),
                Person.email != "",
            )
        ).all()
    )
    if not waiting:
        return 0
    stamp = clock.now()
    # Take them: a digest running at the same time takes none of these.
    session.execute(
        sa.update(Notification)
        .where(col(Notification.id).in_(waiting), col(Notification.emailed_at).is_(None))
        .values(emailed_at=stamp)
    )
    rows = session.exec(
        select(Notification, Person.email, Person.name, User.language)
        .join(User, col(User.id) == Notification.user_id)
        .join(Person, col(Person.id) == User.person_id)
        .where(col(Notification.id).in_(waiting), Notification.emailed_at == stamp)
        .order_by(col(Notification.user_id), col(Notification.created_at), col(Notification.id))
    )
    per_user: dict[str, tuple[str, str, list[str]]] = {}
    for note, email, name, language in rows:
        per_user.setdefault(email, (name, language, []))[2].append(
            f"- {_in_language(note, language)}"
        )
    for email, (name, language, lines) in per_user.items():
        _ = translator(language)
        outbox.enqueue(
            session,
            to=email,
            subject=_("Your day in CoP Workspace")
            if period == "daily"
            else _("Your week in CoP Workspace"),
            body_text=_("Hello {name},\n\nUnread in your inbox:").format(name=name)
            + "\n"
            + "\n".join(lines),
            kind=f"digest.{period}",
        )
    return len(per_user)


def weekly_digest(session: Session, actor: Actor) -> int:
    """The weekly digest (``send_digest(..., "weekly")``)."""
    return send_digest(session, actor, "weekly")
