"""Workshops and visits: record, edit, hold, close and reopen them.

The lifecycle is planned -> held -> closed. Closing needs minutes or a closing
report; a closed workshop is read-only (its agenda, attendance, outcomes and
attachments too) until a facilitator reopens it, because what it concluded
feeds actions, practices and the toolkit chapter. Times are given as the wall
clock of where the workshop happens (or as aware datetimes) and stored as UTC
instants next to the IANA time zone.

Finding and showing workshops lives in ``workshop_finder``; attendance,
attachments, agenda and outcomes have their own modules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from sqlmodel import Session, col, select

from cop.accounts.mentions import notify_mentions
from cop.accounts.notifications import notify_people
from cop.accounts.service import check_time_zone
from cop.calendars.invitations import Reason, send_invitations
from cop.communities.models import Community, Organisation, Person
from cop.communities.service import is_member
from cop.core import clock, records
from cop.core.errors import NotFound, PermissionDenied, ValidationError
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize, can_read
from cop.core.validation import MAX_DATE, MIN_DATE, Checker, record_id, zone_named
from cop.workshops.models import (
    Attendance,
    Workshop,
    WorkshopFormat,
    WorkshopKind,
    WorkshopStatus,
)

KINDS = [k.value for k in WorkshopKind]
FORMATS = [f.value for f in WorkshopFormat]
STATUSES = [s.value for s in WorkshopStatus]
READ_ONLY = N_("This workshop is closed and read-only; a facilitator can reopen it.")
# Bounds how far back a calendar or "upcoming" query looks for workshops still running.
MAX_DURATION = timedelta(days=90)
EDITABLE_FIELDS = (
    "title",
    "kind",
    "format",
    "meeting_link",
    "place",
    "starts_at",
    "ends_at",
    "time_zone",
    "host_organisation_id",
    "objectives",
    "facilitator_ids",
    "minutes",
    "closing_report",
)
# A change of any of these sends the attendees of an upcoming workshop an updated invitation.
WHEN_AND_WHERE = ("starts_at", "ends_at", "time_zone", "place", "meeting_link", "format")
_LINK_RE = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


# --- access --------------------------------------------------------------------------------


def workshop_in_scope(
    session: Session, actor: Actor, workshop_id: Any, operation: str, *, for_update: bool = False
) -> tuple[Workshop, Community]:
    """The workshop and its community if the actor may do ``operation`` there.

    A workshop of a private community the actor cannot read does not exist
    for them (NotFound), the same as one that was never recorded.
    """
    workshop = records.get_live(
        session, Workshop, workshop_id, for_update=for_update, label=N_("workshop")
    )
    community = session.get(Community, workshop.community_id)
    if community is None or community.deleted_at is not None or not can_read(actor, community):
        raise NotFound(
            Message(N_("There is no {label} with id {id}."), label=N_("workshop"), id=workshop_id)
        )
    authorize(actor, operation, community)
    return workshop, community


def editable_workshop(
    session: Session, actor: Actor, workshop_id: Any, operation: str
) -> tuple[Workshop, Community]:
    """Like ``workshop_in_scope`` for a change, refused while the workshop is closed.

    The workshop row is locked so a change cannot slip in beside a concurrent close.
    """
    workshop, community = workshop_in_scope(session, actor, workshop_id, operation, for_update=True)
    if workshop.status == WorkshopStatus.CLOSED:
        raise PermissionDenied(READ_ONLY)
    return workshop, community


def get_workshop(session: Session, actor: Actor, workshop_id: Any) -> Workshop:
    """A workshop the actor may read."""
    return workshop_in_scope(session, actor, workshop_id, "community.read")[0]


def readable_community(session: Session, actor: Actor, community_id: Any) -> Community:
    """A community the actor may read; a private one does not exist for outsiders."""
    community = records.get_live(session, Community, community_id, label=N_("community"))
    if not can_read(actor, community):
        raise NotFound(
            Message(N_("There is no {label} with id {id}."), label=N_("community"), id=community_id)
        )
    return community


# --- checking input ------------------------------------------------------------------------


def zone_or_utc(name: str) -> tzinfo:
    """The named IANA zone, or UTC for a name that is not one (already reported as a field error)."""
    return zone_named(name) or UTC


def check_instant(
    chk: Checker, field: str, value: Any, zone: tzinfo, *, label: str
) -> datetime | None:
    """A moment from an aware datetime, or from a wall-clock time (datetime or ISO text) in ``zone``."""
    if value in (None, ""):
        chk.fail(field, Message(N_("{label} is required."), label=label))
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            chk.fail(
                field,
                Message(N_("{label} must be a date and time like 2026-03-31 10:00."), label=label),
            )
            return None
    if not isinstance(value, datetime):
        chk.fail(field, Message(N_("{label} must be a date and time."), label=label))
        return None
    moment = value if value.tzinfo is not None else value.replace(tzinfo=zone)
    try:
        local_day = moment.astimezone(zone).date()
    except OverflowError:  # an aware time at the very edge of the calendar (year 1 or 9999)
        local_day = None
    if local_day is None or not MIN_DATE <= local_day <= MAX_DATE:
        chk.fail(
            field,
            Message(
                N_("{label} must be between {first} and {last}."),
                label=label,
                first=MIN_DATE,
                last=MAX_DATE,
            ),
        )
        return None
    return moment.astimezone(UTC)


def _check_link(chk: Checker, value: Any) -> str:
    link = "" if value is None else str(value).strip()
    if link and (len(link) > 500 or not _LINK_RE.match(link) or not link.isprintable()):
        chk.fail(
            "meeting_link", N_("The meeting link must be a web address starting with https://.")
        )
    return link


def _check_facilitators(
    session: Session, chk: Checker, community: Community, value: Iterable[Any] | None
) -> list[int]:
    assert community.id is not None  # a stored community
    ids: list[int] = []
    for item in value or ():
        person = session.get(Person, number) if (number := record_id(item)) is not None else None
        if (
            person is None
            or person.deleted_at is not None
            or not is_member(session, community.id, person.id)
        ):
            chk.fail(
                "facilitator_ids",
                Message(
                    N_(
                        "{name} is not a member of {community}; choose facilitators among its members."
                    ),
                    name=person.name,
                    community=community.name,
                )
                if person is not None
                else Message(
                    N_(
                        "Person {id} is not a member of {community}; choose facilitators among its members."
                    ),
                    id=item,
                    community=community.name,
                ),
            )
        elif person.id not in ids:
            assert person.id is not None  # read from the database
            ids.append(person.id)
    return ids


def check_workshop(
    session: Session, chk: Checker, community: Community, data: dict[str, Any]
) -> dict[str, Any]:
    """Every field of a workshop, cleaned, with the rules that tie fields together."""
    values: dict[str, Any] = {
        "title": chk.title("title", data.get("title"), label=N_("The title")),
        "kind": chk.choice("kind", data.get("kind"), KINDS, label=N_("The kind")),
        "format": chk.choice("format", data.get("format"), FORMATS, label=N_("The format")),
        "meeting_link": _check_link(chk, data.get("meeting_link")),
        "place": chk.optional_line("place", data.get("place"), label=N_("The place")),
        "time_zone": check_time_zone(chk, data.get("time_zone")),
        "objectives": chk.long_text(
            "objectives", data.get("objectives"), label=N_("The objectives")
        ),
        "minutes": chk.long_text("minutes", data.get("minutes"), label=N_("The minutes")),
        "closing_report": chk.long_text(
            "closing_report", data.get("closing_report"), label=N_("The closing report")
        ),
        "facilitator_ids": _check_facilitators(
            session, chk, community, data.get("facilitator_ids")
        ),
        "host_organisation_id": data.get("host_organisation_id") or None,
    }
    zone = zone_or_utc(values["time_zone"])
    values["starts_at"] = check_instant(
        chk, "starts_at", data.get("starts_at"), zone, label=N_("The start")
    )
    values["ends_at"] = check_instant(
        chk, "ends_at", data.get("ends_at"), zone, label=N_("The end")
    )
    chk.not_before("ends_at", values["starts_at"], values["ends_at"])
    if (
        values["starts_at"]
        and values["ends_at"]
        and values["ends_at"] - values["starts_at"] > MAX_DURATION
    ):
        chk.fail(
            "ends_at",
            Message(
                N_(
                    "A workshop or visit lasts at most {days} days; record a longer exchange as several."
                ),
                days=MAX_DURATION.days,
            ),
        )
    if (
        values["format"] in (WorkshopFormat.ONLINE, WorkshopFormat.HYBRID)
        and not values["meeting_link"]
    ):
        chk.fail("meeting_link", N_("An online or hybrid workshop needs a meeting link."))
    if (
        values["format"] in (WorkshopFormat.IN_PERSON, WorkshopFormat.HYBRID)
        and not values["place"]
    ):
        chk.fail("place", N_("An in-person or hybrid workshop needs a place."))
    host = values["host_organisation_id"]
    if host is not None:
        organisation = (
            session.get(Organisation, number) if (number := record_id(host)) is not None else None
        )
        if organisation is None or organisation.deleted_at is not None:
            chk.fail(
                "host_organisation_id",
                N_("Choose a host organisation that exists in the workspace."),
            )
        else:
            values["host_organisation_id"] = organisation.id
    return values


# --- recording and editing -----------------------------------------------------------------


def record_workshop(
    session: Session,
    actor: Actor,
    *,
    community_id: int,
    title: str,
    kind: str,
    format: str,
    starts_at: datetime | str,
    ends_at: datetime | str,
    time_zone: str,
    meeting_link: str = "",
    place: str = "",
    host_organisation_id: int | None = None,
    objectives: str = "",
    facilitator_ids: Iterable[int] = (),
) -> Workshop:
    """A new planned workshop of the community."""
    community = readable_community(session, actor, community_id)
    assert community.id is not None  # a stored community
    authorize(actor, "workshop.create", community)
    chk = Checker()
    values = check_workshop(
        session,
        chk,
        community,
        {
            "title": title,
            "kind": kind,
            "format": format,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "time_zone": time_zone,
            "meeting_link": meeting_link,
            "place": place,
            "host_organisation_id": host_organisation_id,
            "objectives": objectives,
            "facilitator_ids": list(facilitator_ids),
        },
    )
    chk.raise_if_any()
    workshop = records.create(
        session, actor, Workshop(community_id=community.id, **values), action="workshop.create"
    )
    send_invitations(session, workshop, community.name, Reason.PLANNED)
    return workshop


NOT_BEGUN_YET = N_(
    "This workshop has not begun yet: it can be marked as held, and closed, once it has started."
)


# A change to any of these reaches the people registered to attend a planned workshop.
WHEN_AND_WHERE = ("starts_at", "ends_at", "time_zone", "format", "place", "meeting_link")


def _notify_attendees(
    session: Session,
    actor: Actor,
    workshop: Workshop,
    community: Community,
    kind: str,
    template: str,
) -> int:
    """Notify the registered attendees who have accounts (not the person making the change)."""
    assert community.id is not None  # a stored community
    attendees = session.exec(
        select(Attendance.person_id).where(
            Attendance.workshop_id == workshop.id,
            col(Attendance.person_id).is_not(None),
            col(Attendance.deleted_at).is_(None),
        )
    )
    start = workshop.starts_at.astimezone(zone_or_utc(workshop.time_zone))
    return notify_people(
        session,
        list(attendees),
        kind=kind,
        message=Message(
            template,
            title=workshop.title,
            community=community.name,
            day=start.date(),
            time=start.strftime("%H:%M"),
            zone=workshop.time_zone,
            where=workshop.place or workshop.meeting_link,
        ),
        community_id=community.id,
        record_type="workshop",
        record_id=workshop.id,
        exclude_user_id=actor.user_id,
    )


def _notify_minutes_mentions(
    session: Session, actor: Actor, workshop: Workshop, community: Community, before: str
) -> None:
    assert community.id is not None  # a stored community
    notify_mentions(
        session,
        actor,
        community_id=community.id,
        text=workshop.minutes,
        before=before,
        message=Message(
            N_("{name} mentioned you in the minutes of “{title}”."),
            name=actor.name,
            title=workshop.title,
        ),
        record_type="workshop",
        record_id=workshop.id,
    )


def update_workshop(
    session: Session, actor: Actor, workshop_id: int, version: int, **changes: Any
) -> Workshop:
    """Change any of ``EDITABLE_FIELDS``; a stale ``version`` is refused showing the other change."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_workshop() cannot change {', '.join(sorted(unknown))}")
    workshop, community = editable_workshop(session, actor, workshop_id, "workshop.update")
    chk = Checker()
    current = {name: getattr(workshop, name) for name in EDITABLE_FIELDS}
    values = check_workshop(session, chk, community, {**current, **changes})
    starts_at = values.get("starts_at")
    if workshop.status != WorkshopStatus.PLANNED and starts_at and starts_at > clock.now():
        chk.fail("starts_at", NOT_BEGUN_YET)
    chk.raise_if_any()
    moved = workshop.status == WorkshopStatus.PLANNED and any(
        values[name] != current[name] for name in WHEN_AND_WHERE
    )
    minutes_before = workshop.minutes
    changed = records.save(
        session,
        actor,
        workshop,
        version,
        values,
        action="workshop.update",
        community_id=community.id,
    )
    if any(name in changed for name in WHEN_AND_WHERE):
        send_invitations(session, workshop, community.name, Reason.CHANGED)
    if moved:
        _notify_attendees(
            session,
            actor,
            workshop,
            community,
            "workshop.changed",
            N_(
                "“{title}” ({community}) changed its time or place: "
                "now {day}, {time} ({zone}), {where}."
            ),
        )
    _notify_minutes_mentions(session, actor, workshop, community, minutes_before)
    return workshop


