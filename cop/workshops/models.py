"""Workshops and visits with their agenda, attendance, typed outcomes and attachments.

A workshop's times are stored as UTC instants together with the IANA time zone
of where it happens, so a calendar export and every viewer's own time zone can
show the same moment correctly. Attendance counts per organisation and city
are never stored: they are derived from attendance rows in SQL.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field

from cop.core.columns import Editable, UTCDateTime


class WorkshopKind(StrEnum):
    WORKSHOP = "workshop"
    STUDY_VISIT = "study_visit"
    STAFF_EXCHANGE = "staff_exchange"
    CITY_DIALOGUE = "city_dialogue"
    PLANNING_SESSION = "planning_session"


class WorkshopFormat(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class WorkshopStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CLOSED = "closed"  # read-only until a facilitator reopens it


class AttendanceRole(StrEnum):
    HOST = "host"
    SPEAKER = "speaker"
    PARTICIPANT = "participant"


class OutcomeKind(StrEnum):
    INSIGHT = "insight"
    DECISION = "decision"
    ACTION = "action"  # offers "create action"


class Workshop(Editable, table=True):
    """A workshop, study visit, staff exchange, city dialogue or planning session."""

    # Lists count the live workshops of the readable communities, filtered by status, kind, format,
    # host or date, from this index alone, without reading the rows.
    __table_args__ = (
        sa.Index(
            "ix_workshop_community_live",
            "community_id",
            "deleted_at",
            "status",
            "kind",
            "format",
            "host_organisation_id",
            "starts_at",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", ondelete="CASCADE")
    title: str = Field(max_length=200)
    kind: str = Field(default=WorkshopKind.WORKSHOP, max_length=32)
    format: str = Field(default=WorkshopFormat.IN_PERSON, max_length=16)
    meeting_link: str = Field(default="", max_length=500)
    place: str = Field(default="", max_length=200)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    time_zone: str = Field(default="Europe/Brussels", max_length=64)
    host_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="SET NULL"
    )
    objectives: str = Field(default="", sa_type=sa.Text)
    status: str = Field(default=WorkshopStatus.PLANNED, max_length=16)
    minutes: str = Field(default="", sa_type=sa.Text)
    closing_report: str = Field(default="", sa_type=sa.Text)
    # Person ids of the people who run it; each is a member of the community.
    facilitator_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AgendaItem(Editable, table=True):
    """One point of a workshop's programme, in order."""

    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    position: int = 0
    title: str = Field(max_length=200)
    duration_minutes: int | None = None
    presenter: str = Field(default="", max_length=200)


class Attendance(Editable, table=True):
    """A member of the community, or a guest without an account, at one workshop."""

    __table_args__ = (
        sa.UniqueConstraint("workshop_id", "person_id", name="uq_attendance_workshop_person"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    person_id: int | None = Field(
        default=None, foreign_key="person.id", index=True, ondelete="SET NULL"
    )
    guest_name: str = Field(default="", max_length=200)
    guest_organisation: str = Field(default="", max_length=200)
    role: str = Field(default=AttendanceRole.PARTICIPANT, max_length=16)
    attended: bool = False


class Outcome(Editable, table=True):
    """What a workshop produced: an insight, a decision or an action.

    The action created from an action outcome points back here
    (``action.outcome_id``), so the link has one owner and no foreign-key cycle.
    """

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    kind: str = Field(default=OutcomeKind.INSIGHT, max_length=16)
    text: str = Field(sa_type=sa.Text)


class Attachment(Editable, table=True):
    """A photo, slide deck or document, kept in the database so backups and replicas carry it.

    The stored ``filename`` and ``content_type`` are chosen by the server from
    the file's content, never taken from the upload.
    """

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    filename: str = Field(max_length=120)
    original_name: str = Field(default="", max_length=255)
    content_type: str = Field(max_length=120)
    size: int
    content: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    caption: str = Field(default="", max_length=500)
    shows_people: bool = False
    consent_confirmed: bool = False  # the people shown agreed to the photo being shared
