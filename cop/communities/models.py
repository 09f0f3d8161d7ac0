"""The tables of the core: who is who, which communities exist, and what happened.

Identity follows DESIGN.md: a User (account) has at most one Person; a Person
may have no account and still attend workshops or own actions; Membership is
(person, community, role).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field

from cop.core.columns import Editable, UTCDateTime
from cop.core.permissions import Role, Visibility


class OrganisationKind(StrEnum):
    CITY = "city"
    NETWORK = "network"
    NGO = "ngo"
    VOLUNTEER_CENTRE = "volunteer_centre"
    OTHER = "other"


class Organisation(Editable, table=True):
    """A city, a network, an NGO or a volunteer centre taking part in communities."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    kind: str = Field(default=OrganisationKind.CITY, max_length=32)
    country: str = Field(default="", max_length=2)  # ISO 3166-1 alpha-2
    latitude: float | None = None
    longitude: float | None = None


class Person(Editable, table=True):
    """City staff, a volunteer or a partner expert; may exist without an account."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    email: str = Field(default="", max_length=254)
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="SET NULL"
    )
    anonymised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Community(Editable, table=True):
    """A Community of Practice: a thematic cluster of cities and partners."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    name: str = Field(max_length=200)
    theme: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    visibility: str = Field(default=Visibility.WORKSPACE, max_length=16)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Membership(Editable, table=True):
    """A person's role in one community."""

    __table_args__ = (
        sa.UniqueConstraint("person_id", "community_id", name="uq_membership_person_community"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    community_id: int = Field(foreign_key="community.id", index=True, ondelete="CASCADE")
    role: str = Field(default=Role.MEMBER, max_length=16)
