"""A person's private calendar address: a random token that stands for them in a feed URL."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from cop.core.columns import UTCDateTime, utcnow


class CalendarFeed(SQLModel, table=True):
    """One per account. Regenerating replaces the token, so the old address answers 404.

    The token is kept as it is (not hashed): the Profile page shows the address again
    whenever the person needs to paste it into another calendar, as the calendar
    services of the field do with their private addresses.
    """

    __tablename__ = "calendar_feed"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        foreign_key="user.id", ondelete="CASCADE", sa_column_kwargs={"unique": True}
    )
    token: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    include_actions: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
