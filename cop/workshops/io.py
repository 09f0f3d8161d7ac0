"""Workshops in and out: the filtered list as CSV and iCalendar, attendance as CSV, and CSV import.

Exports page through the same SQL finder as the list, so they show exactly
what the user may see and never hold a whole table in memory at once. The
attendance list names people, so only facilitators may export it and each
export is audited. An import is all-or-nothing: every row is checked first
and a single bad row writes nothing, reporting every row's problems.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from cop.calendars.invitations import workshop_uid
from cop.communities.models import Organisation
from cop.core import clock, records
from cop.core.audit import record_event
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize
from cop.core.validation import Checker, extra_cells
from cop.export.csv_safe import csv_bytes
from cop.workshops.attendance import attendance_list
from cop.workshops.models import Workshop, WorkshopStatus
from cop.workshops.queries import FoundWorkshop, find_workshops
from cop.workshops.service import check_workshop, readable_community, workshop_in_scope, zone_or_utc

EXPORT_PAGE = 500
EXPORT_COLUMNS = [
    "id",
    "community",
    "title",
    "kind",
    "format",
    "status",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "meeting_link",
    "host_organisation",
    "attendees",
]
IMPORT_COLUMNS = [
    "title",
    "kind",
    "format",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "meeting_link",
    "host_organisation",
    "objectives",
    "status",
    "minutes",
    "closing_report",
]
# Where the csv module puts cells beyond the header; no column can be called this (a NUL is refused).
EXTRA = "\x00extra cells"
REQUIRED_IMPORT_COLUMNS = {"title", "kind", "format", "starts_at", "ends_at", "time_zone"}
MAX_IMPORT_ROWS = 5_000


def _all_matching(
    session: Session, actor: Actor, filters: dict[str, Any]
) -> Iterator[FoundWorkshop]:
    filters = {k: v for k, v in filters.items() if k not in ("limit", "offset")}
    offset = 0
    while True:
        rows, total = find_workshops(session, actor, **filters, limit=EXPORT_PAGE, offset=offset)
        yield from rows
        offset += EXPORT_PAGE
        if offset >= total or not rows:
            return


def _local(moment: Any, time_zone: str) -> str:
    """The wall-clock time where the workshop happens, with its UTC offset."""
    return moment.astimezone(zone_or_utc(time_zone)).isoformat(timespec="minutes")


def export_workshops_csv(session: Session, actor: Actor, **filters: Any) -> bytes:
    """The filtered list (same filters as ``find_workshops``) as a formula-safe CSV."""
    rows = (
        [
            r.id,
            r.community,
            r.title,
            r.kind,
            r.format,
            r.status,
            _local(r.starts_at, r.time_zone),
            _local(r.ends_at, r.time_zone),
            r.time_zone,
            r.place,
            r.meeting_link,
            r.host or "",
            r.attendees,
        ]
        for r in _all_matching(session, actor, filters)
    )
    return csv_bytes(EXPORT_COLUMNS, rows)


def export_workshops_ics(session: Session, actor: Actor, **filters: Any) -> bytes:
    """The filtered list as an iCalendar file, each event in its own IANA time zone."""
    from icalendar import Calendar, Event, vText  # loaded on the first export, not with the app

    cal = Calendar()
    cal.add("prodid", "-//CoP Workspace//Workshops//EN")
    cal.add("version", "2.0")
    stamp = clock.now()
    for row in _all_matching(session, actor, filters):
        zone = zone_or_utc(row.time_zone)
        event = Event()
        event.add("uid", workshop_uid(row.id))
        event.add("dtstamp", stamp)
        event.add("summary", row.title)
        event.add("dtstart", row.starts_at.astimezone(zone))
        event.add("dtend", row.ends_at.astimezone(zone))
        location = row.place or row.meeting_link
        if location:
            event.add("location", vText(location))
        if row.meeting_link:
            event.add("url", row.meeting_link)
        event.add("categories", [row.kind])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def export_attendance_csv(session: Session, actor: Actor, workshop_id: int) -> bytes:
    """The attendance list of one workshop; facilitators only, and the export is audited."""
    workshop, community = workshop_in_scope(session, actor, workshop_id, "attendance.export")
    assert workshop.id is not None  # workshop_in_scope read it from the database
    rows = attendance_list(session, workshop.id)
    record_event(
        session,
        actor,
        "attendance.export",
        workshop,
        community_id=community.id,
        changes={"rows": [None, len(rows)]},
    )
    return csv_bytes(
        ["name", "organisation", "role", "attended", "guest"],
        ([r.name, r.organisation, r.role, r.attended, r.guest] for r in rows),
    )


@dataclass
class ImportReport:
    """What an import found: a preview of each good row and the problems of each bad one."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[int, dict[str, str]] = field(default_factory=dict)  # CSV line -> field -> message
    created: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_csv(data: bytes, report: ImportReport) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors[1] = {
            "file": N_("The file is not UTF-8 text; save it as CSV UTF-8 and try again.")
        }
        return []
    if "\x00" in text:
        report.errors[1] = {
            "file": N_("The file contains NUL characters; is it really a CSV file?")
        }
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey=EXTRA)
    try:
        header = {(name or "").strip() for name in reader.fieldnames or []}
        missing = REQUIRED_IMPORT_COLUMNS - header
        if missing:
            report.errors[1] = {
                "file": Message(
                    N_("Missing columns: {missing}. Expected: {columns}."),
                    missing=", ".join(sorted(missing)),
                    columns=", ".join(IMPORT_COLUMNS),
                )
            }
            return []
        rows = [{(k or "").strip(): (v or "") for k, v in row.items()} for row in reader]
    except csv.Error as exc:  # e.g. a cell beyond the csv module's field size limit
        report.errors[1] = {
            "file": Message(N_("The CSV file cannot be read: {problem}."), problem=exc)
        }
        return []
    if not rows:
        report.errors[1] = {"file": N_("The file has no rows below its header.")}
    elif len(rows) > MAX_IMPORT_ROWS:
        report.errors[1] = {
            "file": Message(
                N_("The file has {count:,} rows; import at most {maximum:,} at once."),
                count=len(rows),
                maximum=MAX_IMPORT_ROWS,
            )
        }
        return []
    return rows


