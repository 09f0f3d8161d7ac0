"""The tables of accounts: users (who may sign in), their inbox, and invitations.

A User (account) has at most one Person (cop.communities.models); a person may have
no account. An invitation is a one-time link that lets a person choose their own
username and password; only a SHA-256 hash of the link's token is stored, so a copy of the database
(a backup, a replica) cannot be used to accept someone else's invitation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import UniqueConstraint
from sqlmodel import JSON, Column, Field, SQLModel

from cop.core.columns import Editable, UTCDateTime, utcnow
from cop.core.permissions import Role


class Invitation(Editable, table=True):
    """An invitation of a person into one community with a role; ``created_by_id`` is the inviter."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(default="", max_length=254)
    community_id: int = Field(foreign_key="community.id", index=True, ondelete="CASCADE")
    role: str = Field(default=Role.MEMBER, max_length=16)
    # An existing person (imported from a spreadsheet, say) gets the account; else a new one is made.
    person_id: int | None = Field(
        default=None, foreign_key="person.id", index=True, ondelete="SET NULL"
    )
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class User(Editable, table=True):
    """An account that can sign in. Usernames are ``[a-z0-9._-]{3,32}``, stored lower-case."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=32, sa_column_kwargs={"unique": True})
    password_hash: str = Field(max_length=100)
    person_id: int | None = Field(
        default=None,
        foreign_key="person.id",
        ondelete="SET NULL",
        sa_column_kwargs={"unique": True},
    )
    is_admin: bool = False
    active: bool = True
    language: str = Field(default="en", max_length=8)
    time_zone: str = Field(default="Europe/Brussels", max_length=64)
    must_change_password: bool = False
    failed_logins: int = 0
    first_failed_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A sign-in cookie issued before this moment is refused (logout, password change, deactivation).
    sessions_valid_after: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # How notifications reach the person by e-mail: immediate, daily, weekly (digests) or off.
    email_delivery: str = Field(
        default="weekly", max_length=16, sa_column_kwargs={"server_default": "weekly"}
    )
    # The organisation's identity provider (OpenID Connect): its issuer and the subject it
    # gave this person, stored at the first sign-in through it (cop.accounts.oidc).
    oidc_issuer: str | None = Field(default=None, max_length=255)
    oidc_subject: str | None = Field(default=None, max_length=255)

    __table_args__ = (
        UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_user_oidc_identity"),
    )


class SignInPolicy(Editable, table=True):
    """How people may sign in, one row (id 1) that an administrator changes (cop.accounts.oidc).

    ``password_form``: the username and password form is offered (it always is while no
    identity provider is configured). ``oidc_domains``: e-mail domains, one per line, whose
    people get an account without membership at their first sign-in through the provider.
    """

    __tablename__ = "sign_in_policy"

    id: int | None = Field(default=None, primary_key=True)
    password_form: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    oidc_domains: str = Field(default="", max_length=2000, sa_column_kwargs={"server_default": ""})


class Notification(SQLModel, table=True):
    """Something a user should see in their inbox.

    ``template`` and ``params`` are the message as written (an English template
    and its values), so the inbox shows it in the reader's language, whatever
    the language of the person whose action caused it; ``message`` is the
    English text, what rows written before templates were kept show.
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kind: str = Field(max_length=64)
    message: str = Field(max_length=500)
    template: str = Field(default="", max_length=500)
    params: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    record_type: str = Field(default="", max_length=64)
    record_id: int | None = None
    community_id: int | None = Field(default=None, foreign_key="community.id", ondelete="CASCADE")
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When it went into the outbox, alone or in a digest: it is e-mailed once.
    emailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
