"""The admin console: accounts, unlocking, password resets, the people directory and the audit log.

Every change to an account ends the account's sessions where that matters
(deactivation, reset), so a cookie issued before it stops working on the next
rerun in every tab and replica. Memberships and roles are changed through
``cop.communities.service`` so the same rules apply as everywhere else.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cop.accounts.models import User
from cop.communities import service as communities
from cop.communities.models import Organisation, Person
from cop.core import clock, history, passwords, records
from cop.core.audit import AuditEvent, diff, record_event, snapshot
from cop.core.errors import ValidationError
from cop.core.history import Entry
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize
from cop.core.validation import Checker, searchable

USER_STATES = ("all", "active", "inactive", "locked")
MAX_PAGE = 500


def like_pattern(text: str) -> str:
    """A LIKE pattern that finds ``text`` literally (``%``, ``_`` and ``\\`` are not wildcards)."""
    escaped = searchable(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(int(limit), MAX_PAGE)), max(0, int(offset))


def _account(session: Session, user_id: int | str) -> User:
    return records.get_live(session, User, user_id, for_update=True, label=N_("account"))


def _change_account(
    session: Session,
    actor: Actor,
    user: User,
    changes: dict[str, Any],
    action: str,
    note: dict[str, Any] | None = None,
) -> User:
    """Apply an admin's change to the current row and always audit it (even a repeated unlock)."""
    before = snapshot(user)
    for key, value in changes.items():
        setattr(user, key, value)
    delta = diff(before, snapshot(user))
    delta.update(note or {})
    delta["version"] = [user.version, user.version + 1]
    user.version += 1
    user.updated_at = clock.now()
    user.updated_by_id = actor.user_id or None
    session.add(user)
    record_event(session, actor, action, user, changes=delta)
    return user


def deactivate_user(session: Session, actor: Actor, user_id: int | str) -> User:
    """The account can no longer sign in, and every open session of it ends."""
    authorize(actor, "user.deactivate")
    user = _account(session, user_id)
    if user.id == actor.user_id:
        raise ValidationError(
            {"user": N_("You cannot deactivate your own account; ask another admin.")}
        )
    return _change_account(
        session,
        actor,
        user,
        {"active": False, "sessions_valid_after": clock.now()},
        "user.deactivate",
    )


def reactivate_user(session: Session, actor: Actor, user_id: int | str) -> User:
    authorize(actor, "user.reactivate")
    user = _account(session, user_id)
    return _change_account(session, actor, user, {"active": True}, "user.reactivate")


def temporary_password() -> str:
    """16 random URL-safe characters: read out or pasted once, then replaced by the user."""
    while True:
        candidate = secrets.token_urlsafe(12)
        if passwords.problem(candidate) is None:
            return candidate


def reset_password(session: Session, actor: Actor, user_id: int | str) -> str:
    """Give the account a one-time password that must be changed at the next sign-in.

    Returns the password so the admin can pass it on; it is stored only as a
    hash and never appears in the audit trail. Open sessions end and any lock
    is lifted, since the person is about to sign in with it.
    """
    authorize(actor, "user.reset_password")
    user = _account(session, user_id)
    password = temporary_password()
    _change_account(
        session,
        actor,
        user,
        {
            "password_hash": passwords.hash_password(password),
            "must_change_password": True,
            "sessions_valid_after": clock.now(),
            "failed_logins": 0,
            "first_failed_login_at": None,
            "locked_until": None,
        },
        "user.reset_password",
        note={"password": ["(hidden)", "(temporary password set)"]},
    )
    return password


def unlock_user(session: Session, actor: Actor, user_id: int | str) -> User:
    """Lift a lockout before its 15 minutes are over, and forget the failed attempts."""
    authorize(actor, "user.unlock")
    user = _account(session, user_id)
    return _change_account(
        session,
        actor,
        user,
        {"failed_logins": 0, "first_failed_login_at": None, "locked_until": None},
        "user.unlock",
    )


def user_id_for(session: Session, actor: Actor, username: str) -> int:
    """The id behind a username, for the shell commands that name accounts by username."""
    authorize(actor, "user.list")
    user_id = session.exec(select(User.id).where(User.username == username.strip().lower())).first()
    if user_id is None:
        raise ValidationError(
            {
                "username": Message(
                    N_("There is no account {username!r}."), username=username.strip()
                )
            }
        )
    return int(user_id)


@dataclass(frozen=True)
class AccountRow:
    id: int
    version: int
    username: str
    name: str
    email: str
    organisation: str
    is_admin: bool
    active: bool
    locked: bool
    must_change_password: bool
    last_login_at: datetime | None


