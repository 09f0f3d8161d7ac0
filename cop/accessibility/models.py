"""Feedback on accessibility (issue 23): what a reader, signed in or not, sent from the statement page."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from cop.core.columns import UTCDateTime, utcnow


class AccessibilityFeedback(SQLModel, table=True):
    """One message to the admins: a barrier met, and how to answer (an address, optional)."""

    __tablename__ = "accessibility_feedback"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    where: str = Field(default="", max_length=200)
    message: str = Field(default="", sa_type=sa.Text)