def mark_held(session: Session, actor: Actor, workshop_id: int, version: int) -> Workshop:
    """The workshop took place: minutes, outcomes and attendance follow."""
    workshop, community = editable_workshop(session, actor, workshop_id, "workshop.update")
    if workshop.status != WorkshopStatus.PLANNED:
        raise ValidationError({"status": N_("Only a planned workshop can be marked as held.")})
    if workshop.starts_at > clock.now():
        # Held and closed workshops count in the key results and the toolkit.
        raise ValidationError({"status": NOT_BEGUN_YET})
    records.save(
        session,
        actor,
        workshop,
        version,
        {"status": WorkshopStatus.HELD},
        action="workshop.hold",
        community_id=community.id,
    )
    return workshop


def close_workshop(
    session: Session,
    actor: Actor,
    workshop_id: int,
    version: int,
    *,
    minutes: str | None = None,
    closing_report: str | None = None,
) -> Workshop:
    """Close a held workshop with its minutes or closing report (Markdown); it becomes read-only."""
    workshop, community = editable_workshop(session, actor, workshop_id, "workshop.close")
    chk = Checker()
    if workshop.status != WorkshopStatus.HELD:
        chk.fail("status", N_("Only a held workshop can be closed; mark it as held first."))
    minutes = chk.long_text(
        "minutes", workshop.minutes if minutes is None else minutes, label=N_("The minutes")
    )
    report = chk.long_text(
        "closing_report",
        workshop.closing_report if closing_report is None else closing_report,
        label=N_("The closing report"),
    )
    if not minutes.strip() and not report.strip():
        chk.fail("minutes", N_("Closing needs minutes or a closing report."))
    chk.raise_if_any()
    minutes_before = workshop.minutes
    records.save(
        session,
        actor,
        workshop,
        version,
        {
            "minutes": minutes,
            "closing_report": report,
            "status": WorkshopStatus.CLOSED,
            "closed_at": clock.now(),
        },
        action="workshop.close",
        community_id=community.id,
    )
    _notify_minutes_mentions(session, actor, workshop, community, minutes_before)
    return workshop