def _check_row(
    session: Session, row: dict[str, str], community: Any, hosts: dict[str, int]
) -> tuple[dict[str, Any], dict[str, str]]:
    chk = Checker()
    host_name = row.get("host_organisation", "").strip()
    host_id = hosts.get(host_name) if host_name else None
    if host_name and host_id is None:
        chk.fail(
            "host_organisation",
            Message(
                N_("There is no organisation called {name!r} in the workspace."), name=host_name
            ),
        )
    values = check_workshop(
        session, chk, community, {**row, "host_organisation_id": host_id, "facilitator_ids": []}
    )
    values["status"] = chk.choice(
        "status",
        row.get("status", "").strip() or WorkshopStatus.HELD,
        [WorkshopStatus.HELD, WorkshopStatus.CLOSED],
        label=N_("The status of an imported workshop"),
    )
    if values["starts_at"] is not None and values["starts_at"] > clock.now():
        chk.fail(
            "starts_at", N_("Only past workshops can be imported; plan future ones in the list.")
        )
    if values["status"] == WorkshopStatus.CLOSED:
        if not values["minutes"].strip() and not values["closing_report"].strip():
            chk.fail("minutes", N_("A closed workshop needs minutes or a closing report."))
        values["closed_at"] = values["ends_at"]
    return values, chk.errors


def import_workshops_csv(
    session: Session, actor: Actor, community_id: int, data: bytes, *, dry_run: bool
) -> ImportReport:
    """Check every row of a CSV of past workshops; unless ``dry_run`` and only if all are good, record them."""
    community = readable_community(session, actor, community_id)
    authorize(actor, "workshop.import", community)
    report = ImportReport()
    rows = _read_csv(data, report)
    names = {row.get("host_organisation", "").strip() for row in rows} - {""}
    found = session.exec(
        select(Organisation.name, Organisation.id)
        .where(col(Organisation.name).in_(names or {""}), col(Organisation.deleted_at).is_(None))
        .order_by(col(Organisation.id).desc())  # with namesakes, the oldest wins
    ).all()
    hosts = {name: id_ for name, id_ in found if id_ is not None}  # primary keys: never None
    for line, row in enumerate(rows, start=2):
        extra = extra_cells(row.pop(EXTRA, None))  # type: ignore[arg-type]  # DictReader gives the cells past the header as a list under restkey; its stub says str
        values, errors = _check_row(session, row, community, hosts)
        if extra is not None:
            errors = {**errors, "file": extra}
        if errors:
            report.errors[line] = errors
        else:
            report.rows.append({"line": line, **values})
    if dry_run or not report.ok:
        return report
    assert community.id is not None  # readable_community read it from the database
    for values in report.rows:
        workshop = Workshop(
            community_id=community.id, **{k: v for k, v in values.items() if k != "line"}
        )
        records.create(session, actor, workshop, action="workshop.import")
        assert workshop.id is not None  # records.create flushed it
        report.created.append(workshop.id)
    return report
