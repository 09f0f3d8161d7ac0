"""The private calendar feed, parsed with ``icalendar`` as a calendar program reads it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar
from sqlalchemy.engine import Engine

from cop.accounts import admin
from cop.actions import service as actions
from cop.actions import updates as action_updates
from cop.calendars import feed as calendar_feed
from cop.calendars import service as calendars
from cop.calendars import web as calendar_web
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM
from cop.workshops import service as workshops
from tests import factories

APP = "https://cop.example.org"


def _feed(engine: Engine, token: str) -> Calendar | None:
    with read_session(engine) as s:
        found = calendar_feed.feed_for_token(s, token, APP)
    return Calendar.from_ical(found.body) if found else None


def _events(cal: Calendar) -> dict[str, object]:
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def _address(engine: Engine, actor) -> str:  # noqa: ANN001
    with write_session(engine) as s:
        return calendars.new_feed_address(s, actor).token


def test_feed_workshop_appears_moves_with_a_higher_sequence_and_is_cancelled(
    engine: Engine,
) -> None:
    w = factories.world(engine)
    token = _address(engine, w.member)
    made = factories.workshop(engine, w.facilitator, w.community.id, title="Café Düsseldorf")
    uid = f"workshop-{made.id}@cop-workspace"
    event = _events(_feed(engine, token))[uid]
    assert str(event["summary"]) == "Café Düsseldorf"
    assert event["status"] == "CONFIRMED"
    assert f"{APP}/workshops?id={made.id}" == str(event["url"])
    assert event.decoded("dtstart").tzinfo is not None
    assert str(event["dtstart"].params.get("TZID")) == made.time_zone
    first_sequence = int(event["sequence"])

    with write_session(engine) as s:
        workshops.update_workshop(
            s,
            w.facilitator,
            made.id,
            made.version,
            starts_at=datetime(2026, 3, 11, 10),
            ends_at=datetime(2026, 3, 11, 16),
        )
    moved = _events(_feed(engine, token))[uid]
    assert int(moved["sequence"]) > first_sequence
    assert moved.decoded("dtstart").day == 11

    with write_session(engine) as s:
        workshops.delete_workshop(s, w.facilitator, made.id)
    cancelled = _events(_feed(engine, token))[uid]
    assert cancelled["status"] == "CANCELLED"
    assert int(cancelled["sequence"]) > int(moved["sequence"])


def test_feed_of_an_outsider_never_shows_a_private_community_s_workshop(engine: Engine) -> None:
    private = factories.world(engine, visibility="private")
    secret = factories.workshop(engine, private.facilitator, private.community.id, title="Closed")
    outsider_feed = _feed(engine, _address(engine, private.outsider))
    assert outsider_feed is not None
    assert f"workshop-{secret.id}@cop-workspace" not in _events(outsider_feed)
    member_feed = _feed(engine, _address(engine, private.member))
    assert f"workshop-{secret.id}@cop-workspace" in _events(member_feed)


def test_feed_a_replaced_address_and_a_deactivated_account_find_nothing(engine: Engine) -> None:
    w = factories.world(engine)
    old = _address(engine, w.member)
    new = _address(engine, w.member)
    assert old != new
    assert _feed(engine, old) is None
    assert _feed(engine, new) is not None
    assert _feed(engine, "") is None and _feed(engine, "x" * 500) is None
    with write_session(engine) as s:
        admin.deactivate_user(s, SYSTEM, w.member.user_id)
    assert _feed(engine, new) is None


def test_feed_stays_the_same_between_polls_while_nothing_changes(engine: Engine) -> None:
    w = factories.world(engine)
    token = _address(engine, w.member)
    factories.workshop(engine, w.facilitator, w.community.id)
    with read_session(engine) as s:
        first = calendar_feed.feed_for_token(s, token, APP)
        second = calendar_feed.feed_for_token(s, token, APP)
    assert first is not None and second is not None
    assert first.etag == second.etag and first.body == second.body


def test_feed_carries_one_s_actions_and_milestones_as_all_day_events_when_chosen(
    engine: Engine,
) -> None:
    w = factories.world(engine)
    token = _address(engine, w.member)
    with write_session(engine) as s:
        action = actions.create_action(
            s,
            w.member,
            community_id=w.community.id,
            title="Open the welcome point",
            owner_person_id=w.member.person_id,
            due_date=date(2026, 9, 30),
        )
        action_updates.add_milestone(
            s, w.member, action.id, title="Find a room", due_date=date(2026, 6, 1)
        )
    assert f"action-{action.id}-due@cop-workspace" not in _events(_feed(engine, token))
    with write_session(engine) as s:
        calendars.show_actions_in_feed(s, w.member, True)
    events = _events(_feed(engine, token))
    due = events[f"action-{action.id}-due@cop-workspace"]
    assert str(due["summary"]) == "Due: Open the welcome point"
    assert due.decoded("dtstart") == date(2026, 9, 30)
    assert due.decoded("dtend") - due.decoded("dtstart") == timedelta(days=1)
    milestone = next(e for uid, e in events.items() if uid.startswith("milestone-"))
    assert str(milestone["summary"]) == "Milestone: Find a room (Open the welcome point)"


def test_feed_served_from_the_cache_until_a_write_then_built_again(engine: Engine) -> None:
    w = factories.world(engine)
    token = _address(engine, w.member)
    first = calendar_web.cached_feed(token, APP)
    assert first is not None and calendar_web.cached_feed(token, APP) is first
    made = factories.workshop(engine, w.facilitator, w.community.id, title="After the poll")
    after = calendar_web.cached_feed(token, APP)
    assert after is not None and after.etag != first.etag
    assert f"workshop-{made.id}@cop-workspace".encode() in after.body
    with write_session(engine) as s:
        admin.deactivate_user(s, SYSTEM, w.member.user_id)
    assert calendar_web.cached_feed(token, APP) is None
