"""Signing in with the organisation's account (OpenID Connect): linking, refusing, the sign-in settings.

Streamlit's ``st.login`` runs the redirect flow (Authlib) and hands the shell the
provider's claims; what they may do here is decided in this module:

* An identity seen before is matched by its issuer and subject, never by e-mail.
* At the first sign-in the provider's e-mail links the identity to the active account
  of the person with that e-mail, or accepts their open invitations, but only when the
  provider says ``email_verified``: an unverified address could be anyone's.
* Anyone else is refused with a sentence that says what to do, unless the administrator
  allowed their e-mail domain: then an account without any membership is made, until
  someone invites them into a community.
* The session rules of the password form hold: an inactive account is refused, and an
  identity authenticated (``auth_time``) before the account's ``sessions_valid_after``
  (sign-out, deactivation) is refused as signed out.

Every sign-in, link and new account is an audit event.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from cop.accounts import invitations
from cop.accounts import service as accounts
from cop.accounts.models import SignInPolicy, User
from cop.communities.models import Person
from cop.core import clock
from cop.core.audit import record_event
from cop.core.errors import ConflictError, ValidationError
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import SYSTEM, Actor, authorize
from cop.core.validation import Checker, plain_line

DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

NOT_VERIFIED = N_(
    "Your organisation's account does not confirm your e-mail address, so it cannot be "
    "matched to an account here. Ask a workspace administrator for help."
)
UNKNOWN = N_(
    "No account in this workspace belongs to {email}. Ask a facilitator or an administrator "
    "to invite you with this address, then sign in again."
)
DEACTIVATED = N_("Your account in this workspace is deactivated. Ask an administrator.")
SIGNED_OUT = N_("You were signed out. Please sign in again.")
TAKEN = N_(
    "The account with your e-mail address is already linked to another organisation "
    "account. Ask an administrator."
)


class SignInRefused(Exception):
    """The identity may not sign in; ``message`` (a Message or an English msgid) says why."""

    def __init__(self, message: Message | str, *, signed_out: bool = False) -> None:
        super().__init__(str(message))
        self.message = message
        self.signed_out = signed_out


@dataclass(frozen=True)
class Identity:
    """What the provider says about the person, checked: issuer, subject, e-mail, when they authenticated."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    name: str
    preferred_username: str
    authenticated_at: datetime
    # When the provider issued this token (each round trip gets a new one): tells a new
    # sign-in from the same one coming back in another browser session.
    issued_at: datetime | None = None


