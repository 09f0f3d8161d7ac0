"""Issue 23: feedback sent from the accessibility statement, signed in or not, is stored, audited
and e-mailed to every administrator through the outbox (a real local SMTP server)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.accessibility import service
from cop.accessibility.models import AccessibilityFeedback
from cop.accounts.models import User
from cop.communities.models import Person
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.errors import ValidationError
from cop.outbox import sender
from tests import factories
from tests.outbox.conftest import SmtpServer


def _give_email(engine: Engine, user_id: int, email: str, language: str = "en") -> None:
    with write_session(engine) as s:
        user = s.get(User, user_id)
        assert user is not None and user.person_id is not None
        person = s.get(Person, user.person_id)
        assert person is not None
        person.email, user.language = email, language
        s.add_all([user, person])


def test_a_visitor_s_feedback_is_stored_audited_and_reaches_every_admin_by_email(
    engine: Engine, smtp: SmtpServer
) -> None:
    world = factories.world(engine)
    second_admin = factories.actor(engine, admin=True)
    _give_email(engine, world.admin.user_id, "ada@example.org")
    _give_email(engine, second_admin.user_id, "bernd@example.org", "de")
    _give_email(engine, world.member.user_id, "member@example.org")  # not an admin: no e-mail
    with write_session(engine) as s:
        service.send_feedback(
            s,
            service.VISITOR,
            message="The calendar cannot be used with a screen reader.",
            where="Workshops, calendar",
            email="reader@example.org",
        )
    with read_session(engine) as s:
        (stored,) = s.exec(select(AccessibilityFeedback)).all()
        event = s.exec(
            select(AuditEvent).where(AuditEvent.action == "accessibility_feedback.send")
        ).one()
    assert stored.user_id is None and stored.email == "reader@example.org"
    assert event.record_id == stored.id and event.actor_name == "visitor"
    assert sender.send_due(engine).sent == 2
    by_address = {str(m["To"]): m for m in smtp.inbox.messages}
    assert set(by_address) == {"ada@example.org", "bernd@example.org"}
    assert by_address["ada@example.org"]["Subject"] == (
        "Feedback on accessibility: Workshops, calendar"
    )
    assert "screen reader" in by_address["ada@example.org"].get_content()
    german = by_address["bernd@example.org"]
    assert german["Subject"] == "Rückmeldung zur Barrierefreiheit: Workshops, calendar"


def test_a_signed_in_reader_s_feedback_names_them_and_an_empty_message_is_refused(
    engine: Engine,
) -> None:
    world = factories.world(engine)
    with pytest.raises(ValidationError) as refused, write_session(engine) as s:
        service.send_feedback(s, world.observer, message="   ", email="not an address")
    assert set(refused.value.fields) == {"message", "email"}
    with write_session(engine) as s:
        service.send_feedback(s, world.observer, message="Focus is hard to see.")
    with read_session(engine) as s:
        (stored,) = s.exec(select(AccessibilityFeedback)).all()
    assert stored.user_id == world.observer.user_id and stored.name == world.observer.name
