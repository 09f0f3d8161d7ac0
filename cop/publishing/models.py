"""A published edition of the toolkit website, kept in the database so every replica serves it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

from cop.core.columns import UTCDateTime, utcnow


class PublishedSite(SQLModel, table=True):
    """One publication of an edition: the built site as a zip, and the revision of each chapter.

    Rows are only added: the newest per toolkit is what ``/published/`` serves, the older
    ones say what was online when. ``chapters`` maps a chapter id (as text, JSON keys
    are strings) to the approved revision number the site shows, so a facilitator who
    publishes their chapter moves only that chapter on.
    """

    __tablename__ = "published_site"

    id: int | None = Field(default=None, primary_key=True)
    toolkit_id: int = Field(foreign_key="toolkit.id", index=True, ondelete="CASCADE")
    number: int
    published_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_by_name: str = Field(default="", max_length=200)
    chapters: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(sa.JSON, nullable=False)
    )
    pages: int = 0
    archive: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
