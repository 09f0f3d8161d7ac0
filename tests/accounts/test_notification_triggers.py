"""Issue 20, item 3: the events that notify, whom, in their language, in the cause's transaction.

A chapter sent to review reaches the facilitators; approved or sent back, its authors. A comment
reaches who wrote the section, a reply who wrote the comment. ``@Name`` in a comment, an action
update or a workshop's minutes reaches that member, once. A planned workshop that moves or is
cancelled reaches its registered attendees; an overdue milestone the action's owner.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.accounts import mentions, notifications
from cop.accounts.models import Notification, User
from cop.actions import reminders
from cop.actions import service as actions
from cop.actions import updates as action_updates
from cop.communities.models import Person
from cop.core import clock
from cop.core.db import read_session, write_session
from cop.core.errors import PermissionDenied, ValidationError
from cop.core.i18n_catalog import compile_all
from cop.core.permissions import SYSTEM, Actor, Role
from cop.outbox.models import OutboxMessage
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from cop.toolkit.models import Chapter
from cop.workshops import attendance
from cop.workshops import service as workshops
from tests import factories
from tests.factories import World


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


def _kinds(engine: Engine, actor: Actor) -> list[str]:
    with read_session(engine) as s:
        notes, _total = notifications.inbox(s, actor)
    return [n.kind for n in notes]


def _texts(engine: Engine, actor: Actor) -> list[str]:
    with read_session(engine) as s:
        notes, _total = notifications.inbox(s, actor)
    return [n.message for n in notes]


def _chapter_with_section(engine: Engine, w: World) -> tuple[int, int]:
    """A chapter of ``w.community`` with one section written by the member."""
    with write_session(engine) as s:
        edition = toolkit.create_toolkit(s, w.admin, title="Toolkit", year=2026)
        chapter = toolkit.add_chapter(s, w.admin, edition.id, w.community.id)
        chapter_id = chapter.id
    with write_session(engine) as s:
        section = toolkit_sections.add_section(
            s, w.member, chapter_id, "free_text", title="Welcome desks", body="Open one."
        )
        return chapter_id, section.id  # type: ignore[return-value]


def _version(engine: Engine, chapter_id: int) -> int:
    with read_session(engine) as s:
        chapter = s.get(Chapter, chapter_id)
        assert chapter is not None
        return chapter.version


def _submit(engine: Engine, w: World, chapter_id: int) -> None:
    with write_session(engine) as s:
        toolkit.submit_chapter(s, w.member, chapter_id, _version(engine, chapter_id))


def test_a_chapter_sent_to_review_is_a_notification_for_the_facilitators_only(
    engine: Engine, w: World
) -> None:
    chapter_id, _section = _chapter_with_section(engine, w)
    _submit(engine, w, chapter_id)
    assert _kinds(engine, w.facilitator) == ["chapter.in_review"]
    assert f"{w.member.name} sent the chapter" in _texts(engine, w.facilitator)[0]
    assert _kinds(engine, w.member) == []  # who submitted it
    assert _kinds(engine, w.observer) == []


def test_approving_or_sending_back_a_chapter_is_a_notification_for_its_authors(
    engine: Engine, w: World
) -> None:
    chapter_id, _section = _chapter_with_section(engine, w)
    _submit(engine, w, chapter_id)
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        toolkit.send_back_chapter(s, w.member, chapter_id, _version(engine, chapter_id))
    with write_session(engine) as s:
        toolkit.send_back_chapter(s, w.facilitator, chapter_id, _version(engine, chapter_id))
    assert _kinds(engine, w.member) == ["chapter.sent_back"]
    with read_session(engine) as s:
        chapter = s.get(Chapter, chapter_id)
        assert chapter is not None and chapter.status == "draft"
    with write_session(engine) as s, pytest.raises(ValidationError):
        toolkit.send_back_chapter(s, w.facilitator, chapter_id, _version(engine, chapter_id))
    _submit(engine, w, chapter_id)
    with write_session(engine) as s:
        toolkit.approve_chapter(s, w.facilitator, chapter_id, _version(engine, chapter_id))
    assert _kinds(engine, w.member) == ["chapter.approved", "chapter.sent_back"]
    assert "approved the chapter" in _texts(engine, w.member)[0]
    assert "chapter.approved" not in _kinds(engine, w.facilitator)  # who approved it


def test_a_comment_and_a_reply_are_a_notification_for_who_wrote_what_they_answer(
    engine: Engine, w: World
) -> None:
    _chapter_id, section_id = _chapter_with_section(engine, w)
    with write_session(engine) as s:
        comment = toolkit_sections.add_comment(s, w.facilitator, section_id, "Add a photo?")
        comment_id = comment.id
    assert _kinds(engine, w.member) == ["section.comment"]
    assert "commented on “Welcome desks”" in _texts(engine, w.member)[0]
    with write_session(engine) as s:
        reply = toolkit_sections.add_comment(
            s, w.member, section_id, "Yes, I will.", reply_to=comment_id
        )
        assert reply.parent_id == comment_id
    assert _kinds(engine, w.facilitator) == ["comment.reply"]
    with read_session(engine) as s:
        shown = toolkit_sections.chapter_comments(s, w.member, _chapter_id)[section_id]
    assert [c.parent_id for c in shown] == [None, comment_id]
    other_id = _chapter_with_section(engine, w)[1]
    with write_session(engine) as s, pytest.raises(ValidationError) as refused:
        toolkit_sections.add_comment(s, w.member, other_id, "Wrong place", reply_to=comment_id)
    assert "reply_to" in refused.value.fields


def test_the_mention_editor_offers_the_other_members_not_the_writer(
    engine: Engine, w: World
) -> None:
    """One does not mention oneself (it notifies nobody): the names after ``@`` leave out the writer."""
    with read_session(engine) as s:
        offered = mentions.mentionable(s, w.member, w.community.id)
        facilitator_sees = mentions.mentionable(s, w.facilitator, w.community.id)
    assert w.member.name not in offered
    assert {w.facilitator.name, w.observer.name} <= set(offered)
    assert w.facilitator.name not in facilitator_sees and w.member.name in facilitator_sees


def test_a_mention_in_a_comment_an_update_or_minutes_is_one_notification_for_that_member(
    engine: Engine, w: World
) -> None:
    _chapter_id, section_id = _chapter_with_section(engine, w)
    observer, member = w.observer.name, w.member.name
    with read_session(engine) as s:
        assert observer in mentions.member_names(s, w.community.id)
        assert w.outsider.name not in mentions.member_names(s, w.community.id)
    text = f"@{observer.lower()} and @{w.outsider.name}, please look; @{member} too."
    with write_session(engine) as s:
        toolkit_sections.add_comment(s, w.facilitator, section_id, text)
    assert _kinds(engine, w.observer) == ["mention"]
    assert _kinds(engine, w.outsider) == []  # not a member of the community
    assert _kinds(engine, w.member) == ["mention"]  # mentioned: not also "commented on"

    with write_session(engine) as s:
        action = actions.create_action(
            s,
            w.facilitator,
            community_id=w.community.id,
            title="Open a welcome point",
            owner_person_id=w.facilitator.person_id,
            due_date=date(2027, 1, 1),
        )
        action_updates.post_update(s, w.facilitator, action.id, text=f"Asked @{observer}.")
    assert _kinds(engine, w.observer) == ["mention", "mention"]
    assert "in an update of “Open a welcome point”" in _texts(engine, w.observer)[0]

    clock.freeze(datetime(2026, 3, 20, 8, tzinfo=UTC))
    workshop = factories.workshop(engine, w.facilitator, w.community.id)
    with write_session(engine) as s:
        workshops.mark_held(s, w.facilitator, workshop.id, workshop.version)  # type: ignore[arg-type]
    with write_session(engine) as s:
        held = workshops.get_workshop(s, w.facilitator, workshop.id)
        workshops.update_workshop(
            s,
            w.facilitator,
            held.id,
            held.version,
            minutes=f"@{observer} presented.",  # type: ignore[arg-type]
        )
    assert _kinds(engine, w.observer) == ["mention"] * 3
    with write_session(engine) as s:
        held = workshops.get_workshop(s, w.facilitator, workshop.id)
        workshops.close_workshop(
            s,
            w.facilitator,
            held.id,
            held.version,
            minutes=f"@{observer} presented well.",  # type: ignore[arg-type]
        )
    assert _kinds(engine, w.observer) == ["mention"] * 3  # the same mention: no second one
    assert any("in the minutes of" in text for text in _texts(engine, w.observer))


def test_a_moved_or_cancelled_workshop_is_a_notification_for_its_attendees(
    engine: Engine, w: World
) -> None:
    clock.freeze(datetime(2026, 3, 1, 8, tzinfo=UTC))
    workshop = factories.workshop(engine, w.facilitator, w.community.id)
    with write_session(engine) as s:
        for who in (w.member, w.facilitator):
            attendance.add_attendee(s, w.facilitator, workshop.id, person_id=who.person_id)  # type: ignore[arg-type]
        attendance.add_guest(s, w.facilitator, workshop.id, name="A guest", organisation="City")  # type: ignore[arg-type]
    with write_session(engine) as s:
        current = workshops.get_workshop(s, w.facilitator, workshop.id)
        workshops.update_workshop(
            s,
            w.facilitator,
            current.id,
            current.version,
            objectives="Meet.",  # type: ignore[arg-type]
        )
    assert _kinds(engine, w.member) == []  # no change of time or place
    with write_session(engine) as s:
        current = workshops.get_workshop(s, w.facilitator, workshop.id)
        workshops.update_workshop(
            s,
            w.facilitator,
            current.id,  # type: ignore[arg-type]
            current.version,
            place="Library",
            starts_at=datetime(2026, 3, 11, 9, 30),
            ends_at=datetime(2026, 3, 11, 15, 0),
        )
    assert _kinds(engine, w.member) == ["workshop.changed"]
    (moved,) = _texts(engine, w.member)
    assert "09:30" in moved and "Library" in moved and "2026-03-11" in moved
    assert _kinds(engine, w.facilitator) == []  # who changed it
    with write_session(engine) as s:
        workshops.delete_workshop(s, w.facilitator, workshop.id)  # type: ignore[arg-type]
    assert _kinds(engine, w.member) == ["workshop.cancelled", "workshop.changed"]


def test_an_overdue_milestone_is_a_notification_for_the_owner_once_a_day(
    engine: Engine, w: World
) -> None:
    with write_session(engine) as s:
        action = actions.create_action(
            s,
            w.facilitator,
            community_id=w.community.id,
            title="Open a welcome point",
            owner_person_id=w.member.person_id,
            due_date=date(2026, 12, 31),
        )
        action_updates.add_milestone(
            s, w.facilitator, action.id, title="Find a room", due_date=date(2026, 1, 10)
        )
        done = action_updates.add_milestone(
            s, w.facilitator, action.id, title="Ask the mayor", due_date=date(2026, 1, 9)
        )
        action_updates.update_milestone(s, w.facilitator, done.id, done.version, done=True)
    clock.freeze(datetime(2026, 1, 12, 8, tzinfo=UTC))
    with write_session(engine) as s:
        assert reminders.overdue_milestones(s, SYSTEM) == 1
    with write_session(engine) as s:
        assert reminders.overdue_milestones(s, SYSTEM) == 0
    assert sorted(_kinds(engine, w.member)) == ["action.assigned", "milestone.overdue"]
    assert any("“Find a room” of “Open a welcome point”" in t for t in _texts(engine, w.member))
    clock.freeze(datetime(2026, 1, 13, 8, tzinfo=UTC))
    with write_session(engine) as s:
        assert reminders.overdue_milestones(s, SYSTEM) == 1


def test_a_notification_is_written_with_its_cause_and_e_mailed_in_the_readers_language(
    engine: Engine, w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    compile_all()
    monkeypatch.setenv("COP_SMTP_URL", "smtp://127.0.0.1:2525?from=cop@example.org")
    with write_session(engine) as s:
        user = s.get(User, w.member.user_id)
        person = s.get(Person, w.member.person_id)
        assert user is not None and person is not None
        user.language, user.email_delivery, person.email = "de", "immediate", "lena@example.org"
        s.add_all([user, person])
    _chapter_id, section_id = _chapter_with_section(engine, w)
    with pytest.raises(RuntimeError), write_session(engine) as s:
        toolkit_sections.add_comment(s, w.facilitator, section_id, f"@{w.member.name} look")
        raise RuntimeError("the page failed after the comment")
    with read_session(engine) as s:
        assert s.exec(select(Notification)).all() == []
        assert s.exec(select(OutboxMessage)).all() == []
    with write_session(engine) as s:
        toolkit_sections.add_comment(s, w.facilitator, section_id, f"@{w.member.name} look")
    with read_session(engine) as s:
        (mail,) = s.exec(select(OutboxMessage)).all()
        note = s.exec(select(Notification)).one()
    assert mail.to_address == "lena@example.org" and note.emailed_at is not None
    assert "hat Sie in einem Kommentar" in mail.subject, mail.subject
    assert "Welcome desks" in mail.body_text and "mentioned" not in mail.body_text


def test_a_member_with_the_digest_gets_no_immediate_e_mail_for_a_notification(
    engine: Engine, w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COP_SMTP_URL", "smtp://127.0.0.1:2525?from=cop@example.org")
    with write_session(engine) as s:
        person = s.get(Person, w.facilitator.person_id)
        user = s.get(User, w.facilitator.user_id)
        assert person is not None and user is not None
        person.email, user.email_delivery = "fac@example.org", "daily"
        s.add_all([person, user])
    chapter_id, _section = _chapter_with_section(engine, w)
    _submit(engine, w, chapter_id)
    with read_session(engine) as s:
        assert s.exec(select(OutboxMessage)).all() == []
    with write_session(engine) as s:
        assert notifications.send_digest(s, SYSTEM, "daily") == 1
    with read_session(engine) as s:
        (digest,) = s.exec(select(OutboxMessage)).all()
    assert "sent the chapter" in digest.body_text


def test_facilitators_of_a_community_are_found_for_a_notification(engine: Engine) -> None:
    c = factories.community(engine)
    lead = factories.actor(engine, Role.FACILITATOR, c.id)
    factories.actor(engine, Role.MEMBER, c.id)
    with read_session(engine) as s:
        assert notifications.facilitators(s, c.id) == [lead.person_id]  # type: ignore[arg-type]
