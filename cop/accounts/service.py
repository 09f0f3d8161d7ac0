"""Accounts: creating users, signing in with a database lockout, passwords, and the actor.

The sign-in widget only draws the form and the cookie; whether a username may
sign in, how many attempts it has left, and whether a cookie is still valid
are decided here, in the database, so a new browser tab or another replica
cannot reset them.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cop.accounts.models import User
from cop.communities import people
from cop.communities.models import Community, Membership, Person
from cop.core import clock, passwords, records
from cop.core.audit import record_event
from cop.core.errors import NotFound
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, Role, authorize
from cop.core.validation import Checker, plain_line, record_id, time_zone_names

USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,32}$")
LOCK_AFTER_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_FOR = timedelta(minutes=15)
LANGUAGES = {"en": "English", "de": "Deutsch"}
SIGN_IN_FAILED = (
    "Username or password is incorrect, or the account is locked. Please try again later."
)


def normalise_username(value: str) -> str:
    """The rule the sign-in widget applies: trimmed and lower-case."""
    return (value or "").strip().lower()


def check_username(chk: Checker, value: Any, field: str = "username") -> str:
    username = normalise_username(str(value or ""))
    if not USERNAME_RE.match(username):
        chk.fail(
            field,
            N_("Use 3-32 characters: lower-case letters a-z, digits, dot, hyphen or underscore."),
        )
    return username


def check_new_password(chk: Checker, value: Any, field: str = "password") -> str:
    password = passwords.normalise(str(value or ""))
    message = passwords.problem(password)
    if message:
        chk.fail(field, message)
    return password


time_zones = time_zone_names


def check_time_zone(chk: Checker, value: Any, field: str = "time_zone") -> str:
    """A known IANA zone name (surrounding spaces trimmed); anything else is a field message."""
    raw = chk.text(field, value, label=N_("The time zone"))
    if raw is None:
        return ""
    text = raw.strip()
    if text not in time_zones():
        chk.fail(field, N_("Choose a time zone from the list, such as Europe/Berlin."))
    return text


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    password: str,
    name: str,
    email: str = "",
    is_admin: bool = False,
    organisation_id: int | None = None,
    person_id: int | None = None,
    language: str = "en",
    time_zone: str = "Europe/Brussels",
    must_change_password: bool = False,
) -> User:
    """An account, with its Person (new, or an existing one without an account)."""
    authorize(actor, "user.create")
    chk = Checker()
    username = check_username(chk, username)
    password = check_new_password(chk, password)
    name = chk.title("name", name, label=N_("The name"))
    email = chk.email("email", email)
    chk.choice("language", language, set(LANGUAGES), label=N_("The language"))
    time_zone = check_time_zone(chk, time_zone)
    if (
        "username" not in chk.errors
        and session.exec(select(User.id).where(User.username == username)).first()
    ):
        chk.fail("username", Message(N_("The username {username!r} is taken."), username=username))
    organisation_id = people.check_organisation_id(session, chk, organisation_id)
    if person_id is not None:
        person_id = record_id(person_id)
        person = session.get(Person, person_id) if person_id is not None else None
        if person is None or person.deleted_at is not None:
            chk.fail("person", N_("This person does not exist."))
        elif session.exec(select(User.id).where(User.person_id == person_id)).first():
            chk.fail("person", N_("This person already has an account."))
    chk.raise_if_any()
    if person_id is None:
        person = records.create(
            session, actor, Person(name=name, email=email, organisation_id=organisation_id)
        )
        person_id = person.id
    user = User(
        username=username,
        password_hash=passwords.hash_password(password),
        person_id=person_id,
        is_admin=is_admin,
        language=language,
        time_zone=time_zone,
        must_change_password=must_change_password,
    )
    return records.create(session, actor, user, action="user.create")


def sign_in_name(value: Any) -> str | None:
    """The username typed at sign-in (or kept in a cookie), normalised; None when no account can have it."""
    text = plain_line(value)
    return normalise_username(text) if text else None


def find_user(session: Session, username: Any) -> User | None:
    """The account of that username (deleted ones too); input no username can be finds none."""
    name = sign_in_name(username)
    if name is None:
        return None
    return session.exec(select(User).where(User.username == name)).first()


def is_locked(user: User, now: datetime | None = None) -> bool:
    now = now or clock.now()
    return user.locked_until is not None and user.locked_until > now


def may_sign_in(user: User | None) -> bool:
    return user is not None and user.active and user.deleted_at is None and not is_locked(user)


def record_failed_sign_in(session: Session, username: str) -> None:
    """Count a failure in one atomic UPDATE, so parallel attempts cannot slip past the limit."""
    now = clock.now()
    window_start = now - FAILURE_WINDOW
    fresh = sa.or_(
        col(User.first_failed_login_at).is_(None), col(User.first_failed_login_at) < window_start
    )
    new_count = sa.case((fresh, 1), else_=User.failed_logins + 1)
    not_locked = sa.or_(col(User.locked_until).is_(None), col(User.locked_until) <= now)
    # Attempts against a locked account are not counted: otherwise anyone could keep
    # someone else's account locked for ever by guessing every 15 minutes.
    name = sign_in_name(username)
    if name is None:
        return
    counted = session.exec(
        sa.update(User)
        .where(col(User.username) == name, not_locked)
        .values(
            failed_logins=new_count,
            first_failed_login_at=sa.case((fresh, now), else_=User.first_failed_login_at),
            locked_until=sa.case(
                (new_count >= LOCK_AFTER_FAILURES, now + LOCK_FOR), else_=User.locked_until
            ),
        )
    )
    user = find_user(session, username)
    if user is not None and counted.rowcount:
        session.refresh(user)
        if user.failed_logins == LOCK_AFTER_FAILURES:
            record_event(
                session,
                Actor(user_id=0, username=user.username, name=""),
                "user.locked",
                user,
                changes={
                    "locked_until": [
                        None,
                        user.locked_until.isoformat() if user.locked_until else None,
                    ]
                },
            )


def record_successful_sign_in(session: Session, user: User) -> bool:
    """Reset the count, unless a lock was committed meanwhile (one conditional UPDATE)."""
    now = clock.now()
    result = session.exec(
        sa.update(User)
        .where(
            col(User.id) == user.id,
            sa.or_(col(User.locked_until).is_(None), col(User.locked_until) <= now),
        )
        .values(failed_logins=0, first_failed_login_at=None, locked_until=None, last_login_at=now)
    )
    session.refresh(user)
    return bool(result.rowcount)


def sign_in(session: Session, username: str, password: str) -> User | None:
    """Check a username and password against the database with lockout; None means refused.

    The caller shows ``SIGN_IN_FAILED`` for every refusal: unknown user, wrong
    password and locked account look the same from outside.
    """
    user = find_user(session, username)
    ok = passwords.check_password(password, user.password_hash if user else None)
    if user is None:
        return None
    if not may_sign_in(user) or not ok:
        if user.active:
            record_failed_sign_in(session, username)
        return None
    return user if record_successful_sign_in(session, user) else None


def sign_in_read_only(session: Session, username: str, password: str) -> User | None:
    """The same check without bookkeeping, for a database opened read-only (maintenance)."""
    user = find_user(session, username)
    ok = passwords.check_password(password, user.password_hash if user else None)
    return user if ok and may_sign_in(user) else None


def change_own_password(session: Session, actor: Actor, current: str, new: str) -> None:
    """Needs the current password; signs out every other session (cookie issued before now)."""
    authorize(actor, "user.change_own_password")
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFound(N_("Your account no longer exists."))
    chk = Checker()
    if not passwords.check_password(current, user.password_hash):
        chk.fail("current_password", N_("The current password is not correct."))
    new = check_new_password(chk, new, "new_password")
    if not chk.errors and passwords.normalise(current) == new:
        chk.fail("new_password", N_("The new password must differ from the current one."))
    chk.raise_if_any()
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    user.sessions_valid_after = clock.now()
    user.version += 1
    session.add(user)
    record_event(
        session,
        actor,
        "user.change_password",
        user,
        changes={"password": ["(hidden)", "(changed)"]},
    )


def end_sessions(session: Session, user_id: int) -> None:
    """Sign-out: every cookie issued until now stops working, in every tab and replica."""
    session.execute(
        sa.update(User).where(col(User.id) == user_id).values(sessions_valid_after=clock.now())
    )


def credentials(session: Session, *, only: str | None = None) -> dict[str, dict[str, Any]]:
    """The authenticator's credentials dict, built from the database for this run.

    Locked, inactive and deleted users are left out, so the widget cannot
    sign them in whatever they type. ``only``: just that account (or nobody), for a
    sign-in by cookie, which names its account: every new tab signed in that way read
    every account of the workspace.
    """
    now = clock.now()
    stmt = (
        sa.select(
            col(User.username),
            col(User.password_hash),
            col(Person.name),
            col(Person.email),
            col(User.locked_until),
        )
        .join(Person, col(Person.id) == User.person_id, isouter=True)
        .where(col(User.active) == True, col(User.deleted_at).is_(None))  # noqa: E712
    )
    if only is not None:
        stmt = stmt.where(col(User.username) == only)
    rows = session.execute(stmt)
    users = {}
    for username, password_hash, name, email, locked_until in rows:
        if locked_until is not None and locked_until > now:
            continue
        users[username] = {
            "name": name or username,
            "email": email or "",
            "password": password_hash,
            "first_name": name or username,
            "last_name": "",
            "roles": None,
            "failed_login_attempts": 0,
            "logged_in": False,
        }
    return {"usernames": users}


def load_actor(
    session: Session, user_id: int | None = None, username: str | None = None
) -> Actor | None:
    """Re-read the signed-in user each run: None when inactive, deleted or unknown."""
    stmt = select(User)
    if user_id is not None:
        stmt = stmt.where(User.id == user_id)
    else:
        name = sign_in_name(username)
        if name is None:
            return None
        stmt = stmt.where(User.username == name)
    user = session.exec(stmt).first()
    if user is None or not user.active or user.deleted_at is not None:
        return None
    assert user.id is not None  # read from the database, so it has its key
    person = session.get(Person, user.person_id) if user.person_id else None
    roles: dict[int, Role] = {}
    if person is not None:
        rows = session.exec(
            select(Membership.community_id, Membership.role)
            .join(Community, col(Community.id) == Membership.community_id)
            .where(
                Membership.person_id == person.id,
                col(Membership.deleted_at).is_(None),
                col(Community.deleted_at).is_(None),
            )
        )
        roles = {community_id: Role(role) for community_id, role in rows}
    return Actor(
        user_id=user.id,
        username=user.username,
        name=person.name if person else user.username,
        is_admin=user.is_admin,
        person_id=person.id if person else None,
        organisation_id=person.organisation_id if person else None,
        language=user.language,
        time_zone=user.time_zone,
        roles=roles,
    )


def actor_issued_at(session: Session, user_id: int, issued_at: datetime) -> Actor | None:
    """The actor behind something issued to the account at ``issued_at`` (a download link).

    Refused (None) as the gate refuses a session: the account is inactive, deleted or
    unknown, must change its password first, or its sessions were ended (sign-out,
    password change, deactivation) after ``issued_at``.
    """
    user = session.get(User, user_id)
    if user is None or user.must_change_password:
        return None
    if user.sessions_valid_after is not None and issued_at < user.sessions_valid_after:
        return None
    return load_actor(session, user_id)
