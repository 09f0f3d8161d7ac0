"""A person's calendar subscription: make the private address, replace it, choose what it shows.

Replacing the address is how a person revokes it (a colleague saw it, a laptop was
lost): the old token stops working at once, in every replica, because the feed is
looked up by token on every request.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import Session, select

from cop.calendars.models import CalendarFeed
from cop.core.audit import record_event
from cop.core.permissions import Actor, authorize

TOKEN_BYTES = 32  # 43 URL-safe characters: not guessable, short enough to paste


@dataclass(frozen=True)
class FeedSettings:
    """What the Profile page shows: the token (the address is built from it) and the choice."""

    token: str
    include_actions: bool


def _mine(session: Session, actor: Actor) -> CalendarFeed | None:
    return session.exec(select(CalendarFeed).where(CalendarFeed.user_id == actor.user_id)).first()


def my_feed(session: Session, actor: Actor) -> FeedSettings | None:
    """The actor's subscription, or None before they made one."""
    authorize(actor, "calendar.subscribe_own")
    row = _mine(session, actor)
    return FeedSettings(row.token, row.include_actions) if row else None


def new_feed_address(session: Session, actor: Actor) -> FeedSettings:
    """Make the address, or replace it: the old one answers 404 from now on."""
    authorize(actor, "calendar.subscribe_own")
    row = _mine(session, actor)
    replaced = row is not None
    if row is None:
        row = CalendarFeed(user_id=actor.user_id, token="")
    row.token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(row)
    session.flush()
    record_event(
        session,
        actor,
        "calendar.replace_address" if replaced else "calendar.make_address",
        row,
        record_type="calendar_feed",
    )
    return FeedSettings(row.token, row.include_actions)


def show_actions_in_feed(session: Session, actor: Actor, include: bool) -> FeedSettings:
    """Whether the feed also carries one's actions' due dates and milestones."""
    authorize(actor, "calendar.subscribe_own")
    row = _mine(session, actor) or _made(session, actor)
    old = row.include_actions
    row.include_actions = bool(include)
    session.add(row)
    session.flush()
    record_event(
        session,
        actor,
        "calendar.choose_contents",
        row,
        record_type="calendar_feed",
        changes={"include_actions": [old, row.include_actions]},
    )
    return FeedSettings(row.token, row.include_actions)


def _made(session: Session, actor: Actor) -> CalendarFeed:
    """A first address made on the way (the person ticked the box before making one)."""
    new_feed_address(session, actor)
    row = _mine(session, actor)
    assert row is not None  # just written in this transaction
    return row
