"""Invitations people's calendars accept: an iTIP message (RFC 5546) by e-mail through the outbox.

When a workshop is planned with a date still ahead, or its time or place changes,
each registered attendee with an e-mail address gets a ``METHOD:REQUEST``; when it
is cancelled (deleted), a ``METHOD:CANCEL``. A person added to the attendance list
of an upcoming workshop gets the request, one taken off it a cancel naming only
them (the event goes on, so no ``STATUS:CANCELLED``). A workshop that has begun
sends nothing: the message would only fill calendars with corrections of the past.

Every message names one attendee (attendees never see each other's addresses),
is written in that attendee's language (their account's; the workspace's default
for a person without one) and goes into the outbox in the transaction of the
change, so a change that rolls back invites nobody. Nothing is queued while no
mail server is configured, as for every other e-mail.

The UID is the one the calendar feed and the .ics export use, and SEQUENCE follows
the record's version as in the feed, so a calendar that has the workshop from the
subscription updates that event instead of adding a second one. The ORGANIZER is
the workspace's own sending address (the From of the mail), which stays the same
whoever edits the workshop, so calendars accept every update as from the organiser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from icalendar import Calendar, Event, vCalAddress, vText
from sqlmodel import Session, col, select

from cop.accounts.models import User
from cop.communities.models import Person
from cop.core import clock, mailer, settings
from cop.core.i18n import DEFAULT_LANGUAGE, format_day, translator
from cop.core.validation import zone_named
from cop.outbox import service as outbox
from cop.workshops.models import Attendance, Workshop, WorkshopStatus

PRODID = "-//CoP Workspace//Invitations//EN"
ATTACHMENT_NAME = "invite.ics"
ZONE_MARGIN = timedelta(days=366)


class Reason(StrEnum):
    """Why the message goes out; it chooses the method, the subject and the text."""

    PLANNED = "planned"  # a new upcoming workshop, or one a person was just registered for
    CHANGED = "changed"  # its time or place moved
    CANCELLED = "cancelled"  # the workshop will not take place
    UNREGISTERED = "unregistered"  # this person was taken off the attendance list


def workshop_uid(workshop_id: int | None) -> str:
    """The UID of a workshop in every calendar object the workspace writes (feed, export, invitation)."""
    return f"workshop-{workshop_id}@cop-workspace"


def workshop_sequence(version: int) -> int:
    """SEQUENCE from the record's version: 0 when recorded, one more with every change."""
    return max(version - 1, 0)


@dataclass(frozen=True)
class Invitee:
    person_id: int
    name: str
    email: str
    language: str


def invitees(
    session: Session, workshop_id: int, person_ids: list[int] | None = None
) -> list[Invitee]:
    """The workshop's registered attendees with an e-mail address (guests have none).

    ``person_ids`` narrows it to those people, whether or not they are still on the list
    (one just taken off it is told so).
    """
    stmt = (
        select(Person.id, Person.name, Person.email, User.language)
        .join(User, col(User.person_id) == Person.id, isouter=True)
        .where(col(Person.deleted_at).is_(None), col(Person.anonymised_at).is_(None))
        .where(Person.email != "")
        .order_by(col(Person.id))
    )
    if person_ids is None:
        registered = select(Attendance.person_id).where(
            Attendance.workshop_id == workshop_id, col(Attendance.deleted_at).is_(None)
        )
        stmt = stmt.where(col(Person.id).in_(registered))
    else:
        stmt = stmt.where(col(Person.id).in_(person_ids))
    return [
        Invitee(person_id, name, email.strip(), language or DEFAULT_LANGUAGE)
        for person_id, name, email, language in session.exec(stmt).all()
        if person_id is not None and email and email.strip()
    ]


def when_text(workshop: Workshop, language: str) -> str:
    """The workshop's time where it happens, as the reader's language writes days."""
    zone = zone_named(workshop.time_zone) or UTC
    start = workshop.starts_at.astimezone(zone)
    end = workshop.ends_at.astimezone(zone)
    first = format_day(start.date(), language)
    if start.date() == end.date():
        span = f"{first}, {start:%H:%M}–{end:%H:%M}"
    else:
        span = f"{first} {start:%H:%M} – {format_day(end.date(), language)} {end:%H:%M}"
    return f"{span} ({workshop.time_zone})"


def where_text(workshop: Workshop) -> str:
    return ", ".join(part for part in (workshop.place, workshop.meeting_link) if part)


def method_of(reason: Reason) -> str:
    return "REQUEST" if reason in (Reason.PLANNED, Reason.CHANGED) else "CANCEL"


