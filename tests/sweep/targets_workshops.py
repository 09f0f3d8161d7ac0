"""Workshops: record and edit, the time span, closing, agenda, attendance (guests too), outcomes,
attachments (names, types, empty files) and the CSV import of past workshops."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from cop.communities.models import Organisation
from cop.core.errors import ValidationError
from cop.workshops import agenda, attachments, attendance, outcomes
from cop.workshops import io as workshop_io
from cop.workshops import service as workshops
from cop.workshops.models import AgendaItem, Attachment, Attendance, Outcome, Workshop

from .inputs import (
    CHOICE,
    COUNT,
    FILENAME,
    FLAG,
    INSTANT,
    LINE,
    LINK,
    LONG,
    ORGANISATION,
    PERSON,
    PNG,
    TIME_ZONE,
    UPLOAD,
    Bad,
    as_lists,
    in_a_file,
    refusing,
    sample,
)
from .rule import Target, as_id, as_whole, attribute, instant_in, trimmed
from .world import HostileWorld, serial

START = datetime(2025, 3, 10, 10, 0)
ZONE = "Europe/Berlin"
BASE: dict[str, Any] = {
    "kind": "workshop",
    "format": "in_person",
    "place": "Town hall",
    "starts_at": START,
    "ends_at": START + timedelta(hours=6),
    "time_zone": ZONE,
    "meeting_link": "",
}
SPAN = refusing(
    [
        Bad("end-before-start", (START, START - timedelta(minutes=1))),
        Bad("end-a-day-before", ("2025-03-10T10:00", "2025-03-09T16:00")),
        Bad("same-moment", (START, START)),
        Bad("ninety-one-days", (START, START + timedelta(days=91))),
        Bad("across-dst-change", ("2025-03-30T01:30", "2025-03-30T03:30")),
        Bad("nonexistent-local-time", ("2025-03-30T02:30", "2025-03-30T04:00")),
        Bad("ambiguous-local-time", ("2025-10-26T02:30", "2025-10-26T04:00")),
    ],
    "end-before-start",
    "end-a-day-before",
    "ninety-one-days",
)


def _record(field: str, **extra: Any) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Workshop:
        values = {**BASE, "title": f"Workshop {serial()}", **extra, field: v}
        return workshops.record_workshop(s, w.member, community_id=w.community.id, **values)  # type: ignore[arg-type]

    return call


def _record_span(s: Session, w: HostileWorld, v: Any) -> Workshop:
    values = {**BASE, "title": f"Workshop {serial()}", "starts_at": v[0], "ends_at": v[1]}
    return workshops.record_workshop(s, w.member, community_id=w.community.id, **values)  # type: ignore[arg-type]


def _span(s: Session, record: Workshop) -> tuple[datetime, datetime]:
    stored = s.get(Workshop, record.id)
    return stored.starts_at, stored.ends_at  # type: ignore[union-attr]


def _as_span(value: tuple[Any, Any]) -> tuple[datetime, datetime]:
    return instant_in(ZONE)(value[0]), instant_in(ZONE)(value[1])


def _update(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Workshop:
        values = {
            **BASE,
            "title": "Kick-off",
            "host_organisation_id": None,
            "facilitator_ids": [],
            field: v,
        }
        return workshops.update_workshop(
            s, w.member, w.workshop, w.version(s, Workshop, w.workshop), **values
        )

    return call


def _close(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Workshop:
        held = w.held_workshop(s)
        values = {"minutes": "", "closing_report": "", field: v}
        return workshops.close_workshop(s, w.member, held.id, held.version, **values)  # type: ignore[arg-type]

    return call


def _agenda(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> AgendaItem:
        values = {"title": f"Item {serial()}", field: v}
        return agenda.add_agenda_item(s, w.member, w.workshop, **values)

    return call


def _update_agenda(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> AgendaItem:
        values = {"title": "Welcome", field: v}
        return agenda.update_agenda_item(
            s, w.member, w.agenda_item, w.version(s, AgendaItem, w.agenda_item), **values
        )

    return call


def _attendee(s: Session, w: HostileWorld, v: Any) -> Attendance:
    return attendance.add_attendee(s, w.member, w.planned_workshop(s).id, person_id=v)  # type: ignore[arg-type]


def _guest(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Attendance:
        values = {"name": "Guest", "organisation": "NGO", field: v}
        return attendance.add_guest(s, w.member, w.workshop, **values)

    return call


def _update_attendance(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Attendance:
        values = {"role": "participant", "attended": True, field: v}
        return attendance.update_attendance(
            s, w.member, w.attendance, w.version(s, Attendance, w.attendance), **values
        )

    return call


def _outcome(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Outcome:
        values = {"kind": "decision", "text": "We decided.", field: v}
        return outcomes.add_outcome(s, w.member, w.workshop, **values)

    return call


def _update_outcome(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Outcome:
        values = {"kind": "insight", "text": "We learned.", field: v}
        return outcomes.update_outcome(
            s, w.member, w.outcome, w.version(s, Outcome, w.outcome), **values
        )

    return call


def _attach(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Attachment:
        values = {"filename": "photo.png", "content": PNG, field: v}
        return attachments.add_attachment(s, w.member, w.workshop, **values)

    return call


def _update_attachment(s: Session, w: HostileWorld, v: Any) -> Attachment:
    version = w.version(s, Attachment, w.attachment)
    return attachments.update_attachment(
        s, w.member, w.attachment, version, caption=v, shows_people=False, consent_confirmed=False
    )


def _names(s: Session, record: Attachment) -> tuple[str, str]:
    stored = s.get(Attachment, record.id)
    return stored.filename, stored.original_name  # type: ignore[union-attr]


class _ServerName:
    """The stored name is the server's (slug + detected extension); the original is kept."""

    def __init__(self, typed: str) -> None:
        self.typed = typed

    def __eq__(self, stored: object) -> bool:
        name, original = stored  # type: ignore[misc]
        return (
            bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*\.png", name))
            and original == self.typed[-255:]
        )

    def __repr__(self) -> str:
        return f"a server-chosen .png name and the original {self.typed!r}"


