"""The outbox table: one row per e-mail, from the moment it is decided until it is sent or given up.

A row is written in the same transaction as the change that caused it (an
invitation, a notification, a digest), so a change that rolls back sends
nothing. A sender claims due rows for a lease (``claimed_by``,
``claimed_until``) so two replicas never send the same one; a failed attempt
moves ``next_attempt_at`` on with back-off, and after the last attempt the row
is ``failed_at`` and shown to admins. A sent row keeps its address, subject
and times but not its text (an invitation's text carries its one-time link).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from cop.core.columns import UTCDateTime, utcnow


class OutboxMessage(SQLModel, table=True):
    """One e-mail. ``parts`` are further MIME parts: ``{content_type, filename?, content}``
    (a ``text/calendar`` invitation, say)."""

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body_text: str = Field(default="", sa_type=sa.Text)
    body_html: str | None = Field(default=None, sa_type=sa.Text)
    parts: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    claimed_by: str | None = Field(default=None, max_length=100)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    failed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = Field(default="", max_length=1000)