def list_users(
    session: Session,
    actor: Actor,
    *,
    search: str = "",
    state: str = "all",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AccountRow], int]:
    """Accounts by username, filtered and paged in SQL, with the total for the pager."""
    authorize(actor, "user.list")
    chk = Checker()
    chk.choice("state", state, set(USER_STATES), label=N_("The state"))
    search = chk.search("search", search)
    chk.raise_if_any()
    now = clock.now()
    is_locked = sa.and_(col(User.locked_until).is_not(None), col(User.locked_until) > now)
    conditions: list[Any] = [col(User.deleted_at).is_(None)]
    if search:
        pattern = like_pattern(search)
        conditions.append(
            sa.or_(
                col(User.username).ilike(pattern, escape="\\"),
                col(Person.name).ilike(pattern, escape="\\"),
                col(Person.email).ilike(pattern, escape="\\"),
            )
        )
    if state == "active":
        conditions.append(col(User.active).is_(True))
    elif state == "inactive":
        conditions.append(col(User.active).is_(False))
    elif state == "locked":
        conditions.append(is_locked)
    joined = (
        select(User, Person, Organisation)
        .join(Person, col(Person.id) == User.person_id, isouter=True)
        .join(Organisation, col(Organisation.id) == Person.organisation_id, isouter=True)
    )
    total = session.exec(
        select(func.count(col(User.id)))
        .select_from(User)
        .join(Person, col(Person.id) == User.person_id, isouter=True)
        .where(*conditions)
    ).one()
    limit, offset = _page(limit, offset)
    rows = session.exec(
        joined.where(*conditions).order_by(User.username).limit(limit).offset(offset)
    )
    found = []
    for u, p, o in rows:
        assert u.id is not None  # read from the database
        found.append(
            AccountRow(
                id=u.id,
                version=u.version,
                username=u.username,
                name=p.name if p else "",
                email=p.email if p else "",
                organisation=o.name if o else "",
                is_admin=u.is_admin,
                active=u.active,
                locked=u.locked_until is not None and u.locked_until > now,
                must_change_password=u.must_change_password,
                last_login_at=u.last_login_at,
            )
        )
    return found, int(total)


@dataclass(frozen=True)
class PersonFound:
    """A person of the directory as the admin pickers show and choose them."""

    person_id: int
    name: str
    email: str
    organisation: str
    username: str  # empty when the person has no account
    anonymised: bool


def find_people(
    session: Session, actor: Actor, search: str = "", *, limit: int = 20
) -> list[PersonFound]:
    """People of the workspace by name or e-mail, for the pickers of the admin console."""
    authorize(actor, "user.list")
    chk = Checker()
    search = chk.search("search", search)
    chk.raise_if_any()
    stmt = (
        select(Person, Organisation, User.username)
        .join(Organisation, col(Organisation.id) == Person.organisation_id, isouter=True)
        .join(User, col(User.person_id) == Person.id, isouter=True)
        .where(col(Person.deleted_at).is_(None))
    )
    if search:
        pattern = like_pattern(search)
        stmt = stmt.where(
            sa.or_(
                col(Person.name).ilike(pattern, escape="\\"),
                col(Person.email).ilike(pattern, escape="\\"),
            )
        )
    limit, _ = _page(limit, 0)
    rows = session.exec(stmt.order_by(col(Person.name), col(Person.id)).limit(limit))
    return [
        PersonFound(
            person_id=p.id,
            name=p.name,
            email=p.email,
            organisation=o.name if o else "",
            username=username or "",
            anonymised=p.anonymised_at is not None,
        )
        for p, o, username in rows
        if p.id is not None  # always, for a stored person; narrows the type
    ]


def _day_start(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time.min, tzinfo=UTC)


def _period_end(value: date | datetime) -> datetime:
    """The first moment after the period: a date includes its whole day."""
    if isinstance(value, datetime):
        return _day_start(value) + timedelta(microseconds=1)
    return _day_start(value) + timedelta(days=1)


def audit_log_entries(session: Session, actor: Actor, **filters: Any) -> tuple[list[Entry], int]:
    """``audit_log`` as sentences with their changes (cop.core.history), for the admin's table."""
    events, total = audit_log(session, actor, **filters)
    return history.describe(session, events), total


def audit_log(
    session: Session,
    actor: Actor,
    *,
    who: str = "",
    what: str = "",
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    community_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AuditEvent], int]:
    """Audit events newest first, filtered and paged in SQL.

    ``who`` matches the acting username, ``what`` an action (``user.unlock``) or
    the start of one (``user.``), or a record type. A facilitator reads their
    own community's events; the whole log is for admins. ``until`` as a date
    includes that whole day.
    """
    if community_id is None:
        authorize(actor, "audit.read")
    else:
        community = communities.get_community(session, actor, community_id)
        authorize(actor, "audit.read", community)
    start = _day_start(since) if since is not None else None
    end = _period_end(until) if until is not None else None
    chk = Checker()
    who = chk.search("who", who, label=N_("Who (username)"))
    what = chk.search("what", what, label=N_("What (e.g. user. or workshop.close)"))
    chk.not_before(
        "until",
        start,
        _day_start(until) if until is not None else None,
        label=N_("The end of the period"),
    )
    chk.raise_if_any()
    conditions: list[Any] = []
    if community_id is not None:
        conditions.append(AuditEvent.community_id == int(community_id))
    if who:
        conditions.append(col(AuditEvent.actor_name).ilike(like_pattern(who), escape="\\"))
    if what:
        text = what
        prefix = like_pattern(text)[1:]  # "user." -> "user.%"
        conditions.append(
            sa.or_(
                col(AuditEvent.action).like(prefix, escape="\\"),
                col(AuditEvent.record_type) == text,
            )
        )
    if start is not None:
        conditions.append(AuditEvent.at >= start)
    if end is not None:
        conditions.append(AuditEvent.at < end)
    total = session.exec(select(func.count(col(AuditEvent.id))).where(*conditions)).one()
    limit, offset = _page(limit, offset)
    events = session.exec(
        select(AuditEvent)
        .where(*conditions)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return list(events), int(total)
