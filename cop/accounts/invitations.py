"""Inviting a person into a community, and the invited person choosing their own login.

The link carries a random token that is shown (or e-mailed) exactly once; the
database keeps only its SHA-256 hash, so neither a backup nor the audit log can
be replayed into an account. A link works once, for seven days. The e-mail
with the link waits in the outbox (left out of backups) until it is sent, and
the sent row forgets its text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cop.accounts import notifications
from cop.accounts import service as accounts
from cop.accounts.models import Invitation, User
from cop.communities import service as communities
from cop.communities.models import Community, Membership, Person
from cop.core import clock, mailer, records
from cop.core.audit import record_event, snapshot
from cop.core.errors import NotFound, ValidationError
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import SYSTEM, Actor, authorize
from cop.core.validation import Checker, plain_line, record_id
from cop.outbox import service as outbox

LIFETIME = timedelta(days=7)
# The refusal of a typed e-mail that belongs to someone already there; the form offers them.
ALREADY_IN_WORKSPACE = N_(
    "{name} is already in the workspace with this e-mail address: "
    "choose them under “A person already in the workspace” instead."
)
LINK_PREFIX = "/?invite="


class InvitationUnusable(NotFound):
    """The link is unknown, revoked, used or expired; the message says which and what to do."""


@dataclass(frozen=True)
class IssuedInvitation:
    """What the admin sees once: the link (never stored) and whether it was queued for e-mail
    (the outbox sends it within moments; the admin page lists one that could not go)."""

    invitation: Invitation
    link: str
    emailed: bool
    email_problem: str = ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def status(invitation: Invitation, now: datetime | None = None) -> str:
    """pending, used, revoked or expired: what the invitations list shows."""
    now = now or clock.now()
    if invitation.used_at is not None:
        return "used"
    if invitation.revoked_at is not None or invitation.deleted_at is not None:
        return "revoked"
    if invitation.expires_at <= now:
        return "expired"
    return "pending"


def _invitation_email(
    community: Community, inviter: Actor, url: str, expires_at: datetime
) -> tuple[str, str]:
    subject = f"Invitation to {community.name}"
    body = (
        f"{inviter.name} invites you to the community {community.name} in the CoP Workspace.\n\n"
        f"Open this link to choose your username and password:\n{url}\n\n"
        f"The link works once and until {expires_at:%Y-%m-%d %H:%M} UTC.\n"
    )
    return subject, body


def _live_people_with_email(session: Session, email: str) -> list[tuple[Person, int | None]]:
    """People of the workspace whose e-mail is ``email`` (any case), with their account if any."""
    return list(
        session.exec(
            select(Person, User.id)
            .join(User, col(User.person_id) == Person.id, isouter=True)
            .where(
                func.lower(Person.email) == email.lower(),
                col(Person.deleted_at).is_(None),
                col(Person.anonymised_at).is_(None),
            )
            .order_by(col(Person.id))
        ).all()
    )


def _picked_person(
    session: Session, chk: Checker, person_id: int | None, name: str, email: str
) -> tuple[str, str]:
    """The picked person's own name and e-mail; typing someone else's next to a pick is refused."""
    person = session.get(Person, person_id) if person_id is not None else None
    if person is None or person.deleted_at is not None or person.anonymised_at is not None:
        chk.fail("person", N_("Choose a person who exists in the workspace."))
        return "", ""
    if session.exec(select(User.id).where(User.person_id == person_id)).first():
        chk.fail("person", Message(N_("{name} already has an account."), name=person.name))
    typed_name, typed_email = (name or "").strip(), (email or "").strip()
    if (typed_name and typed_name != person.name) or (
        typed_email and typed_email.lower() != person.email.lower()
    ):
        chk.fail(
            "person",
            Message(
                N_(
                    "You picked {name}. Invite them without typing a name or e-mail, "
                    "or pick nobody to invite someone new."
                ),
                name=person.name,
            ),
        )
    return person.name, person.email


def _refuse_someone_already_there(session: Session, chk: Checker, email: str) -> None:
    """A typed e-mail that belongs to a person already in the workspace would make a second one."""
    found = _live_people_with_email(session, email)
    if not found:
        return
    person, account = found[0]
    if account is not None:
        chk.fail(
            "email",
            Message(
                N_(
                    "{name} already has an account with this e-mail address; "
                    "add them to the community as a member instead."
                ),
                name=person.name,
            ),
        )
    else:
        chk.fail("email", Message(ALREADY_IN_WORKSPACE, name=person.name))


def _refuse_a_second_pending_invitation(
    session: Session,
    chk: Checker,
    community_id: int,
    person_id: int | None,
    email: str,
    name: str,
) -> None:
    """One pending link per person and community: a second would make a second account."""
    same: list[sa.ColumnElement[bool]] = []
    if person_id is not None:
        same.append(col(Invitation.person_id) == person_id)
    if email:
        same.append(func.lower(Invitation.email) == email.lower())
    if not same:
        return
    pending = session.exec(
        select(Invitation.id).where(
            Invitation.community_id == community_id,
            sa.or_(*same),
            col(Invitation.used_at).is_(None),
            col(Invitation.revoked_at).is_(None),
            col(Invitation.deleted_at).is_(None),
            Invitation.expires_at > clock.now(),
        )
    ).first()
    if pending is not None:
        chk.fail(
            "person" if person_id is not None else "email",
            Message(
                N_(
                    "{name} already has a pending invitation to this community; "
                    "withdraw it below to send a new link."
                ),
                name=name,
            ),
        )


def invite(
    session: Session,
    actor: Actor,
    *,
    community_id: int,
    name: str = "",
    email: str = "",
    role: str = "member",
    person_id: int | None = None,
    base_url: str = "",
) -> IssuedInvitation:
    """Create a one-time link; queue it for e-mail when ``COP_SMTP_URL`` is set and an address is known.

    ``base_url`` (the address of the workspace as the admin's browser sees it)
    turns the link path into a full URL for the e-mail.
    """
    community = communities.get_community(session, actor, community_id)
    authorize(actor, "invitation.create", community)
    chk = Checker()
    chk.choice("role", role, communities.ROLES, label=N_("The role"))
    if person_id is not None:
        person_id = record_id(person_id)
        name, email = _picked_person(session, chk, person_id, name, email)
    else:
        name = chk.title("name", name, label=N_("The name"))
        email = chk.email("email", email)
        if email and "email" not in chk.errors:
            _refuse_someone_already_there(session, chk, email)
    assert community.id is not None  # get_community read it from the database
    if not chk.errors:
        _refuse_a_second_pending_invitation(session, chk, community.id, person_id, email, name)
    chk.raise_if_any()

    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        name=name,
        email=email,
        community_id=community.id,
        role=role,
        person_id=person_id,
        token_hash=token_hash(token),
        expires_at=clock.now() + LIFETIME,
    )
    records.stamp_new(invitation, actor)
    session.add(invitation)
    session.flush()
    audited = {
        k: [None, v]
        for k, v in snapshot(invitation).items()
        if k != "token_hash" and v not in (None, "")
    }
    record_event(
        session, actor, "invitation.create", invitation, community_id=community.id, changes=audited
    )

    link = f"{LINK_PREFIX}{token}"
    if not (email and mailer.is_configured()):
        return IssuedInvitation(invitation, link, emailed=False)
    if not base_url:
        return IssuedInvitation(
            invitation,
            link,
            emailed=False,
            email_problem="The workspace address is unknown, so no e-mail was sent.",
        )
    subject, body = _invitation_email(
        community, actor, base_url.rstrip("/") + link, invitation.expires_at
    )
    # In the outbox with the invitation: this page run never waits on the mail server.
    outbox.enqueue(session, to=email, subject=subject, body_text=body, kind="invitation")
    return IssuedInvitation(invitation, link, emailed=True)


def _usable(session: Session, token: str, *, lock: bool = True) -> Invitation:
    """The invitation behind ``token`` (locked for this transaction when accepting), or a clear refusal."""
    link = plain_line(token, max_len=200)  # from the URL: not text, or undecodable, is no link
    stmt = select(Invitation).where(Invitation.token_hash == token_hash(link or ""))
    invitation = session.exec(stmt.with_for_update() if lock else stmt).first() if link else None
    community = session.get(Community, invitation.community_id) if invitation is not None else None
    if invitation is None or community is None or community.deleted_at is not None:
        raise InvitationUnusable(
            N_(
                "This invitation link is not valid. Check that you copied all of it, "
                "or ask the person who invited you for a new one."
            )
        )
    state = status(invitation)
    if state == "used":
        raise InvitationUnusable(
            N_(
                "This invitation link has already been used. Sign in with the username chosen "
                "then, or ask the person who invited you for a new link."
            )
        )
    if state == "revoked":
        raise InvitationUnusable(
            N_("This invitation was withdrawn. Ask the person who invited you for a new one.")
        )
    if state == "expired":
        raise InvitationUnusable(
            Message(
                N_(
                    "This invitation link expired on {day}. "
                    "Ask the person who invited you for a new one."
                ),
                day=invitation.expires_at.date(),
            )
        )
    return invitation


@dataclass(frozen=True)
class InvitationSummary:
    """Who is invited where, as what: the sign-up form shows it before anything is typed."""

    name: str
    email: str
    role: str
    community: str
    community_id: int


def describe(session: Session, token: str) -> InvitationSummary:
    """What the sign-up form shows before anything is typed: who is invited where, as what."""
    invitation = _usable(session, token, lock=False)
    community = session.get(Community, invitation.community_id)
    return InvitationSummary(
        name=invitation.name,
        email=invitation.email,
        role=invitation.role,
        community=community.name if community else "",
        community_id=invitation.community_id,
    )


def accept_invitation(
    session: Session, token: str, username: str, password: str, name: str
) -> User:
    """Create the account and the membership, use up the link, and tell the inviter."""
    return complete_invitation(session, _usable(session, token), username, password, name)


def open_invitations_for(session: Session, email: str) -> list[Invitation]:
    """The pending invitations sent to ``email`` (any case), oldest first, locked for this transaction."""
    if not email:
        return []
    rows = session.exec(
        select(Invitation)
        .where(
            func.lower(Invitation.email) == email.lower(),
            col(Invitation.used_at).is_(None),
            col(Invitation.revoked_at).is_(None),
            col(Invitation.deleted_at).is_(None),
            Invitation.expires_at > clock.now(),
        )
        .order_by(col(Invitation.id))
        .with_for_update()
    ).all()
    return [inv for inv in rows if status(inv) == "pending"]


def join_by_invitation(session: Session, invitation: Invitation, user: User) -> None:
    """A further pending invitation of someone who now has an account: the membership, the link used."""
    acting = dataclasses.replace(
        SYSTEM, username=f"invitation #{invitation.id}", name=invitation.name
    )
    already_member = session.exec(
        select(Membership.id).where(
            Membership.person_id == user.person_id,
            Membership.community_id == invitation.community_id,
            col(Membership.deleted_at).is_(None),
        )
    ).first()
    if not already_member:
        assert user.person_id is not None  # an account made or found for an invitation has a person
        communities.add_member(
            session, acting, invitation.community_id, user.person_id, invitation.role
        )
    records.save(
        session,
        acting,
        invitation,
        invitation.version,
        {"used_at": clock.now(), "user_id": user.id},
        action="invitation.accept",
        community_id=invitation.community_id,
    )


def complete_invitation(
    session: Session, invitation: Invitation, username: str, password: str, name: str
) -> User:
    """The account of a usable invitation (its link, or its provider's e-mail), the membership, the inviter told."""
    if (
        invitation.person_id is not None
        and session.exec(select(User.id).where(User.person_id == invitation.person_id)).first()
    ):
        raise InvitationUnusable(
            N_("This person already has an account. Sign in, or ask for help with your password.")
        )
    person_id = invitation.person_id
    if person_id is None and invitation.email:
        # Someone may have added this person by hand since the link went out: link to them.
        found = _live_people_with_email(session, invitation.email)
        if any(account is not None for _person, account in found):
            raise InvitationUnusable(
                N_(
                    "Someone with this e-mail address already has an account. Sign in, "
                    "or ask the person who invited you for help."
                )
            )
        person_id = found[0][0].id if found else None
    acting = dataclasses.replace(
        SYSTEM, username=f"invitation #{invitation.id}", name=invitation.name
    )
    user = accounts.create_user(
        session,
        acting,
        username=username,
        password=password,
        name=name,
        email=invitation.email,
        person_id=person_id,
    )
    join_by_invitation(session, invitation, user)
    if invitation.created_by_id:
        community = session.get(Community, invitation.community_id)
        notifications.add_notification(
            session,
            notifications.new_notification(
                invitation.created_by_id,
                Message(
                    N_(
                        "{name} accepted your invitation to {community} and signs in as {username}."
                    ),
                    name=name.strip(),
                    community=community.name if community else "",
                    username=user.username,
                ),
                kind="invitation.accepted",
                record_type="user",
                record_id=user.id,
                community_id=invitation.community_id,
            ),
        )
    return user


@dataclass(frozen=True)
class InvitationRow:
    """One invitation in the admin's list, with the state it is in now (pending, used, ...)."""

    id: int
    version: int
    name: str
    email: str
    community: str
    community_id: int
    role: str
    status: str
    expires_at: datetime
    used_at: datetime | None


def list_invitations(
    session: Session,
    actor: Actor,
    community_id: int | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[InvitationRow], int]:
    """Invitations newest first with their state; facilitators see their community's, admins all."""
    stmt = select(Invitation, Community.name).join(
        Community, col(Community.id) == Invitation.community_id
    )
    count = select(func.count(col(Invitation.id)))
    if community_id is not None:
        community = communities.get_community(session, actor, community_id)
        authorize(actor, "invitation.list", community)
        stmt = stmt.where(Invitation.community_id == community.id)
        count = count.where(Invitation.community_id == community.id)
    else:
        authorize(actor, "invitation.list")
    total = session.exec(count).one()
    rows = session.exec(
        stmt.order_by(col(Invitation.created_at).desc(), col(Invitation.id).desc())
        .limit(limit)
        .offset(offset)
    )
    now = clock.now()
    return [
        InvitationRow(
            id=inv.id,
            version=inv.version,
            name=inv.name,
            email=inv.email,
            community=cname,
            community_id=inv.community_id,
            role=inv.role,
            status=status(inv, now),
            expires_at=inv.expires_at,
            used_at=inv.used_at,
        )
        for inv, cname in rows
        if inv.id is not None  # a stored invitation
    ], int(total)


def revoke_invitation(session: Session, actor: Actor, invitation_id: int) -> Invitation:
    """Withdraw a link that was sent to the wrong person or is no longer wanted."""
    invitation = records.get_live(
        session, Invitation, invitation_id, for_update=True, label=N_("invitation")
    )
    community = communities.get_community(session, actor, invitation.community_id)
    authorize(actor, "invitation.revoke", community)
    if invitation.used_at is not None:
        raise ValidationError(
            {
                "invitation": N_(
                    "This invitation was already accepted; deactivate the account instead."
                )
            }
        )
    records.save(
        session,
        actor,
        invitation,
        invitation.version,
        {"revoked_at": clock.now()},
        action="invitation.revoke",
        community_id=community.id,
    )
    return invitation