def _timestamp(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def identity_from_claims(claims: Mapping[str, Any]) -> Identity | None:
    """The identity in the ID token's claims, or None when issuer, subject or time are missing.

    ``auth_time`` is when the person authenticated at the provider; providers that do
    not send it are taken at the token's issue time (``iat``).
    """
    issuer = plain_line(claims.get("iss"), max_len=255)
    subject = plain_line(claims.get("sub"), max_len=255)
    issued = _timestamp(claims.get("iat"))
    when = _timestamp(claims.get("auth_time")) or issued
    if when is not None:
        # Whole seconds: read as the end of that second, so a sign-in in the same second
        # as the sign-out before it is not refused (the sign-out's time has microseconds).
        when += timedelta(seconds=1)
    if not issuer or not subject or when is None:
        return None
    email = (plain_line(claims.get("email")) or "").strip()
    verified = claims.get("email_verified")
    if isinstance(verified, str):  # some providers send the JSON string
        verified = verified.strip().lower() == "true"
    return Identity(
        issuer=issuer,
        subject=subject,
        email=email,
        email_verified=verified is True,
        name=(plain_line(claims.get("name"), max_len=200) or "").strip(),
        preferred_username=(plain_line(claims.get("preferred_username")) or "").strip(),
        authenticated_at=when,
        # The start of its second: our acceptance of it (last_login_at) always comes after.
        issued_at=issued,
    )


# --- the administrator's sign-in settings -----------------------------------------------------


def policy(session: Session) -> SignInPolicy:
    """The sign-in settings (the defaults until an administrator saved them: the form on, no domain)."""
    return session.get(SignInPolicy, 1) or SignInPolicy(id=1, version=0)


def allowed_domains(row: SignInPolicy) -> list[str]:
    return [d for d in row.oidc_domains.split() if d]


def password_form_offered(session: Session, provider_configured: bool) -> bool:
    """The form is offered unless an administrator switched it off while a provider is configured."""
    return not provider_configured or policy(session).password_form


def update_policy(
    session: Session,
    actor: Actor,
    version: int,
    *,
    password_form: bool,
    domains: str,
    provider_configured: bool,
) -> SignInPolicy:
    """Save the sign-in settings (admins only), audited.

    The password form can only be switched off while a provider is configured and by
    an administrator who signed in through it once (their account is linked), so
    nobody locks themselves out.
    """
    authorize(actor, "sign_in.configure")
    chk = Checker()
    cleaned: list[str] = []
    for raw in re.split(r"[\s,;]+", str(domains or "")):
        domain = raw.strip().lower().lstrip("@")
        if not domain:
            continue
        if not DOMAIN_RE.match(domain):
            chk.fail(
                "domains",
                Message(
                    N_("{domain!r} is not an e-mail domain such as example.org."), domain=raw[:80]
                ),
            )
            break
        if domain not in cleaned:
            cleaned.append(domain)
    if len(" ".join(cleaned)) > 2000:
        chk.fail("domains", N_("List at most 2,000 characters of domains."))
    if not password_form:
        me = session.get(User, actor.user_id)
        if not provider_configured:
            chk.fail(
                "password_form",
                N_("No identity provider is configured: the password form is the only way in."),
            )
        elif me is None or not me.oidc_subject:
            chk.fail(
                "password_form",
                N_(
                    "Sign in with the organisation's account once yourself before switching "
                    "the password form off, so you can still sign in."
                ),
            )
    chk.raise_if_any()
    row = session.get(SignInPolicy, 1, with_for_update=True)
    current = row.version if row is not None else 0
    if version != current:
        raise ConflictError(
            N_(
                "Someone else saved this in the meantime. Their change is shown below; "
                "your input is still in the form: review it and save again."
            ),
            current={"password_form": row.password_form if row else True},
            record_type="sign_in_policy",
        )
    if row is None:
        row = SignInPolicy(id=1, version=0, created_by_id=actor.user_id or None)
    before = {"password_form": row.password_form, "oidc_domains": row.oidc_domains}
    row.password_form = bool(password_form)
    row.oidc_domains = "\n".join(cleaned)
    row.version += 1
    row.updated_at = clock.now()
    row.updated_by_id = actor.user_id or None
    session.add(row)
    session.flush()
    after = {"password_form": row.password_form, "oidc_domains": row.oidc_domains}
    changes: dict[str, list[Any]] = {
        k: [before[k], after[k]] for k in after if before[k] != after[k]
    }
    record_event(session, actor, "sign_in_policy.update", row, changes=changes)
    return row


# --- signing in -------------------------------------------------------------------------------


def _audit_sign_in(session: Session, user: User, identity: Identity, how: str) -> None:
    record_event(
        session,
        Actor(user_id=user.id or 0, username=user.username, name=""),
        how,
        user,
        changes={"issuer": [None, identity.issuer], "email": [None, identity.email]},
    )


def _check_may_sign_in(user: User, identity: Identity) -> None:
    if not user.active or user.deleted_at is not None:
        raise SignInRefused(DEACTIVATED)
    # The password lockout guards the password; the provider guards its own sign-in.
    if (
        user.sessions_valid_after is not None
        and identity.authenticated_at < user.sessions_valid_after
    ):
        raise SignInRefused(SIGNED_OUT, signed_out=True)


def _account_with_email(session: Session, email: str) -> User | None:
    """The one account whose person has this e-mail (any case), deactivated ones too."""
    rows = session.exec(
        select(User)
        .join(Person, col(Person.id) == User.person_id)
        .where(
            func.lower(Person.email) == email.lower(),
            col(Person.deleted_at).is_(None),
            col(User.deleted_at).is_(None),
        )
        .order_by(col(User.id))
    ).all()
    return rows[0] if rows else None


def _free_username(session: Session, identity: Identity) -> str:
    """A username from the provider's preferred one or the e-mail's local part, made unique."""
    source = identity.preferred_username or identity.email.split("@")[0] or "user"
    base = re.sub(r"[^a-z0-9._-]+", ".", source.lower()).strip("._-")[:28] or "user"
    if len(base) < 3:
        base = f"{base}.user"
    candidate, n = base, 1
    while session.exec(select(User.id).where(User.username == candidate)).first() is not None:
        n += 1
        candidate = f"{base[:28]}{n}"
    return candidate


def _new_account(session: Session, identity: Identity) -> User:
    """An account without membership for someone of an allowed domain (an existing person is reused)."""
    person_id = None
    found = session.exec(
        select(Person.id)
        .where(
            func.lower(Person.email) == identity.email.lower(),
            col(Person.deleted_at).is_(None),
            col(Person.anonymised_at).is_(None),
        )
        .order_by(col(Person.id))
    ).first()
    if found is not None:
        person_id = found
    user = accounts.create_user(
        session,
        SYSTEM,
        username=_free_username(session, identity),
        password=secrets.token_urlsafe(
            24
        ),  # nobody knows it: this account signs in through the provider
        name=identity.name or identity.email.split("@")[0],
        email=identity.email,
        person_id=person_id,
    )
    return user


def _link(session: Session, user: User, identity: Identity, *, new: bool = False) -> None:
    if new:
        # Made just now, after the person signed in at the provider: that sign-in counts.
        user.sessions_valid_after = min(
            user.sessions_valid_after, identity.authenticated_at - timedelta(seconds=1)
        )
    user.oidc_issuer = identity.issuer
    user.oidc_subject = identity.subject
    user.version += 1
    user.updated_at = clock.now()
    session.add(user)
    session.flush()
    _audit_sign_in(session, user, identity, "user.link_identity")


@dataclass(frozen=True)
class SignIn:
    """The account an identity signed in to; ``fresh``: a sign-in at the provider not seen before.

    Streamlit keeps the identity in a cookie, so every new browser session (a reload, a
    second tab) brings the same one back: only the first is a sign-in for the audit log,
    the last sign-in time and the page asked for before it.
    """

    user: User
    fresh: bool


def sign_in_with_identity(session: Session, identity: Identity) -> SignIn:
    """The account this identity signs in to (linked or made now), or ``SignInRefused``."""
    user = session.exec(
        select(User).where(
            User.oidc_issuer == identity.issuer, User.oidc_subject == identity.subject
        )
    ).first()
    if user is None:
        user = _first_sign_in(session, identity)
    else:
        _check_may_sign_in(user, identity)
    token_time = identity.issued_at or identity.authenticated_at
    fresh = user.last_login_at is None or user.last_login_at < token_time
    if fresh:
        accounts.record_successful_sign_in(session, user)
        _audit_sign_in(session, user, identity, "user.sign_in_oidc")
    return SignIn(user, fresh)


def _first_sign_in(session: Session, identity: Identity) -> User:
    if not identity.email:
        raise SignInRefused(NOT_VERIFIED)
    if not identity.email_verified:
        raise SignInRefused(NOT_VERIFIED)
    user = _account_with_email(session, identity.email)
    if user is not None:
        if user.oidc_subject:
            raise SignInRefused(TAKEN)
        _check_may_sign_in(user, identity)
        _link(session, user, identity)
        return user
    pending = invitations.open_invitations_for(session, identity.email)
    if pending:
        first, *others = pending
        try:
            user = invitations.complete_invitation(
                session,
                first,
                _free_username(session, identity),
                secrets.token_urlsafe(24),
                identity.name or first.name,
            )
        except (ValidationError, invitations.InvitationUnusable) as problem:
            raise SignInRefused(str(problem)) from problem
        for invitation in others:
            invitations.join_by_invitation(session, invitation, user)
        _link(session, user, identity, new=True)
        return user
    domain = identity.email.rsplit("@", 1)[-1].lower()
    if domain in allowed_domains(policy(session)):
        user = _new_account(session, identity)
        _link(session, user, identity, new=True)
        return user
    raise SignInRefused(Message(UNKNOWN, email=identity.email))
