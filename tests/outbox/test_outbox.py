"""The outbox against a real SMTP server (aiosmtpd), on SQLite and PostgreSQL.

Every e-mail is a row written with the change that caused it; senders claim
rows so none is sent twice, retry with back-off, give up after the last
attempt and show it to admins.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from cop.accounts import invitations, notifications, profile
from cop.accounts.models import Notification, User
from cop.communities.models import Person
from cop.core import clock
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.errors import PermissionDenied
from cop.core.permissions import SYSTEM, Actor
from cop.outbox import sender
from cop.outbox import service as outbox
from cop.outbox.models import OutboxMessage
from tests import factories
from tests.outbox.conftest import SmtpServer

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(engine: Engine) -> factories.World:
    return factories.world(engine)


def _queue(engine: Engine, n: int, prefix: str = "Message") -> None:
    with write_session(engine) as s:
        for i in range(n):
            outbox.enqueue(
                s,
                to=f"person{i}@example.org",
                subject=f"{prefix} {i}",
                body_text=f"Body {i}",
                kind="test",
            )


def _rows(engine: Engine) -> list[OutboxMessage]:
    with read_session(engine) as s:
        return list(s.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def _wants(engine: Engine, actor: Actor, delivery: str, email: str) -> None:
    with write_session(engine) as s:
        user = s.get(User, actor.user_id)
        person = s.get(Person, actor.person_id)
        assert user is not None and person is not None
        user.email_delivery = delivery
        person.email = email
        s.add_all([user, person])


def _notify(engine: Engine, world: factories.World, actor: Actor, text: str) -> None:
    with write_session(engine) as s:
        notifications.notify_people(
            s,
            [actor.person_id],
            kind="chapter.in_review",
            message=text,
            community_id=world.community.id,  # type: ignore[arg-type]
        )


def test_an_email_is_queued_with_its_change_and_a_rolled_back_change_queues_none(
    engine: Engine, world: factories.World, smtp: SmtpServer
) -> None:
    with pytest.raises(RuntimeError), write_session(engine) as s:
        invitations.invite(
            s,
            world.admin,
            community_id=world.community.id,  # type: ignore[arg-type]
            name="Amira",
            email="amira@example.org",
            base_url="https://cop.example.org",
        )
        raise RuntimeError("the rest of the change failed")
    assert _rows(engine) == []
    with write_session(engine) as s:
        issued = invitations.invite(
            s,
            world.admin,
            community_id=world.community.id,  # type: ignore[arg-type]
            name="Amira",
            email="amira@example.org",
            base_url="https://cop.example.org",
        )
    assert issued.emailed
    assert smtp.inbox.messages == []  # the page run did not talk to the mail server
    (row,) = _rows(engine)
    assert row.kind == "invitation" and row.to_address == "amira@example.org"
    assert row.sent_at is None and row.attempts == 0


def test_the_invitation_arrives_through_the_outbox_and_the_sent_row_forgets_its_link(
    engine: Engine, world: factories.World, smtp: SmtpServer
) -> None:
    with write_session(engine) as s:
        issued = invitations.invite(
            s,
            world.admin,
            community_id=world.community.id,  # type: ignore[arg-type]
            name="Amira",
            email="amira@example.org",
            base_url="https://cop.example.org/",
        )
    report = sender.send_due(engine)
    assert report.sent == 1
    (message,) = smtp.inbox.messages
    assert message["To"] == "amira@example.org" and message["From"] == "cop@example.org"
    assert f"https://cop.example.org{issued.link}" in message.get_content()
    (row,) = _rows(engine)
    assert row.sent_at is not None and row.claimed_by is None
    assert issued.link not in row.body_text and row.body_text == ""
    assert sender.send_due(engine).sent == 0
    assert len(smtp.inbox.messages) == 1


def test_claims_do_not_overlap_and_a_lapsed_lease_is_claimed_again(engine: Engine) -> None:
    clock.freeze(T0)
    _queue(engine, 5)
    with write_session(engine) as s:
        first = sender.claim(s, "sender-a", batch=3, lease=timedelta(minutes=5))
    with write_session(engine) as s:
        second = sender.claim(s, "sender-b", batch=10, lease=timedelta(minutes=5))
    with write_session(engine) as s:
        assert sender.claim(s, "sender-c", batch=10) == []
    assert len(first) == 3 and len(second) == 2
    assert {m.id for m in first}.isdisjoint({m.id for m in second})
    claimed_by = {r.id: r.claimed_by for r in _rows(engine)}
    assert {claimed_by[m.id] for m in first} == {"sender-a"}
    assert {claimed_by[m.id] for m in second} == {"sender-b"}
    clock.freeze(T0 + timedelta(minutes=6))  # sender-a died: its lease ran out
    with write_session(engine) as s:
        again = sender.claim(s, "sender-c", batch=10)
    assert len(again) == 5


def test_two_senders_at_once_send_every_message_exactly_once(
    engine: Engine, smtp: SmtpServer
) -> None:
    _queue(engine, 40)
    start = threading.Barrier(2)
    reports: list[sender.SendReport] = []
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            start.wait()
            reports.append(sender.send_due(engine, worker_id=name, batch=3))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f"sender-{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    subjects = smtp.inbox.subjects()
    assert sorted(subjects) == sorted(f"Message {i}" for i in range(40))
    assert len(set(subjects)) == len(subjects) == 40
    assert sum(r.sent for r in reports) == 40
    assert all(r.sent_at is not None for r in _rows(engine))


def test_a_mail_server_that_is_down_is_retried_with_back_off_then_sent(
    engine: Engine, smtp_down: SmtpServer
) -> None:
    clock.freeze(T0)
    _queue(engine, 1)
    report = sender.send_due(engine)
    assert report.sent == 0 and report.retrying == 1
    (row,) = _rows(engine)
    assert row.attempts == 1 and "Connection" in row.last_error
    assert row.next_attempt_at == T0 + timedelta(minutes=1) and row.claimed_by is None
    smtp_down.start()
    assert sender.send_due(engine).sent == 0  # not due yet: nothing is hammered
    clock.freeze(T0 + timedelta(minutes=1))
    smtp_down.stop()
    assert sender.send_due(engine).retrying == 1
    (row,) = _rows(engine)
    assert row.attempts == 2 and row.next_attempt_at == T0 + timedelta(minutes=6)
    smtp_down.start()
    clock.freeze(T0 + timedelta(minutes=6))
    assert sender.send_due(engine).sent == 1
    assert smtp_down.inbox.subjects() == ["Message 0"]
    assert _rows(engine)[0].sent_at == T0 + timedelta(minutes=6)


def test_back_off_grows_and_is_capped() -> None:
    waits = [sender.backoff(n) for n in range(1, 8)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 5, 25, 125)]
    assert waits[4:] == [sender.LONGEST_WAIT] * 3


def test_after_the_last_attempt_it_is_given_up_shown_to_admins_and_retried_on_request(
    engine: Engine, world: factories.World, smtp_down: SmtpServer
) -> None:
    clock.freeze(T0)
    _queue(engine, 1, prefix="Minutes")
    for attempt in range(3):
        report = sender.send_due(engine, max_attempts=3)
        assert report.given_up == (1 if attempt == 2 else 0)
        clock.freeze(clock.now() + timedelta(hours=7))
    (row,) = _rows(engine)
    assert row.failed_at is not None and row.attempts == 3
    assert sender.send_due(engine, max_attempts=3).sent == 0  # given up: no more tries
    with read_session(engine) as s:
        summary = outbox.outbox_summary(s, world.admin)
        with pytest.raises(PermissionDenied):
            outbox.outbox_summary(s, world.facilitator)
    (problem,) = summary.problems
    assert (problem.subject, problem.status, problem.attempts) == ("Minutes 0", "failed", 3)
    assert "Connection" in problem.last_error and problem.next_attempt_at is None
    with pytest.raises(PermissionDenied), write_session(engine) as s:
        outbox.retry_now(s, world.member, row.id)  # type: ignore[arg-type]
    with write_session(engine) as s:
        outbox.retry_now(s, world.admin, row.id)  # type: ignore[arg-type]
    with read_session(engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "outbox_message.retry")).one()
    assert event.actor_user_id == world.admin.user_id and event.record_id == row.id
    smtp_down.start()
    assert sender.send_due(engine, max_attempts=3).sent == 1
    assert smtp_down.inbox.subjects() == ["Minutes 0"]
    with read_session(engine) as s:
        assert outbox.outbox_summary(s, world.admin).problems == []


def test_a_digest_with_three_events_arrives_once_as_one_email(
    engine: Engine, world: factories.World, smtp: SmtpServer
) -> None:
    _wants(engine, world.member, "weekly", "lena@example.org")
    _wants(engine, world.observer, "daily", "omar@example.org")
    for text in ("First event", "Second event", "Third event"):
        _notify(engine, world, world.member, text)
    assert _rows(engine) == []  # a digest reader gets no e-mail per notification
    with write_session(engine) as s:
        assert notifications.send_digest(s, SYSTEM, "weekly") == 1
    with write_session(engine) as s:
        assert notifications.send_digest(s, SYSTEM, "weekly") == 0  # run again: nothing new
        assert notifications.send_digest(s, SYSTEM, "daily") == 0  # the observer had nothing
    assert sender.send_due(engine).sent == 1
    assert sender.send_due(engine).sent == 0
    (message,) = smtp.inbox.messages
    assert message["To"] == "lena@example.org"
    assert message["Subject"] == "Your week in CoP Workspace"
    body = message.get_content()
    assert all(f"- {t}" in body for t in ("First event", "Second event", "Third event")), body
    with read_session(engine) as s:
        notes = s.exec(select(Notification).where(Notification.user_id == world.member.user_id))
        assert all(n.emailed_at is not None and n.read_at is None for n in notes)


def test_immediately_sends_one_email_per_notification_and_off_sends_nothing(
    engine: Engine, world: factories.World, smtp: SmtpServer
) -> None:
    _wants(engine, world.member, "immediate", "lena@example.org")
    _wants(engine, world.observer, "off", "omar@example.org")
    with write_session(engine) as s:
        notifications.notify_people(
            s,
            [world.member.person_id, world.observer.person_id],
            kind="chapter.in_review",
            message="A chapter waits for you",
            community_id=world.community.id,  # type: ignore[arg-type]
        )
    (row,) = _rows(engine)
    assert row.kind == "notification.chapter.in_review"
    for period in ("daily", "weekly"):
        with write_session(engine) as s:
            assert notifications.send_digest(s, SYSTEM, period) == 0
    assert sender.send_due(engine).sent == 1
    (message,) = smtp.inbox.messages
    assert message["To"] == "lena@example.org"
    assert "A chapter waits for you" in message.get_content()
    with read_session(engine) as s:
        assert notifications.unread_count(s, world.observer) == 1  # "off": the inbox only


def test_the_delivery_choice_is_saved_from_the_profile_and_checked(
    engine: Engine, world: factories.World
) -> None:
    from cop.core.errors import ValidationError

    with read_session(engine) as s:
        mine = profile.my_profile(s, world.member)
    assert mine.email_delivery == "weekly"
    fields = {
        "name": mine.name,
        "email": "lena@example.org",
        "language": mine.language,
        "time_zone": mine.time_zone,
        "person_version": mine.person_version,
        "user_version": mine.user_version,
    }
    with pytest.raises(ValidationError) as refused, write_session(engine) as s:
        profile.update_own_profile(s, world.member, email_delivery="hourly", **fields)  # type: ignore[arg-type]
    assert "email_delivery" in refused.value.fields
    with write_session(engine) as s:
        saved = profile.update_own_profile(s, world.member, email_delivery="off", **fields)  # type: ignore[arg-type]
    assert saved.email_delivery == "off"


def test_nothing_is_queued_or_sent_without_a_mail_server(
    engine: Engine, world: factories.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COP_SMTP_URL", raising=False)
    monkeypatch.setattr("cop.core.settings._secrets", lambda: {})
    _wants(engine, world.member, "immediate", "lena@example.org")
    _notify(engine, world, world.member, "Something happened")
    assert _rows(engine) == []
    _queue(engine, 1)
    assert sender.send_due(engine).sent == 0
    assert _rows(engine)[0].claimed_by is None


def test_a_calendar_part_travels_as_its_own_mime_part(engine: Engine, smtp: SmtpServer) -> None:
    calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    with write_session(engine) as s:
        outbox.enqueue(
            s,
            to="lena@example.org",
            subject="Workshop",
            body_text="See you there.",
            body_html="<p>See you there.</p>",
            parts=[{"content_type": "text/calendar; method=REQUEST", "content": calendar}],
            kind="workshop.invitation",
        )
    assert sender.send_due(engine).sent == 1
    (message,) = smtp.inbox.messages
    types = [part.get_content_type() for part in message.walk()]
    assert {"text/plain", "text/html", "text/calendar"} <= set(types)
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST" and "BEGIN:VCALENDAR" in part.get_content()


def test_anonymising_a_person_drops_the_mail_still_waiting_for_them(
    engine: Engine, world: factories.World, smtp: SmtpServer
) -> None:
    from cop.accounts import personal_data

    _wants(engine, world.member, "immediate", "Lena@Example.org")
    _wants(engine, world.observer, "immediate", "omar@example.org")
    _notify(engine, world, world.member, "For Lena")
    _notify(engine, world, world.observer, "For Omar")
    assert len(_rows(engine)) == 2
    with write_session(engine) as s:
        personal_data.anonymise_person(s, world.admin, world.member.person_id)  # type: ignore[arg-type]
    assert [r.to_address for r in _rows(engine)] == ["omar@example.org"]
    assert sender.send_due(engine).sent == 1
    assert [m["To"] for m in smtp.inbox.messages] == ["omar@example.org"]


def test_sent_rows_are_forgotten_after_thirty_days(engine: Engine, smtp: SmtpServer) -> None:
    clock.freeze(T0)
    _queue(engine, 1, prefix="Old")
    assert sender.send_due(engine).sent == 1
    clock.freeze(T0 + timedelta(days=29))
    _queue(engine, 1, prefix="Recent")
    assert sender.send_due(engine).sent == 1
    assert [r.subject for r in _rows(engine)] == ["Old 0", "Recent 0"]
    clock.freeze(T0 + timedelta(days=31))
    _queue(engine, 1, prefix="New")
    assert sender.send_due(engine).sent == 1
    assert [r.subject for r in _rows(engine)] == ["Recent 0", "New 0"]
