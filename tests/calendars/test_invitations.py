"""Invitations people's calendars accept: iTIP (RFC 5546) messages in the outbox, then by real SMTP.

The clock stands on 2 March 2026, before the factory's workshop of 10 March
(10:00-16:00 Berlin time), so the workshop is upcoming.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from icalendar import Calendar
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from cop.accounts.models import User
from cop.calendars import feed as calendar_feed
from cop.calendars import service as calendars
from cop.cli import main
from cop.communities.models import Person
from cop.core import clock
from cop.core.db import read_session, write_session
from cop.core.permissions import Actor
from cop.outbox.models import OutboxMessage
from cop.workshops import attendance
from cop.workshops import service as workshops
from tests import factories
from tests.outbox.conftest import SmtpServer, free_port

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
QUIET_SMTP = "smtp://127.0.0.1:9?from=cop@example.org"  # configured; nothing is sent in these tests


@pytest.fixture
def world(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> factories.World:
    monkeypatch.setenv("COP_SMTP_URL", QUIET_SMTP)
    clock.freeze(T0)
    return factories.world(engine)


def _person(engine: Engine, actor: Actor, email: str, language: str = "en") -> None:
    with write_session(engine) as s:
        person = s.get(Person, actor.person_id)
        user = s.get(User, actor.user_id)
        assert person is not None and user is not None
        person.email = email
        user.language = language
        s.add_all([person, user])


def _rows(engine: Engine) -> list[OutboxMessage]:
    with read_session(engine) as s:
        return list(s.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def _calendar(message: OutboxMessage) -> Calendar:
    inline, attached = message.parts
    assert inline["content"] == attached["content"] and attached["filename"] == "invite.ics"
    cal = Calendar.from_ical(inline["content"])
    method = str(cal["method"])
    assert inline["content_type"] == attached["content_type"] == f"text/calendar; method={method}"
    return cal


def _event(cal: Calendar):  # noqa: ANN202 - icalendar's Event
    (event,) = cal.walk("VEVENT")
    return event


def _attendee(cal: Calendar) -> str:
    return str(_event(cal)["attendee"]).removeprefix("mailto:")


def _register(engine: Engine, w: factories.World, workshop_id: int, *people: Actor) -> None:
    with write_session(engine) as s:
        for person in people:
            attendance.add_attendee(s, w.facilitator, workshop_id, person_id=person.person_id)  # type: ignore[arg-type]


def _change(engine: Engine, w: factories.World, workshop_id: int, **changes: object) -> None:
    with write_session(engine) as s:
        current = workshops.get_workshop(s, w.facilitator, workshop_id)
        workshops.update_workshop(s, w.facilitator, workshop_id, current.version, **changes)


def test_invitation_ics_request_on_registering_then_sequence_up_on_a_move_then_cancel(
    engine: Engine, world: factories.World
) -> None:
    w = world
    _person(engine, w.member, "lena@example.org", "de")
    _person(engine, w.observer, "")  # no address: nothing to send
    made = factories.workshop(engine, w.facilitator, w.community.id, title="Wohnen für alle")
    assert _rows(engine) == []  # nobody registered yet
    _register(engine, w, made.id, w.member, w.observer)
    with write_session(engine) as s:
        attendance.add_guest(s, w.facilitator, made.id, name="Guest", organisation="Elsewhere")

    (invited,) = _rows(engine)
    assert invited.to_address == "lena@example.org" and invited.kind == "workshop.invitation"
    assert invited.subject == "Einladung: Wohnen für alle, 10.03.2026, 10:00–16:00 (Europe/Berlin)"
    assert "Hallo User" in invited.body_text
    cal = _calendar(invited)
    event = _event(cal)
    assert cal["method"] == "REQUEST"
    assert str(event["uid"]) == f"workshop-{made.id}@cop-workspace"
    assert int(event["sequence"]) == 0
    assert event.decoded("dtstamp") == T0
    assert str(event["dtstart"].params["TZID"]) == "Europe/Berlin"
    assert event.decoded("dtstart") == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(event["organizer"]) == "mailto:cop@example.org"
    assert event["organizer"].params["CN"] == w.community.name
    assert _attendee(cal) == "lena@example.org"
    assert event["attendee"].params["RSVP"] == "TRUE"
    assert event["attendee"].params["PARTSTAT"] == "NEEDS-ACTION"

    # a change that is not the time or the place: no message
    _change(engine, w, made.id, objectives="Talk about rents.")
    assert len(_rows(engine)) == 1

    _change(
        engine, w, made.id, starts_at=datetime(2026, 3, 11, 10), ends_at=datetime(2026, 3, 11, 16)
    )
    moved = _rows(engine)[-1]
    assert moved.subject.startswith("Geändert: Wohnen für alle, 11.03.2026")
    moved_cal = _calendar(moved)
    assert moved_cal["method"] == "REQUEST" and _attendee(moved_cal) == "lena@example.org"
    moved_sequence = int(_event(moved_cal)["sequence"])
    assert moved_sequence > int(event["sequence"])
    assert _event(moved_cal).decoded("dtstart").day == 11

    token = _address(engine, w.member)
    with read_session(engine) as s:  # the subscription shows the same event at the same SEQUENCE
        found = calendar_feed.feed_for_token(s, token, "https://cop.example.org")
    assert found is not None
    in_feed = next(
        e
        for e in Calendar.from_ical(found.body).walk("VEVENT")
        if str(e["uid"]) == f"workshop-{made.id}@cop-workspace"
    )
    assert int(in_feed["sequence"]) == moved_sequence

    with write_session(engine) as s:
        workshops.delete_workshop(s, w.facilitator, made.id)
    cancelled = _rows(engine)[-1]
    assert cancelled.kind == "workshop.cancellation"
    assert cancelled.subject.startswith("Abgesagt: Wohnen für alle")
    cancel_cal = _calendar(cancelled)
    assert cancel_cal["method"] == "CANCEL"
    assert _event(cancel_cal)["status"] == "CANCELLED"
    assert _attendee(cancel_cal) == "lena@example.org"
    assert int(_event(cancel_cal)["sequence"]) > moved_sequence
    assert len(_rows(engine)) == 3


def _address(engine: Engine, actor: Actor) -> str:
    with write_session(engine) as s:
        return calendars.new_feed_address(s, actor).token


def test_invitation_ics_a_person_taken_off_the_list_gets_a_cancel_naming_only_them(
    engine: Engine, world: factories.World
) -> None:
    w = world
    _person(engine, w.member, "lena@example.org")
    _person(engine, w.observer, "omar@example.org")
    made = factories.workshop(engine, w.facilitator, w.community.id, title="Housing")
    _register(engine, w, made.id, w.member, w.observer)
    assert sorted(m.to_address for m in _rows(engine)) == ["lena@example.org", "omar@example.org"]
    with read_session(engine) as s:
        row = next(a for a in attendance.attendance_list(s, made.id) if a.name == w.observer.name)
    with write_session(engine) as s:
        attendance.remove_attendance(s, w.facilitator, row.id)
    last = _rows(engine)[-1]
    assert last.to_address == "omar@example.org"
    assert last.subject.startswith("No longer registered: Housing")
    cal = _calendar(last)
    assert cal["method"] == "CANCEL" and _attendee(cal) == "omar@example.org"
    assert _event(cal)["status"] == "CONFIRMED"  # the workshop itself goes on
    # the move now reaches only who is still registered
    _change(engine, w, made.id, place="Library, room 2")
    moved = _rows(engine)[-1]
    assert moved.to_address == "lena@example.org" and len(_rows(engine)) == 4
    assert str(_event(_calendar(moved))["location"]) == "Library, room 2"


def test_invitation_ics_nothing_for_a_begun_workshop_a_rolled_back_change_or_no_mail_server(
    engine: Engine, world: factories.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world
    _person(engine, w.member, "lena@example.org")
    made = factories.workshop(engine, w.facilitator, w.community.id)
    past = factories.workshop(
        engine,
        w.facilitator,
        w.community.id,
        starts_at=datetime(2026, 2, 10, 10),
        ends_at=datetime(2026, 2, 10, 16),
    )
    _register(engine, w, past.id, w.member)
    assert _rows(engine) == []  # it has already taken place

    with pytest.raises(RuntimeError), write_session(engine) as s:
        attendance.add_attendee(s, w.facilitator, made.id, person_id=w.member.person_id)  # type: ignore[arg-type]
        raise RuntimeError("the page run failed after the change")
    assert _rows(engine) == []

    monkeypatch.delenv("COP_SMTP_URL")
    monkeypatch.setattr("cop.core.settings._secrets", lambda: {})
    _register(engine, w, made.id, w.member)
    assert _rows(engine) == []


def _ics(message: EmailMessage) -> tuple[Calendar, str]:
    """The inline ``text/calendar`` alternative's calendar and its Content-Type, and the attachment's."""
    inline = [
        p
        for p in message.walk()
        if p.get_content_type() == "text/calendar" and p.get_filename() is None
    ]
    attached = [p for p in message.walk() if p.get_filename() == "invite.ics"]
    assert len(inline) == 1 and len(attached) == 1
    assert attached[0].get_content() == inline[0].get_content()
    return Calendar.from_ical(inline[0].get_content()), str(inline[0]["Content-Type"])


def _send(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["notify", "send"]) == 0
    return capsys.readouterr().out


def test_invitation_ics_reaches_a_real_mail_server_and_a_move_and_a_cancel_follow(
    engine: Engine,
    world: factories.World,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    w = world
    server = SmtpServer(free_port())
    monkeypatch.setenv("COP_SMTP_URL", server.url)
    server.start()
    try:
        _person(engine, w.member, "lena@example.org")
        made = factories.workshop(engine, w.facilitator, w.community.id, title="Housing")
        _register(engine, w, made.id, w.member)
        assert _send(capsys).startswith("Sent 1 e-mail;")
        (invited,) = server.inbox.messages
        assert invited["To"] == "lena@example.org" and invited["From"] == "cop@example.org"
        cal, content_type = _ics(invited)
        assert "method=REQUEST" in content_type.replace('"', "")
        assert cal["method"] == "REQUEST"
        event = _event(cal)
        assert _attendee(cal) == "lena@example.org"
        assert event["attendee"].params["RSVP"] == "TRUE"
        assert str(event["uid"]) == f"workshop-{made.id}@cop-workspace"
        first = int(event["sequence"])

        _change(
            engine,
            w,
            made.id,
            starts_at=datetime(2026, 3, 12, 9),
            ends_at=datetime(2026, 3, 12, 12),
        )
        assert _send(capsys).startswith("Sent 1 e-mail;")
        moved_cal, _ = _ics(server.inbox.messages[-1])
        assert moved_cal["method"] == "REQUEST"
        assert int(_event(moved_cal)["sequence"]) > first
        assert str(_event(moved_cal)["uid"]) == str(event["uid"])

        with write_session(engine) as s:
            workshops.delete_workshop(s, w.facilitator, made.id)
        assert _send(capsys).startswith("Sent 1 e-mail;")
        cancel_cal, content_type = _ics(server.inbox.messages[-1])
        assert "method=CANCEL" in content_type.replace('"', "")
        assert cancel_cal["method"] == "CANCEL"
        assert _attendee(cancel_cal) == "lena@example.org"
        assert _event(cancel_cal)["status"] == "CANCELLED"
        assert len(server.inbox.messages) == 3
    finally:
        server.stop()