IMPORT_ROW = {
    "title": "Imported",
    "kind": "workshop",
    "format": "in_person",
    "starts_at": "2024-05-02T10:00",
    "ends_at": "2024-05-02T16:00",
    "time_zone": ZONE,
    "place": "Hall",
    "meeting_link": "",
    "host_organisation": "",
    "objectives": "",
    "status": "held",
    "minutes": "",
    "closing_report": "",
}


def csv_file(header: list[str], row: list[Any]) -> bytes:
    """A spreadsheet's CSV; text UTF-8 cannot hold makes the file invalid UTF-8, as it would be."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerow(row)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def _import(column: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Workshop:
        row = {**IMPORT_ROW, "title": f"Imported {serial()}", column: v}
        data = csv_file(list(row), list(row.values()))
        report = workshop_io.import_workshops_csv(
            s, w.facilitator, w.community.id, data, dry_run=False
        )  # type: ignore[arg-type]
        if report.errors:
            raise ValidationError(
                {f: m for problems in report.errors.values() for f, m in problems.items()}
            )
        return s.get(Workshop, report.created[0])  # type: ignore[return-value]

    return call


def _ids(value: Any) -> list[int]:
    return [as_id(v) for v in value]


def _host_name(s: Session, record: Workshop) -> str | None:
    host = s.get(Workshop, record.id).host_organisation_id  # type: ignore[union-attr]
    return s.get(Organisation, host).name if host is not None else None  # type: ignore[union-attr]


def _named_or_none(value: Any) -> str | None:
    return str(value).strip() or None


def _status_or_held(value: Any) -> str:
    return str(value or "").strip() or "held"


TARGETS: list[Target] = [
    Target("record_workshop", "title", LINE, _record("title"), attribute("title"), trimmed),
    Target("record_workshop", "kind", CHOICE, _record("kind"), attribute("kind")),
    Target("record_workshop", "format", CHOICE, _record("format"), attribute("format")),
    Target("record_workshop", "place", LINE, _record("place"), attribute("place"), trimmed),
    Target(
        "record_workshop",
        "meeting_link",
        LINK,
        _record("meeting_link", format="online"),
        attribute("meeting_link"),
        trimmed,
    ),
    Target(
        "record_workshop",
        "starts_at",
        INSTANT,
        _record("starts_at"),
        attribute("starts_at"),
        instant_in(ZONE),
        also=("ends_at",),
    ),
    Target(
        "record_workshop",
        "ends_at",
        INSTANT,
        _record("ends_at"),
        attribute("ends_at"),
        instant_in(ZONE),
    ),
    Target("record_workshop", "ends_at", SPAN, _record_span, _span, _as_span),
    Target(
        "record_workshop",
        "time_zone",
        TIME_ZONE,
        _record("time_zone"),
        attribute("time_zone"),
        trimmed,
    ),
    Target("record_workshop", "objectives", LONG, _record("objectives"), attribute("objectives")),
    Target(
        "record_workshop",
        "host_organisation_id",
        ORGANISATION,
        _record("host_organisation_id"),
        attribute("host_organisation_id"),
        as_id,
    ),
    Target(
        "record_workshop",
        "facilitator_ids",
        as_lists(PERSON),
        _record("facilitator_ids"),
        attribute("facilitator_ids"),
        _ids,
    ),
    Target("update_workshop", "title", sample(LINE), _update("title"), attribute("title"), trimmed),
    Target("update_workshop", "place", sample(LINE), _update("place"), attribute("place"), trimmed),
    Target(
        "update_workshop",
        "meeting_link",
        LINK,
        _update("meeting_link"),
        attribute("meeting_link"),
        trimmed,
    ),
    Target(
        "update_workshop",
        "objectives",
        sample(LONG),
        _update("objectives"),
        attribute("objectives"),
    ),
    Target("update_workshop", "minutes", sample(LONG), _update("minutes"), attribute("minutes")),
    Target(
        "update_workshop",
        "starts_at",
        INSTANT,
        _update("starts_at"),
        attribute("starts_at"),
        instant_in(ZONE),
        also=("ends_at",),
    ),
    Target(
        "update_workshop",
        "time_zone",
        TIME_ZONE,
        _update("time_zone"),
        attribute("time_zone"),
        trimmed,
    ),
    Target(
        "update_workshop",
        "host_organisation_id",
        ORGANISATION,
        _update("host_organisation_id"),
        attribute("host_organisation_id"),
        as_id,
    ),
    Target(
        "update_workshop",
        "facilitator_ids",
        as_lists(PERSON),
        _update("facilitator_ids"),
        attribute("facilitator_ids"),
        _ids,
    ),
    Target("close_workshop", "minutes", LONG, _close("minutes"), attribute("minutes")),
    Target(
        "close_workshop",
        "closing_report",
        LONG,
        _close("closing_report"),
        attribute("closing_report"),
        also=("minutes",),
    ),
    Target("add_agenda_item", "title", LINE, _agenda("title"), attribute("title"), trimmed),
    Target(
        "add_agenda_item", "presenter", LINE, _agenda("presenter"), attribute("presenter"), trimmed
    ),
    Target(
        "add_agenda_item",
        "duration_minutes",
        COUNT,
        _agenda("duration_minutes"),
        attribute("duration_minutes"),
        as_whole,
    ),
    Target(
        "update_agenda_item",
        "title",
        sample(LINE),
        _update_agenda("title"),
        attribute("title"),
        trimmed,
    ),
    Target(
        "update_agenda_item",
        "duration_minutes",
        COUNT,
        _update_agenda("duration_minutes"),
        attribute("duration_minutes"),
        as_whole,
    ),
    Target("add_attendee", "person_id", PERSON, _attendee, attribute("person_id"), as_id),
    Target("add_guest", "guest_name", LINE, _guest("name"), attribute("guest_name"), trimmed),
    Target(
        "add_guest",
        "guest_organisation",
        LINE,
        _guest("organisation"),
        attribute("guest_organisation"),
        trimmed,
    ),
    Target("add_guest", "role", CHOICE, _guest("role"), attribute("role")),
    Target("add_guest", "attended", FLAG, _guest("attended"), attribute("attended")),
    Target("update_attendance", "role", CHOICE, _update_attendance("role"), attribute("role")),
    Target(
        "update_attendance", "attended", FLAG, _update_attendance("attended"), attribute("attended")
    ),
    Target("add_outcome", "text", LONG, _outcome("text"), attribute("text")),
    Target("add_outcome", "kind", CHOICE, _outcome("kind"), attribute("kind")),
    Target("update_outcome", "text", sample(LONG), _update_outcome("text"), attribute("text")),
    Target("add_attachment", "filename", FILENAME, _attach("filename"), _names, _ServerName),
    Target("add_attachment", "file", UPLOAD, _attach("content"), attribute("content")),
    Target(
        "add_attachment",
        "caption",
        LINE,
        _attach("caption"),
        attribute("caption"),
        trimmed,
        allow=("201-chars",),
    ),
    Target(
        "update_attachment",
        "caption",
        sample(LINE),
        _update_attachment,
        attribute("caption"),
        trimmed,
        allow=("201-chars",),
    ),
    Target(
        "import_workshops_csv",
        "title",
        in_a_file(LINE),
        _import("title"),
        attribute("title"),
        trimmed,
        also=("file",),
    ),
    Target(
        "import_workshops_csv",
        "place",
        in_a_file(LINE),
        _import("place"),
        attribute("place"),
        trimmed,
        also=("file",),
    ),
    Target(
        "import_workshops_csv",
        "objectives",
        in_a_file(LONG),
        _import("objectives"),
        attribute("objectives"),
        also=("file",),
    ),
    Target(
        "import_workshops_csv",
        "starts_at",
        [b for b in INSTANT if isinstance(b.value, str)],
        _import("starts_at"),
        attribute("starts_at"),
        instant_in(ZONE),
        also=("file", "ends_at"),
    ),
    Target(
        "import_workshops_csv",
        "time_zone",
        in_a_file(TIME_ZONE),
        _import("time_zone"),
        attribute("time_zone"),
        trimmed,
        also=("file",),
    ),
    Target(
        "import_workshops_csv",
        "host_organisation",
        in_a_file(LINE),
        _import("host_organisation"),
        _host_name,
        _named_or_none,
        also=("file",),
    ),
    Target(
        "import_workshops_csv",
        "status",
        in_a_file(CHOICE),
        _import("status"),
        attribute("status"),
        _status_or_held,
        also=("file",),
    ),
]
