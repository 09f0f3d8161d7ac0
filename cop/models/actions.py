"""Joint actions: what a community agreed to do, who owns it and by when."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from cop.models.base import Editable


class Action(Editable, table=True):
    """A joint action, possibly created from an action outcome of a workshop."""

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    owner_person_id: int = Field(foreign_key="person.id", index=True)
    due_date: date
    status: str = Field(default="planned", max_length=32)
    progress: int = 0  # percent, 0..100
    workshop_id: int | None = Field(default=None, foreign_key="workshop.id", index=True, ondelete="SET NULL")
    outcome_id: int | None = Field(default=None, foreign_key="outcome.id", index=True, ondelete="SET NULL")
