"""Invitations: a one-time link that lets a person choose their own username and password.

Only a SHA-256 hash of the link's token is stored, so a copy of the database
(a backup, a replica) cannot be used to accept someone else's invitation.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from cop.core.columns import Editable, UTCDateTime
from cop.core.permissions import Role


class Invitation(Editable, table=True):
    """An invitation of a person into one community with a role; ``created_by_id`` is the inviter."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(default="", max_length=254)
    community_id: int = Field(foreign_key="community.id", index=True, ondelete="CASCADE")
    role: str = Field(default=Role.MEMBER, max_length=16)
    # An existing person (imported from a spreadsheet, say) gets the account; else a new one is made.
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
