"""Joint actions: what a community agreed to do, who owns it, by when, and how far it got.

An action belongs to one community and is owned by one of its members (with
co-owners), led by an organisation (usually a city, whose action plan lists
it) and done with partner organisations. Its progress follows its status, or
its milestones, or (when it has sub-actions) the mean of its children.
Tags are kept on the action as a JSON list (what is shown, audited and
versioned) and indexed in ``action_tag`` so a filter is one indexed lookup on
SQLite and PostgreSQL alike; only the actions service writes either.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from cop.core.columns import Editable, UTCDateTime, utcnow


class ActionStatus(StrEnum):
    IDEA = "idea"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class ProgressMode(StrEnum):
    STATUS = "status"  # each status brings its default percentage; updates may set another
    MILESTONES = "milestones"  # done milestones / all milestones


class Action(Editable, table=True):
    """A joint action, possibly created from an action outcome of a workshop."""

    # Lists read actions in due-date order, the board one status at a time, and both count
    # what the reader may see: these two indexes answer that without touching the rows.
    __table_args__ = (
        sa.Index("ix_action_due_date", "due_date", "status", "community_id", "deleted_at"),
        sa.Index("ix_action_status_due_date", "status", "due_date", "community_id", "deleted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    objective: str = Field(default="", sa_type=sa.Text)
    owner_person_id: int = Field(foreign_key="person.id", index=True)
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="SET NULL"
    )
    start_date: date | None = None
    due_date: date
    status: str = Field(default=ActionStatus.PLANNED, max_length=32)
    progress: int = 0  # percent, 0..100
    progress_mode: str = Field(default=ProgressMode.STATUS, max_length=16)
    priority: str = Field(default=Priority.NORMAL, max_length=16)
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    parent_id: int | None = Field(
        default=None, foreign_key="action.id", index=True, ondelete="SET NULL"
    )
    workshop_id: int | None = Field(
        default=None, foreign_key="workshop.id", index=True, ondelete="SET NULL"
    )
    outcome_id: int | None = Field(
        default=None, foreign_key="outcome.id", index=True, ondelete="SET NULL"
    )


class ActionCoOwner(SQLModel, table=True):
    """A member of the community who shares the ownership of an action."""

    __tablename__ = "action_co_owner"

    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(
        foreign_key="person.id", primary_key=True, index=True, ondelete="CASCADE"
    )


class ActionPartner(SQLModel, table=True):
    """An organisation the action is done with."""

    __tablename__ = "action_partner"

    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    organisation_id: int = Field(
        foreign_key="organisation.id", primary_key=True, index=True, ondelete="CASCADE"
    )


class ActionTag(SQLModel, table=True):
    """One tag of an action; ``key`` is the case-folded value filters match."""

    __tablename__ = "action_tag"

    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    key: str = Field(max_length=60, primary_key=True, index=True)
    value: str = Field(max_length=60)


class ActionMilestone(Editable, table=True):
    """A step of an action; in milestones mode the done ones make its percentage."""

    __tablename__ = "action_milestone"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    due_date: date | None = None
    done: bool = False
    position: int = 0


class ActionIndicator(Editable, table=True):
    """How the action measures its effect: a unit, where it started, where it aims, where it is."""

    __tablename__ = "action_indicator"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    unit: str = Field(default="", max_length=40)
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    position: int = 0


class ActionUpdate(SQLModel, table=True):
    """A dated progress note on an action; together they form its timeline.

    Updates are appended, never edited: they are the record of how the action
    moved, so ``new_status`` / ``new_progress`` keep what this update set.
    """

    __tablename__ = "action_update"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True, ondelete="CASCADE")
    posted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    author_person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    author_user_id: int | None = None
    text: str = Field(sa_type=sa.Text)
    new_status: str | None = Field(default=None, max_length=32)
    new_progress: int | None = None
