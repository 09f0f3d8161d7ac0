"""Agenda items, typed outcomes, and the action an action outcome becomes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from cop.actions import outcomes as action_outcomes
from cop.actions import service as actions
from cop.actions.models import Action
from cop.core.db import read_session, write_session
from cop.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from cop.workshops import agenda, outcomes
from cop.workshops import service as workshops
from tests import factories
from tests.factories import World


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


def _closed_with_action_outcome(
    engine: Engine, w: World, text: str = "Train 20 volunteer mentors\nby spring"
) -> tuple[int, int]:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s:
        outcome = outcomes.add_outcome(s, w.member, made.id, kind="action", text=text)
        held = workshops.mark_held(s, w.member, made.id, made.version)
        workshops.close_workshop(s, w.member, made.id, held.version, minutes="Agreed on mentoring.")
    return made.id, outcome.id  # type: ignore[return-value]


def test_agenda_items_keep_their_order_and_fields(engine: Engine, w: World) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s:
        agenda.add_agenda_item(
            s, w.member, made.id, title="Welcome", duration_minutes=15, presenter="Mayor"
        )
        second = agenda.add_agenda_item(
            s, w.member, made.id, title="Site visit", duration_minutes="90"
        )  # type: ignore[arg-type]
        agenda.add_agenda_item(s, w.member, made.id, title="Wrap-up")
    with write_session(engine) as s:
        agenda.update_agenda_item(
            s,
            w.facilitator,
            second.id,
            second.version,
            title="Visit to the welcome centre",
            duration_minutes=120,
            presenter="Ana",
        )
    with read_session(engine) as s:
        items = agenda.agenda(s, made.id)
    assert [(i.title, i.duration_minutes, i.presenter) for i in items] == [
        ("Welcome", 15, "Mayor"),
        ("Visit to the welcome centre", 120, "Ana"),
        ("Wrap-up", None, ""),
    ]
    with write_session(engine) as s:
        agenda.remove_agenda_item(s, w.member, items[0].id)
    with read_session(engine) as s:
        assert [i.title for i in agenda.agenda(s, made.id)] == [
            "Visit to the welcome centre",
            "Wrap-up",
        ]


def test_agenda_item_rejects_empty_title_and_negative_length(engine: Engine, w: World) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        agenda.add_agenda_item(s, w.member, made.id, title="", duration_minutes=-5)
    assert set(err.value.fields) == {"title", "duration_minutes"}
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        agenda.add_agenda_item(s, w.observer, made.id, title="Observer's item")


def test_outcomes_are_typed_and_versioned(engine: Engine, w: World) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        outcomes.add_outcome(s, w.member, made.id, kind="wish", text=" ")
    assert set(err.value.fields) == {"kind", "text"}
    with write_session(engine) as s:
        made_outcome = outcomes.add_outcome(
            s, w.member, made.id, kind="insight", text="Buddies work"
        )
    with write_session(engine) as s:
        outcomes.update_outcome(
            s,
            w.facilitator,
            made_outcome.id,
            made_outcome.version,
            kind="decision",
            text="Adopt buddies",
        )
    with write_session(engine) as s, pytest.raises(ConflictError):
        outcomes.update_outcome(
            s, w.member, made_outcome.id, made_outcome.version, kind="insight", text="Mine"
        )
    with read_session(engine) as s:
        listed = action_outcomes.outcomes_with_actions(s, made.id)
    assert [(r.outcome.kind, r.outcome.text, r.action_id) for r in listed] == [
        ("decision", "Adopt buddies", None)
    ]


def test_action_outcome_of_a_closed_workshop_becomes_a_linked_action(
    engine: Engine, w: World
) -> None:
    workshop_id, outcome_id = _closed_with_action_outcome(engine, w)
    with write_session(engine) as s:
        action = action_outcomes.create_action_from_outcome(
            s,
            w.member,
            outcome_id,
            owner_person_id=w.facilitator.person_id,
            due_date=date(2026, 6, 30),
        )
    with read_session(engine) as s:
        stored = actions.get_action(s, w.observer, action.id)
        listed = action_outcomes.outcomes_with_actions(s, workshop_id)
    assert (stored.title, stored.community_id, stored.owner_person_id, stored.due_date) == (
        "Train 20 volunteer mentors",
        w.community.id,
        w.facilitator.person_id,
        date(2026, 6, 30),
    )
    assert (stored.workshop_id, stored.outcome_id) == (workshop_id, outcome_id)
    assert (listed[0].action_id, listed[0].action_title) == (
        action.id,
        "Train 20 volunteer mentors",
    )
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        action_outcomes.create_action_from_outcome(
            s, w.member, outcome_id, owner_person_id=w.member.person_id, due_date="2026-07-01"
        )
    assert "already became action" in err.value.fields["outcome_id"]


def test_action_owner_must_be_a_member_and_due_date_in_range(engine: Engine, w: World) -> None:
    _, outcome_id = _closed_with_action_outcome(engine, w)
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        action_outcomes.create_action_from_outcome(
            s,
            w.member,
            outcome_id,
            owner_person_id=w.outsider.person_id,
            due_date=date(2200, 1, 1),
            title="  ",
        )
    assert set(err.value.fields) == {"owner_person_id", "due_date", "title"}
    assert "member" in err.value.fields["owner_person_id"]
    with read_session(engine) as s:
        assert s.query(Action).count() == 0


def test_only_an_action_outcome_becomes_an_action(engine: Engine, w: World) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s:
        insight = outcomes.add_outcome(s, w.member, made.id, kind="insight", text="An insight")
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        action_outcomes.create_action_from_outcome(
            s, w.member, insight.id, owner_person_id=w.member.person_id, due_date=date(2026, 5, 1)
        )
    assert "Only an action outcome" in err.value.fields["kind"]


def test_observer_cannot_create_an_action_and_private_outsider_finds_nothing(
    engine: Engine,
) -> None:
    private = factories.world(engine, visibility="private")
    _, outcome_id = _closed_with_action_outcome(engine, private)
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        action_outcomes.create_action_from_outcome(
            s,
            private.observer,
            outcome_id,
            owner_person_id=private.member.person_id,
            due_date=date(2026, 5, 1),
        )
    with write_session(engine) as s, pytest.raises(NotFound):
        action_outcomes.create_action_from_outcome(
            s,
            private.outsider,
            outcome_id,
            owner_person_id=private.member.person_id,
            due_date=date(2026, 5, 1),
        )
    with write_session(engine) as s:
        action = actions.create_action(
            s,
            private.member,
            community_id=private.community.id,
            title="Direct action",
            owner_person_id=private.member.person_id,
            due_date="2026-09-01",
        )
    with read_session(engine) as s, pytest.raises(NotFound):
        actions.get_action(s, private.outsider, action.id)


def test_action_cannot_link_a_workshop_of_another_community(engine: Engine, w: World) -> None:
    other = factories.world(engine)
    foreign = factories.workshop(engine, other.member, other.community.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        actions.create_action(
            s,
            w.member,
            community_id=w.community.id,
            title="Borrowed",
            owner_person_id=w.member.person_id,
            due_date=date(2026, 5, 1),
            workshop_id=foreign.id,
        )
    assert "workshop_id" in err.value.fields


def _programme(engine: Engine, w: World, *titles: str) -> tuple[int, list[int]]:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s:
        ids = [agenda.add_agenda_item(s, w.member, made.id, title=t).id for t in titles]
    return made.id, ids  # type: ignore[return-value]


def _titles(engine: Engine, workshop_id: int) -> list[str]:
    with read_session(engine) as s:
        return [i.title for i in agenda.agenda(s, workshop_id)]


def test_agenda_items_move_up_and_down_and_each_move_is_audited(engine: Engine, w: World) -> None:
    from sqlmodel import select

    from cop.core.audit import AuditEvent

    made, (welcome, tour, lunch) = _programme(engine, w, "Welcome", "Tour", "Lunch")
    with write_session(engine) as s:
        agenda.move_agenda_item(s, w.member, lunch, "up")
    assert _titles(engine, made) == ["Welcome", "Lunch", "Tour"]
    with write_session(engine) as s:
        agenda.move_agenda_item(s, w.member, welcome, "down")
    assert _titles(engine, made) == ["Lunch", "Welcome", "Tour"]
    with read_session(engine) as s:
        moves = s.exec(select(AuditEvent).where(AuditEvent.action == "agenda_item.move")).all()
        assert {e.record_id for e in moves} >= {welcome, lunch}
        assert all("position" in e.changes for e in moves)


def test_moving_past_either_end_is_refused_and_changes_nothing(engine: Engine, w: World) -> None:
    made, (welcome, _tour, lunch) = _programme(engine, w, "Welcome", "Tour", "Lunch")
    for item, direction in ((welcome, "up"), (lunch, "down")):
        with write_session(engine) as s, pytest.raises(ValidationError) as refused:
            agenda.move_agenda_item(s, w.member, item, direction)
        assert set(refused.value.fields) == {"position"}
    with write_session(engine) as s, pytest.raises(ValidationError):
        agenda.move_agenda_item(s, w.member, welcome, "sideways")
    assert _titles(engine, made) == ["Welcome", "Tour", "Lunch"]


def test_moving_skips_removed_items_and_keeps_the_order_stable(engine: Engine, w: World) -> None:
    """Removed items keep their old positions; moves act on what the programme shows."""
    made, (welcome, tour, lunch, wrap) = _programme(
        engine, w, "Welcome", "Tour", "Lunch", "Wrap-up"
    )
    with write_session(engine) as s:
        agenda.remove_agenda_item(s, w.member, tour)
        agenda.move_agenda_item(s, w.member, lunch, "up")
        agenda.move_agenda_item(s, w.member, wrap, "up")
        agenda.add_agenda_item(s, w.member, made, title="Farewell")
    assert _titles(engine, made) == ["Lunch", "Wrap-up", "Welcome", "Farewell"]


def test_observers_cannot_move_agenda_items(engine: Engine, w: World) -> None:
    made, (welcome, _tour) = _programme(engine, w, "Welcome", "Tour")
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        agenda.move_agenda_item(s, w.observer, welcome, "down")
    assert _titles(engine, made) == ["Welcome", "Tour"]
