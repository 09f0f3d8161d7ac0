"""Good-practice examples, in the fields of the European integration practice template; a community's
standards (benchmarks) and its cities' dated self-assessments against them.

A practice belongs to one community and is run by one city (``organisation_id``)
with any number of implementing organisations. Themes and target groups are
kept on the practice as JSON lists (what is shown, audited and versioned) and
indexed in ``practice_tag``: an indexed ``(kind, key)`` lookup filters the
same way on SQLite and PostgreSQL, where JSON containment would need
different SQL on each. Only the practices service writes either, together.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from cop.core.columns import Editable, UTCDateTime, utcnow


class ReviewStatus(StrEnum):
    """The review workflow shared by practices and standards."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"


class TagKind(StrEnum):
    THEME = "theme"
    TARGET_GROUP = "target_group"


class Practice(Editable, table=True):
    """A practice a city runs, written up so that another city can learn from it."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="RESTRICT")
    started_on: date | None = None
    ended_on: date | None = None
    is_regular_service: bool = False
    summary: str = Field(default="", sa_type=sa.Text)
    challenge: str = Field(default="", sa_type=sa.Text)
    goals: str = Field(default="", sa_type=sa.Text)
    how_it_works: str = Field(default="", sa_type=sa.Text)
    results: str = Field(default="", sa_type=sa.Text)
    evaluation: str = Field(default="", sa_type=sa.Text)
    beneficiaries: str = Field(default="", sa_type=sa.Text)
    people_reached: int | None = None
    funding: str = Field(default="", sa_type=sa.Text)
    # Transferability: does it continue, how is that funded, what would another city need.
    continues: bool | None = None
    continuation_funding: str = Field(default="", sa_type=sa.Text)
    transfer_needs: str = Field(default="", sa_type=sa.Text)
    volunteers_role: str = Field(default="", sa_type=sa.Text)
    contact: str = Field(default="", sa_type=sa.Text)
    links: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The record's own copy of its tags (shown, audited, versioned); practice_tag indexes them.
    themes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    target_groups: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=ReviewStatus.DRAFT, max_length=16, index=True)
    review_note: str = Field(default="", sa_type=sa.Text)


class PracticeTag(SQLModel, table=True):
    """A theme or target group of a practice; ``key`` is the case-folded value filters match."""

    __tablename__ = "practice_tag"
    __table_args__ = (sa.Index("ix_practice_tag_kind_key", "kind", "key"),)

    practice_id: int = Field(foreign_key="practice.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(max_length=16, primary_key=True)
    key: str = Field(max_length=60, primary_key=True)
    value: str = Field(max_length=60)


class PracticeOrganisation(SQLModel, table=True):
    """An organisation that implements the practice with the city."""

    __tablename__ = "practice_organisation"

    practice_id: int = Field(foreign_key="practice.id", primary_key=True, ondelete="CASCADE")
    organisation_id: int = Field(
        foreign_key="organisation.id", primary_key=True, index=True, ondelete="CASCADE"
    )


class PracticeWorkshop(SQLModel, table=True):
    """A workshop or visit where the practice was presented."""

    __tablename__ = "practice_workshop"

    practice_id: int = Field(foreign_key="practice.id", primary_key=True, ondelete="CASCADE")
    workshop_id: int = Field(
        foreign_key="workshop.id", primary_key=True, index=True, ondelete="CASCADE"
    )


class PracticeImage(Editable, table=True):
    """A picture of the practice, stored in the database so backups and replicas carry it."""

    __tablename__ = "practice_image"

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True, ondelete="CASCADE")
    content_type: str = Field(max_length=32)
    data: bytes = Field(sa_type=sa.LargeBinary)
    alt_text: str = Field(max_length=500)
    credit: str = Field(default="", max_length=200)


class Standard(Editable, table=True):
    """What good looks like, with the success factors and questions a city measures itself by."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True, ondelete="CASCADE")
    position: int = 0
    title: str = Field(max_length=200)
    statement: str = Field(default="", sa_type=sa.Text)
    success_factors: str = Field(default="", sa_type=sa.Text)
    guiding_questions: str = Field(default="", sa_type=sa.Text)
    indicators: str = Field(default="", sa_type=sa.Text)
    status: str = Field(default=ReviewStatus.DRAFT, max_length=16)
    review_note: str = Field(default="", sa_type=sa.Text)


class SelfAssessment(SQLModel, table=True):
    """One city's score against one standard on one date.

    Append-only: a new score is a new row, so progress over time stays
    visible; the latest row (by ``assessed_on``, then id) per city and
    standard is the current score. ``community_id`` repeats the standard's
    so heatmaps of a community filter on an index without a join.
    """

    __tablename__ = "self_assessment"
    __table_args__ = (
        sa.Index("ix_self_assessment_latest", "standard_id", "organisation_id", "assessed_on"),
        sa.CheckConstraint("score BETWEEN 0 AND 4", name="score_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True, ondelete="CASCADE")
    standard_id: int = Field(foreign_key="standard.id", ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    score: int
    evidence: str = Field(default="", sa_type=sa.Text)
    assessed_on: date
    shared_beyond_community: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    created_by_id: int | None = Field(default=None)
