"""The shared toolkit: editions, one chapter per community, ordered sections, revisions, comments.

A chapter is edited live as a draft; approval freezes a ``Revision``
that keeps the chapter's document (its Markdown and a JSON snapshot of the
document model, so an approved revision exports exactly as it was approved)
and the sections it was built from (so it can be restored as a new draft).
Revisions and their numbers are append-only: nothing edits or deletes one.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from cop.core.columns import Editable, UTCDateTime, utcnow


class ChapterStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"


class SectionKind(StrEnum):
    FREE_TEXT = "free_text"
    STANDARDS = "standards"
    PRACTICES = "practices"
    KEY_RESULTS = "key_results"
    WORKSHOP_TIMELINE = "workshop_timeline"
    ACTIONS_SUMMARY = "actions_summary"
    LESSONS_LEARNED = "lessons_learned"


class Toolkit(Editable, table=True):
    """One edition of the toolkit, with its front matter."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    year: int
    introduction: str = Field(default="", sa_type=sa.Text)
    licence: str = Field(default="", max_length=200)
    language: str = Field(default="en", max_length=8)


class Chapter(Editable, table=True):
    """A community's chapter of one edition, at the place the admin gave it.

    ``approved_number`` is the number of the latest approved revision (0 while
    there is none): what observers read and export.
    """

    __table_args__ = (
        sa.UniqueConstraint("toolkit_id", "community_id", name="uq_chapter_toolkit_community"),
    )

    id: int | None = Field(default=None, primary_key=True)
    toolkit_id: int = Field(foreign_key="toolkit.id", index=True, ondelete="CASCADE")
    community_id: int = Field(foreign_key="community.id", index=True, ondelete="CASCADE")
    position: int = 0
    title: str = Field(max_length=200)
    status: str = Field(default=ChapterStatus.DRAFT, max_length=16)
    approved_number: int = 0


class Section(Editable, table=True):
    """One block of a chapter: free text, or a block built from the community's records."""

    id: int | None = Field(default=None, primary_key=True)
    chapter_id: int = Field(foreign_key="chapter.id", index=True, ondelete="CASCADE")
    position: int = 0
    kind: str = Field(default=SectionKind.FREE_TEXT, max_length=32)
    title: str = Field(max_length=200)
    body: str = Field(default="", sa_type=sa.Text)
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Revision(SQLModel, table=True):
    """An approved, frozen state of a chapter (append-only)."""

    __tablename__ = "chapter_revision"
    __table_args__ = (
        sa.UniqueConstraint("chapter_id", "number", name="uq_chapter_revision_chapter_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chapter_id: int = Field(foreign_key="chapter.id", index=True, ondelete="CASCADE")
    number: int
    title: str = Field(max_length=200)
    markdown: str = Field(sa_type=sa.Text)
    document: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sections: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    approved_by_id: int | None = Field(default=None)
    approved_by_name: str = Field(default="", max_length=200)
    approved_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Comment(Editable, table=True):
    """A reviewer's or author's remark on a section, or a reply to one, open until someone resolves it."""

    __tablename__ = "section_comment"

    id: int | None = Field(default=None, primary_key=True)
    section_id: int = Field(foreign_key="section.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(
        default=None, foreign_key="user.id", index=True, ondelete="SET NULL"
    )
    # The comment this one replies to; None for a comment on the section itself.
    parent_id: int | None = Field(
        default=None, foreign_key="section_comment.id", index=True, ondelete="CASCADE"
    )
    text: str = Field(sa_type=sa.Text)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_by_id: int | None = Field(default=None)