def reopen_workshop(session: Session, actor: Actor, workshop_id: int, version: int) -> Workshop:
    """A facilitator makes a closed workshop editable again (it goes back to held)."""
    workshop, community = workshop_in_scope(
        session, actor, workshop_id, "workshop.reopen", for_update=True
    )
    if workshop.status != WorkshopStatus.CLOSED:
        raise ValidationError({"status": N_("Only a closed workshop can be reopened.")})
    records.save(
        session,
        actor,
        workshop,
        version,
        {"status": WorkshopStatus.HELD, "closed_at": None},
        action="workshop.reopen",
        community_id=community.id,
    )
    return workshop


def delete_workshop(session: Session, actor: Actor, workshop_id: int) -> None:
    """Hide the workshop everywhere; ``restore_workshop`` brings it back."""
    workshop, community = editable_workshop(session, actor, workshop_id, "workshop.delete")
    records.soft_delete(
        session, actor, workshop, action="workshop.delete", community_id=community.id
    )
    send_invitations(session, workshop, community.name, Reason.CANCELLED)
    if workshop.status == WorkshopStatus.PLANNED and workshop.starts_at > clock.now():
        _notify_attendees(
            session,
            actor,
            workshop,
            community,
            "workshop.cancelled",
            N_("“{title}” ({community}) on {day} at {time} ({zone}) was cancelled."),
        )


def restore_workshop(session: Session, actor: Actor, workshop_id: int) -> Workshop:
    workshop = records.get_deleted(session, Workshop, workshop_id)
    community = readable_community(session, actor, workshop.community_id)
    authorize(actor, "workshop.delete", community)
    records.restore(session, actor, workshop, action="workshop.restore", community_id=community.id)
    send_invitations(session, workshop, community.name, Reason.PLANNED)
    return workshop
