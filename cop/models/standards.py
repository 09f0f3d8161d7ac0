"""A community's standards (benchmarks) and its cities' dated self-assessments against them."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from cop.core.columns import Editable, UTCDateTime, utcnow
from cop.models.practices import ReviewStatus


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
