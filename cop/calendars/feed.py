"""The iCalendar feed behind a private address (RFC 5545), as calendar programs poll it.

What the feed shows follows the person's permissions at the moment of each poll: the
workshops and visits of the communities they belong to now (a private community's
workshops never reach anyone else), optionally their own actions' due dates and
milestones as all-day events. A deactivated account's address answers 404.

Calendar programs update an event they already have when its UID is the same and its
SEQUENCE is higher: the UID is the workshop's (the same as the .ics export's, so an
imported file and the subscription do not double up), SEQUENCE follows the record's
version, and a deleted workshop stays in the feed for a while as STATUS:CANCELLED so
subscribers see it go. DTSTAMP is the record's last change, which keeps the body, and
so the ETag, the same between polls while nothing changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cop.accounts.service import load_actor
from cop.actions.models import Action, ActionCoOwner, ActionMilestone
from cop.calendars.invitations import ZONE_MARGIN, workshop_sequence, workshop_uid
from cop.calendars.models import CalendarFeed
from cop.communities.models import Community
from cop.core import clock
from cop.core.i18n import translator
from cop.workshops.models import Workshop
from cop.workshops.service import zone_or_utc

if TYPE_CHECKING:  # icalendar loads when a feed is asked for, not with the app
    from icalendar import Event

CANCELLED_KEPT_FOR = timedelta(days=180)
MAX_TOKEN_LENGTH = 64


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    last_modified: datetime


def _workshop_event(w: Workshop, app_url: str, language: str) -> Event:
    from icalendar import Event, vText

    _ = translator(language)
    zone = zone_or_utc(w.time_zone)
    link = f"{app_url}/workshops?id={w.id}"
    event = Event()
    event.add("uid", workshop_uid(w.id))
    event.add("dtstamp", w.updated_at)
    event.add("last-modified", w.updated_at)
    event.add("created", w.created_at)
    event.add("sequence", workshop_sequence(w.version))
    event.add("summary", w.title)
    event.add("dtstart", w.starts_at.astimezone(zone))
    event.add("dtend", w.ends_at.astimezone(zone))
    location = w.place or w.meeting_link
    if location:
        event.add("location", vText(location))
    event.add("url", link)
    event.add("description", _("Open it in CoP Workspace: {link}").format(link=link))
    event.add("status", "CANCELLED" if w.deleted_at is not None else "CONFIRMED")
    return event


def _day_event(
    uid: str, summary: str, day: object, changed: datetime, version: int, link: str
) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("sequence", max(version - 1, 0))
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))  # type: ignore[operator]  # a due date is a date; the parameter is typed object for milestones' optional dates
    event.add("transp", "TRANSPARENT")  # a due date does not make the person busy
    event.add("url", link)
    return event


def _action_events(session: Session, person_id: int, app_url: str, language: str) -> list[Event]:
    """All-day events for the due dates of the person's actions and their milestones."""
    _ = translator(language)
    co_owned = select(ActionCoOwner.action_id).where(ActionCoOwner.person_id == person_id)
    actions = session.exec(
        select(Action)
        .join(Community, col(Community.id) == Action.community_id)
        .where(
            sa.or_(col(Action.owner_person_id) == person_id, col(Action.id).in_(co_owned)),
            col(Action.deleted_at).is_(None),
            col(Community.deleted_at).is_(None),
        )
    ).all()
    events: list[Event] = []
    by_id = {a.id: a for a in actions}
    for a in actions:
        link = f"{app_url}/actions?id={a.id}"
        events.append(
            _day_event(
                f"action-{a.id}-due@cop-workspace",
                _("Due: {title}").format(title=a.title),
                a.due_date,
                a.updated_at,
                a.version,
                link,
            )
        )
    if by_id:
        for m in session.exec(
            select(ActionMilestone).where(
                col(ActionMilestone.action_id).in_(list(by_id)),
                col(ActionMilestone.due_date).is_not(None),
                col(ActionMilestone.deleted_at).is_(None),
            )
        ).all():
            parent = by_id[m.action_id]
            events.append(
                _day_event(
                    f"milestone-{m.id}@cop-workspace",
                    _("Milestone: {title} ({action})").format(title=m.title, action=parent.title),
                    m.due_date,
                    m.updated_at,
                    m.version,
                    f"{app_url}/actions?id={parent.id}",
                )
            )
    return events


def feed_for_token(session: Session, token: str, app_url: str) -> Feed | None:
    """The feed of the address ``token``, or None (unknown or replaced token, inactive account)."""
    from icalendar import Calendar

    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = session.exec(select(CalendarFeed).where(CalendarFeed.token == token)).first()
    if row is None:
        return None
    actor = load_actor(session, user_id=row.user_id)
    if actor is None:
        return None
    _ = translator(actor.language)
    app_url = app_url.rstrip("/")
    cal = Calendar()
    cal.add("prodid", "-//CoP Workspace//Calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("CoP Workspace: {name}").format(name=actor.name))
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    changed = [row.created_at]
    moments: list[datetime] = []
    communities = list(actor.roles)
    if communities:
        since = clock.now() - CANCELLED_KEPT_FOR
        for w in session.exec(
            select(Workshop)
            .join(Community, col(Community.id) == Workshop.community_id)
            .where(
                col(Workshop.community_id).in_(communities),
                col(Community.deleted_at).is_(None),
                sa.or_(col(Workshop.deleted_at).is_(None), col(Workshop.deleted_at) >= since),
            )
            .order_by(col(Workshop.starts_at), col(Workshop.id))
        ).all():
            cal.add_component(_workshop_event(w, app_url, actor.language))
            changed.append(w.updated_at)
            moments += [w.starts_at, w.ends_at]
    if row.include_actions and actor.person_id is not None:
        for event in _action_events(session, actor.person_id, app_url, actor.language):
            cal.add_component(event)
            changed.append(event.decoded("last-modified"))
    if moments:  # each zone's rules around the workshops only, not from 1970 to 2038
        cal.add_missing_timezones(
            first_date=(min(moments) - ZONE_MARGIN).date(),
            last_date=(max(moments) + ZONE_MARGIN).date(),
        )
    body = cal.to_ical()
    return Feed(body, hashlib.sha256(body).hexdigest()[:32], max(changed))