def invitation_ics(
    workshop: Workshop,
    *,
    community_name: str,
    organizer_email: str,
    invitee: Invitee,
    reason: Reason,
    now: datetime,
) -> str:
    """One iTIP message for one attendee: METHOD, and a VEVENT with its time zone's VTIMEZONE."""
    _ = translator(invitee.language)
    method = method_of(reason)
    zone = zone_named(workshop.time_zone) or UTC
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    event = Event()
    event.add("uid", workshop_uid(workshop.id))
    event.add("sequence", workshop_sequence(workshop.version))
    event.add("dtstamp", now)
    event.add("created", workshop.created_at)
    event.add("last-modified", workshop.updated_at)
    event.add("dtstart", workshop.starts_at.astimezone(zone))
    event.add("dtend", workshop.ends_at.astimezone(zone))
    event.add("summary", workshop.title)
    location = workshop.place or workshop.meeting_link
    if location:
        event.add("location", vText(location))
    if workshop.meeting_link:
        event.add("url", workshop.meeting_link)
    event.add(
        "description",
        _("{community} in CoP Workspace").format(community=community_name)
        + (f"\n{workshop.meeting_link}" if workshop.meeting_link else ""),
    )
    event.add("organizer", vCalAddress.new(organizer_email, cn=community_name))
    if method == "REQUEST":
        attendee = vCalAddress.new(
            invitee.email,
            cn=invitee.name,
            cutype="INDIVIDUAL",
            role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION",
            rsvp=True,
        )
    else:
        attendee = vCalAddress.new(invitee.email, cn=invitee.name, cutype="INDIVIDUAL")
    event.add("attendee", attendee)
    event.add("transp", "OPAQUE")
    # Only a cancel of the whole event says CANCELLED; taking one person off leaves it standing.
    event.add("status", "CANCELLED" if reason == Reason.CANCELLED else "CONFIRMED")
    cal.add_component(event)
    # The zone's rules around the event only: a year either side keeps the message small.
    cal.add_missing_timezones(
        first_date=(workshop.starts_at - ZONE_MARGIN).date(),
        last_date=(workshop.ends_at + ZONE_MARGIN).date(),
    )
    return cal.to_ical().decode("utf-8")


def _subject_and_body(
    workshop: Workshop, community_name: str, invitee: Invitee, reason: Reason
) -> tuple[str, str]:
    _ = translator(invitee.language)
    values = {
        "name": invitee.name,
        "title": workshop.title,
        "community": community_name,
        "when": when_text(workshop, invitee.language),
        "where": where_text(workshop),
    }
    if reason == Reason.PLANNED:
        subject = _("Invitation: {title}, {when}")
        body = _(
            "Hello {name},\n\nyou are registered for {title} ({community}).\n\n"
            "When: {when}\nWhere: {where}\n\n"
            "Accept the attached invitation to add it to your calendar; "
            "if the time or place changes, you will receive an update."
        )
    elif reason == Reason.CHANGED:
        subject = _("Changed: {title}, {when}")
        body = _(
            "Hello {name},\n\nthe time or place of {title} ({community}) has changed.\n\n"
            "When: {when}\nWhere: {where}\n\n"
            "The attached invitation updates it in your calendar."
        )
    elif reason == Reason.CANCELLED:
        subject = _("Cancelled: {title}, {when}")
        body = _(
            "Hello {name},\n\n{title} ({community}) on {when} has been cancelled.\n\n"
            "The attached message removes it from your calendar."
        )
    else:
        subject = _("No longer registered: {title}, {when}")
        body = _(
            "Hello {name},\n\nyou are no longer on the attendance list of {title} "
            "({community}) on {when}.\n\n"
            "The attached message removes it from your calendar."
        )
    return subject.format(**values), body.format(**values)


def is_upcoming(workshop: Workshop) -> bool:
    """Planned and not begun: the only workshops whose changes reach calendars."""
    return workshop.status == WorkshopStatus.PLANNED and workshop.starts_at > clock.now()


def send_invitations(
    session: Session,
    workshop: Workshop,
    community_name: str,
    reason: Reason,
    *,
    person_ids: list[int] | None = None,
) -> int:
    """Queue the message for ``reason`` to every attendee (or ``person_ids``); returns how many.

    Call it after the change is applied to ``workshop`` (its version raised), in the
    change's transaction. Nothing is queued for a workshop that has begun, or without
    a mail server.
    """
    url = settings.smtp_url()
    if not url or workshop.id is None or not is_upcoming(workshop):
        return 0
    organizer = mailer.server_from_url(url).sender
    now = clock.now()
    method = method_of(reason)
    queued = 0
    for invitee in invitees(session, workshop.id, person_ids):
        ics = invitation_ics(
            workshop,
            community_name=community_name,
            organizer_email=organizer,
            invitee=invitee,
            reason=reason,
            now=now,
        )
        subject, body = _subject_and_body(workshop, community_name, invitee, reason)
        content_type = f"text/calendar; method={method}"
        outbox.enqueue(
            session,
            to=invitee.email,
            subject=subject,
            body_text=body,
            kind=f"workshop.{'invitation' if method == 'REQUEST' else 'cancellation'}",
            parts=[
                {"content_type": content_type, "content": ics},
                {"content_type": content_type, "filename": ATTACHMENT_NAME, "content": ics},
            ],
        )
        queued += 1
    return queued
