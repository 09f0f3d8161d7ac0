"""Joint actions: creating them, who may change which, stale edits and moves, overdue, assignment notices."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.accounts import admin
from cop.accounts.models import Notification
from cop.actions import service as actions
from cop.actions import updates as action_updates
from cop.actions.detail_queries import action_detail, action_history, sub_actions
from cop.actions.models import Action, ActionTag
from cop.actions.queries import find_actions
from cop.communities import service as communities
from cop.core import clock
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from cop.core.permissions import SYSTEM, Actor, Role
from tests import factories
from tests.factories import World


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


def make_action(
    engine: Engine, actor: Actor, community_id: int, owner: Actor | int, **fields: Any
) -> Action:
    values: dict[str, Any] = {"title": "Open a welcome point", "due_date": date(2026, 6, 30)}
    values.update(fields)
    owner_id = owner if isinstance(owner, int) else owner.person_id
    with write_session(engine) as s:
        return actions.create_action(
            s, actor, community_id=community_id, owner_person_id=owner_id, **values
        )  # type: ignore[arg-type]


def stored(engine: Engine, action_id: int) -> Action:
    with read_session(engine) as s:
        return s.get(Action, action_id)  # type: ignore[return-value]


def test_member_creates_an_action_with_every_field_and_it_reads_back_verbatim(
    engine: Engine, w: World
) -> None:
    city = factories.organisation(engine, "Düsseldorf")
    partner = factories.organisation(engine, "Volunteer centre")
    title = "  مرحبا – welcome point 🎉 e\u0301  "
    action = make_action(
        engine,
        w.member,
        w.community.id,
        w.member,
        title=title,
        objective="Why:\n\n**newcomers**",
        organisation_id=city,
        co_owner_ids=[w.facilitator.person_id],
        partner_ids=[partner],
        start_date="2026-01-15",
        priority="high",
        tags="Welcome, welcome , Buddies",
        indicators=[
            {
                "name": "Volunteers",
                "unit": "people",
                "baseline": "3",
                "target": 20,
                "current": "4,5",
            }
        ],
    )
    with read_session(engine) as s:
        detail = action_detail(s, w.member, action.id)
        tags = sorted(s.exec(select(ActionTag.key).where(ActionTag.action_id == action.id)))
    a = detail.action
    assert a.title == title.strip()
    assert (a.objective, a.priority, a.tags, a.start_date) == (
        "Why:\n\n**newcomers**",
        "high",
        ["Welcome", "Buddies"],
        date(2026, 1, 15),
    )
    assert (a.status, a.progress, a.organisation_id) == ("planned", 10, city)
    assert [p.id for p in detail.co_owners] == [w.facilitator.person_id]
    assert [o.name for o in detail.partners] == ["Volunteer centre"]
    assert [(i.name, i.unit, i.baseline, i.target, i.current) for i in detail.indicators] == [
        ("Volunteers", "people", 3.0, 20.0, 4.5)
    ]
    assert tags == ["buddies", "welcome"]


def test_without_an_organisation_the_owners_own_city_leads_the_action(
    engine: Engine, w: World
) -> None:
    city = factories.organisation(engine, "Ghent")
    owner = factories.actor(engine, Role.MEMBER, w.community.id, organisation_id=city)
    assert make_action(engine, w.facilitator, w.community.id, owner).organisation_id == city


def test_bad_input_is_refused_field_by_field_and_nothing_is_written(
    engine: Engine, w: World
) -> None:
    with pytest.raises(ValidationError) as err, write_session(engine) as s:
        actions.create_action(
            s,
            w.member,
            community_id=w.community.id,
            title=" ",
            owner_person_id=w.outsider.person_id,
            due_date="2026-02-30",
            start_date="1900-01-01",
            priority="urgent",
            status="finished",
            co_owner_ids=[w.outsider.person_id],
            partner_ids=[999_999],
            tags=["x" * 61],
            indicators=[{"name": "Reach", "target": "NaN"}],
        )
    fields = err.value.fields
    assert set(fields) == {
        "title",
        "owner_person_id",
        "due_date",
        "start_date",
        "priority",
        "status",
        "co_owner_ids",
        "partner_ids",
        "tags",
        "indicators.1.target",
    }
    assert fields["owner_person_id"] == "The owner is not a member of this community."
    with read_session(engine) as s:
        assert s.exec(select(Action)).all() == []


def test_due_date_before_start_is_refused(engine: Engine, w: World) -> None:
    with pytest.raises(ValidationError) as err, write_session(engine) as s:
        actions.create_action(
            s,
            w.member,
            community_id=w.community.id,
            title="Backwards",
            owner_person_id=w.member.person_id,
            start_date=date(2026, 5, 1),
            due_date=date(2026, 4, 30),
        )
    assert set(err.value.fields) == {"due_date"}


def test_a_deactivated_account_still_owns_while_the_membership_lasts(
    engine: Engine, w: World
) -> None:
    with write_session(engine) as s:
        admin.deactivate_user(s, SYSTEM, w.member.user_id)
    assert (
        make_action(engine, w.facilitator, w.community.id, w.member).owner_person_id
        == w.member.person_id
    )
    with read_session(engine) as s:
        membership = next(
            m
            for m in communities.members(s, SYSTEM, w.community.id)
            if m.person_id == w.member.person_id
        )
    with write_session(engine) as s:
        communities.remove_member(s, SYSTEM, membership.membership_id)
    with pytest.raises(ValidationError) as err:
        make_action(engine, w.facilitator, w.community.id, w.member)
    assert err.value.fields["owner_person_id"] == "The owner is not a member of this community."


def test_observer_and_outsider_may_not_create_and_a_private_community_does_not_exist_for_outsiders(
    engine: Engine,
) -> None:
    private = factories.world(engine, visibility="private")
    with pytest.raises(PermissionDenied):
        make_action(engine, private.observer, private.community.id, private.member)
    with pytest.raises(NotFound):
        make_action(engine, private.outsider, private.community.id, private.member)
    action = make_action(engine, private.member, private.community.id, private.member)
    with read_session(engine) as s:
        with pytest.raises(NotFound):
            actions.get_action(s, private.outsider, action.id)
        with pytest.raises(NotFound):
            action_detail(s, private.outsider, action.id)
        with pytest.raises(NotFound):  # the History and Sub-actions tabs read on their own
            action_history(s, private.outsider, action.id)
        with pytest.raises(NotFound):
            sub_actions(s, private.outsider, action.id)
        assert find_actions(s, private.outsider)[1] == 0
        assert find_actions(s, private.observer)[1] == 1
    with pytest.raises(NotFound), write_session(engine) as s:
        action_updates.post_update(s, private.outsider, action.id, text="Sneaking in")


def test_member_cannot_update_another_members_action_but_a_co_owner_and_facilitator_can(
    engine: Engine, w: World
) -> None:
    other = factories.actor(engine, Role.MEMBER, w.community.id)
    action = make_action(
        engine, w.facilitator, w.community.id, other, co_owner_ids=[w.facilitator.person_id]
    )
    for operation in (
        lambda s, a: actions.update_action(
            s, a, action.id, stored(engine, action.id).version, title="Taken over"
        ),
        lambda s, a: action_updates.post_update(s, a, action.id, text="Done!", new_status="done"),
        lambda s, a: actions.move_action(
            s, a, action.id, stored(engine, action.id).version, "in_progress"
        ),
    ):
        for refused in (w.member, w.observer):
            with pytest.raises(PermissionDenied), write_session(engine) as s:
                operation(s, refused)
    with write_session(engine) as s:
        actions.update_action(
            s,
            w.facilitator,
            action.id,
            stored(engine, action.id).version,
            co_owner_ids=[w.member.person_id],
        )
    with write_session(engine) as s:  # now a co-owner
        action_updates.post_update(
            s, w.member, action.id, text="Started with two districts", new_status="in_progress"
        )
    with write_session(engine) as s:
        actions.move_action(s, other, action.id, stored(engine, action.id).version, "done")
    assert (stored(engine, action.id).status, stored(engine, action.id).progress) == ("done", 100)


def test_only_facilitators_delete_and_restore(engine: Engine, w: World) -> None:
    action = make_action(engine, w.member, w.community.id, w.member)
    with pytest.raises(PermissionDenied), write_session(engine) as s:
        actions.delete_action(s, w.member, action.id)
    with write_session(engine) as s:
        actions.delete_action(s, w.facilitator, action.id)
    with read_session(engine) as s:
        assert find_actions(s, w.facilitator)[1] == 0
        with pytest.raises(NotFound):
            actions.get_action(s, w.member, action.id)
    with pytest.raises(PermissionDenied), write_session(engine) as s:
        actions.restore_action(s, w.member, action.id)
    with write_session(engine) as s:
        actions.restore_action(s, w.facilitator, action.id)
    with read_session(engine) as s:
        assert find_actions(s, w.member)[1] == 1
        assert [
            e.action
            for e in s.exec(
                select(AuditEvent).where(AuditEvent.record_type == "action").order_by(AuditEvent.id)
            )
        ][-2:] == ["action.delete", "action.restore"]


def test_a_stale_move_is_refused_with_the_other_change_and_changes_nothing(
    engine: Engine, w: World
) -> None:
    action = make_action(engine, w.member, w.community.id, w.member)
    seen = action.version
    with write_session(engine) as s:
        actions.move_action(s, w.facilitator, action.id, seen, "in_progress")
    with pytest.raises(ConflictError) as err, write_session(engine) as s:
        actions.move_action(s, w.member, action.id, seen, "dropped")
    assert err.value.changed["status"]["was"] == "planned"
    assert err.value.changed["status"]["now"] == "in_progress"
    assert (stored(engine, action.id).status, stored(engine, action.id).version) == (
        "in_progress",
        seen + 1,
    )


def test_a_stale_edit_is_refused_and_an_edit_of_co_owners_alone_still_moves_the_version(
    engine: Engine, w: World
) -> None:
    action = make_action(engine, w.member, w.community.id, w.member)
    with write_session(engine) as s:
        actions.update_action(
            s, w.member, action.id, action.version, co_owner_ids=[w.facilitator.person_id]
        )
    assert stored(engine, action.id).version == action.version + 1
    with pytest.raises(ConflictError), write_session(engine) as s:
        actions.update_action(s, w.facilitator, action.id, action.version, title="Old form")
    assert stored(engine, action.id).title == "Open a welcome point"


def test_overdue_means_due_before_today_and_still_open(engine: Engine, w: World) -> None:
    clock.freeze(datetime(2026, 3, 1, 9, tzinfo=UTC))
    late = make_action(
        engine, w.member, w.community.id, w.member, title="Late", due_date=date(2026, 2, 28)
    )
    make_action(
        engine, w.member, w.community.id, w.member, title="Due today", due_date=date(2026, 3, 1)
    )
    finished = make_action(
        engine, w.member, w.community.id, w.member, title="Finished", due_date=date(2026, 1, 1)
    )
    dropped = make_action(
        engine, w.member, w.community.id, w.member, title="Given up", due_date=date(2026, 1, 1)
    )
    with write_session(engine) as s:
        actions.move_action(s, w.member, finished.id, finished.version, "done")
        actions.move_action(s, w.member, dropped.id, dropped.version, "dropped")
    with read_session(engine) as s:
        rows, total = find_actions(s, w.member, overdue=True)
        assert [r.title for r in rows] == ["Late"] and total == 1
        assert action_detail(s, w.member, late.id).overdue
        assert not action_detail(s, w.member, dropped.id).overdue
    clock.freeze(datetime(2026, 3, 2, 9, tzinfo=UTC))
    with read_session(engine) as s:
        assert sorted(r.title for r in find_actions(s, w.member, overdue=True)[0]) == [
            "Due today",
            "Late",
        ]


def test_assigning_an_action_notifies_the_new_owner_but_not_the_one_who_assigned_it(
    engine: Engine, w: World
) -> None:
    other = factories.actor(engine, Role.MEMBER, w.community.id)
    action = make_action(engine, w.facilitator, w.community.id, w.member)
    make_action(engine, w.member, w.community.id, w.member, title="My own")
    with write_session(engine) as s:
        actions.update_action(
            s, w.facilitator, action.id, action.version, owner_person_id=other.person_id
        )
    with read_session(engine) as s:
        notes = s.exec(
            select(Notification.user_id, Notification.record_id).where(
                Notification.kind == "action.assigned"
            )
        ).all()
    assert sorted(notes) == sorted([(w.member.user_id, action.id), (other.user_id, action.id)])


def test_ids_from_the_url_are_checked(engine: Engine, w: World) -> None:
    make_action(engine, w.member, w.community.id, w.member)
    with read_session(engine) as s:
        for bad in ("1 OR 1=1", "-1", "", None, "999999", "../1"):
            with pytest.raises(NotFound):
                action_detail(s, w.member, bad)


def test_a_sub_action_must_be_in_the_same_community_and_cannot_make_a_cycle(
    engine: Engine, w: World
) -> None:
    other = factories.world(engine)
    parent = make_action(engine, w.member, w.community.id, w.member, title="Parent")
    child = make_action(
        engine, w.member, w.community.id, w.member, title="Child", parent_id=parent.id
    )
    foreign = make_action(engine, other.member, other.community.id, other.member)
    with pytest.raises(ValidationError) as err:
        make_action(engine, w.member, w.community.id, w.member, parent_id=foreign.id)
    assert set(err.value.fields) == {"parent_id"}
    with pytest.raises(ValidationError) as err, write_session(engine) as s:
        actions.update_action(
            s, w.member, parent.id, stored(engine, parent.id).version, parent_id=child.id
        )
    assert "itself" in err.value.fields["parent_id"]


def test_ticking_a_milestone_and_changing_an_indicator_appear_in_the_actions_history(
    engine: Engine, w: World
) -> None:
    """Issue 17, defect 15: neither showed in the action's History."""
    action = make_action(engine, w.member, w.community.id, w.member)
    with write_session(engine) as s:
        milestone = action_updates.add_milestone(s, w.member, action.id, title="Room booked")
        indicator = action_updates.add_indicator(
            s, w.member, action.id, name="Volunteers", baseline=0, target=20
        )
    with write_session(engine) as s:
        action_updates.update_milestone(s, w.member, milestone.id, milestone.version, done=True)
        action_updates.update_indicator(s, w.member, indicator.id, indicator.version, current=7)
    with read_session(engine) as s:
        entries = action_history(s, w.member, action.id)
    sentences = [str(e.sentence) for e in entries]
    changes = [str(c) for e in entries for c in e.changes]
    assert any("updated the milestone “Room booked” of the action" in x for x in sentences)
    assert any("updated the indicator “Volunteers” of the action" in x for x in sentences)
    assert any(x.endswith(f"created the action “{action.title}”.") for x in sentences)
    assert "Done: no → yes" in changes and "Current: – → 7" in changes
