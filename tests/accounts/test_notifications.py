"""Notifications: the right events, only for people who may see the record, marking read."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cop.accounts import notifications
from cop.accounts.models import Notification
from cop.actions import reminders
from cop.actions import service as actions
from cop.core import clock
from cop.core.db import read_session, write_session
from cop.core.errors import NotFound
from cop.core.permissions import SYSTEM, Role
from tests import factories


@pytest.fixture
def world(engine):
    return factories.world(engine)


def _action(engine, world, due: date, owner=None):
    owner = owner or world.member
    with write_session(engine) as s:
        return actions.create_action(
            s,
            world.facilitator,
            community_id=world.community.id,
            title="Open a welcome point",
            owner_person_id=owner.person_id,
            due_date=due,
        )


def test_overdue_action_notifies_its_owner_once_a_day(engine, world) -> None:
    _action(engine, world, date(2026, 1, 10))
    clock.freeze(datetime(2026, 1, 12, 8, tzinfo=UTC))
    with write_session(engine) as s:
        assert reminders.overdue_actions(s, SYSTEM) == 1
    with write_session(engine) as s:
        assert reminders.overdue_actions(s, SYSTEM) == 0
    with read_session(engine) as s:
        notes, total = notifications.inbox(s, world.member)
    assert total >= 1
    assert any(n.kind == "action.overdue" and "2 days ago" in n.message for n in notes)
    clock.freeze(datetime(2026, 1, 13, 8, tzinfo=UTC))
    with write_session(engine) as s:
        assert reminders.overdue_actions(s, SYSTEM) == 1


def test_action_not_yet_due_sends_nothing(engine, world) -> None:
    _action(engine, world, date(2026, 2, 1))
    clock.freeze(datetime(2026, 1, 12, 8, tzinfo=UTC))
    with write_session(engine) as s:
        assert reminders.overdue_actions(s, SYSTEM) == 0


def test_people_who_cannot_read_the_community_are_not_notified(engine) -> None:
    private = factories.community(engine, visibility="private")
    member = factories.actor(engine, Role.MEMBER, private.id)
    stranger = factories.actor(engine)
    with write_session(engine) as s:
        sent = notifications.notify_people(
            s,
            [member.person_id, stranger.person_id],
            kind="chapter.in_review",
            message="Chapter to review",
            community_id=private.id,
        )
    assert sent == 1
    with read_session(engine) as s:
        assert notifications.unread_count(s, member) == 1
        assert notifications.unread_count(s, stranger) == 0


def test_marking_read_counts_down_and_cannot_touch_others(engine, world) -> None:
    with write_session(engine) as s:
        notifications.notify_people(
            s,
            [world.member.person_id, world.observer.person_id],
            kind="chapter.in_review",
            message="Please review",
            community_id=world.community.id,
        )
    with read_session(engine) as s:
        mine, _ = notifications.inbox(s, world.member)
        theirs, _ = notifications.inbox(s, world.observer)
    with pytest.raises(NotFound), write_session(engine) as s:
        notifications.mark_read(s, world.member, theirs[0].id)
    with write_session(engine) as s:
        assert notifications.mark_read(s, world.member, mine[0].id) == 1
    with read_session(engine) as s:
        assert notifications.unread_count(s, world.member) == 0
        assert notifications.unread_count(s, world.observer) == 1


def test_digest_sends_nothing_without_smtp(engine, world, monkeypatch) -> None:
    monkeypatch.delenv("COP_SMTP_URL", raising=False)
    with write_session(engine) as s:
        notifications.notify_people(
            s,
            [world.member.person_id],
            kind="chapter.in_review",
            message="x",
            community_id=world.community.id,
        )
    with write_session(engine) as s:
        assert notifications.weekly_digest(s, SYSTEM) == 0


def test_a_notification_keeps_its_template_and_an_older_row_its_text(engine, world) -> None:
    _action(engine, world, date(2027, 5, 31))
    with read_session(engine) as s:
        notes, _total = notifications.inbox(s, world.member)
    assigned = next(n for n in notes if n.kind == "action.assigned")
    assert assigned.template.startswith("“{title}” in {community} was assigned")
    assert assigned.params["due"] == {"date": "2027-05-31"}
    shown = notifications.shown(assigned)
    assert shown.params["due"] == date(2027, 5, 31)  # type: ignore[attr-defined]
    older = Notification(
        user_id=assigned.user_id, kind="action.assigned", message="Written before templates."
    )
    assert notifications.shown(older) == "Written before templates."


def test_the_weekly_digest_is_written_in_each_readers_language(engine, world, monkeypatch) -> None:
    from cop.accounts.models import User
    from cop.communities.models import Person
    from cop.core import mailer
    from cop.core.i18n_catalog import compile_all
    from tests.accounts.test_invitations import _FakeSmtp

    compile_all()
    monkeypatch.setenv("COP_SMTP_URL", "smtp://cop%40example.org:s3cret@mail.example.org:2525")
    monkeypatch.setattr(mailer.smtplib, "SMTP", _FakeSmtp)
    _FakeSmtp.sent = []
    with write_session(engine) as s:
        user = s.get(User, world.member.user_id)
        assert user is not None
        user.language = "de"
        person = s.get(Person, world.member.person_id)
        assert person is not None
        person.email = "lena@example.org"
        s.add_all([user, person])
    _action(engine, world, date(2027, 5, 31))
    with write_session(engine) as s:
        assert notifications.weekly_digest(s, SYSTEM) == 1
    from cop.outbox import sender

    assert sender.send_due(engine).sent == 1
    message = _FakeSmtp.sent[0][3]
    body = message.get_content()
    assert "wurde Ihnen zugewiesen" in body and "31.05.2027" in body, body
    assert "assigned to you" not in body and "2027-05-31" not in body and "Hello" not in body
    assert message["Subject"] != "Your week in CoP Workspace"
