"""How far an action got: status defaults, updates, milestones driving the percentage, sub-actions rolling up."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.actions import service as actions
from cop.actions import updates as action_updates
from cop.actions.models import ActionUpdate
from cop.actions.progress import progress_after_status
from cop.actions.queries import find_actions
from cop.core.db import read_session, write_session
from cop.core.errors import ValidationError
from cop.search.queries import search
from tests import factories
from tests.actions.test_service import make_action, stored
from tests.factories import World


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


@pytest.mark.parametrize(
    ("status", "current", "expected"),
    [
        ("idea", 40, 0),
        ("planned", 0, 10),
        ("planned", 80, 10),
        ("in_progress", 10, 50),
        ("in_progress", 0, 50),
        ("in_progress", 70, 70),
        ("in_progress", 100, 50),
        ("done", 30, 100),
        ("dropped", 35, 35),
        ("dropped", 100, 100),
    ],
)
def test_each_status_brings_its_default_progress(status: str, current: int, expected: int) -> None:
    assert progress_after_status(status, current) == expected


def _post(engine: Engine, actor, action_id: int, text: str = "News", **kw):  # noqa: ANN001
    with write_session(engine) as s:
        return action_updates.post_update(s, actor, action_id, text=text, **kw)


def test_posting_updates_moves_status_and_progress_and_the_latest_shows_in_the_list(
    engine: Engine, w: World
) -> None:
    action = make_action(engine, w.member, w.community.id, w.member, status="idea")
    assert stored(engine, action.id).progress == 0
    _post(engine, w.member, action.id, "Agreed with the district", new_status="planned")
    assert (stored(engine, action.id).status, stored(engine, action.id).progress) == ("planned", 10)
    _post(engine, w.member, action.id, "Two volunteers trained", new_status="in_progress")
    assert stored(engine, action.id).progress == 50
    _post(engine, w.member, action.id, "Most of it done", new_progress="80")
    _post(engine, w.member, action.id, "Paused over summer", new_status="planned")
    _post(engine, w.member, action.id, "Back at it ✨", new_status="in_progress")
    assert stored(engine, action.id).progress == 50  # 10 after "planned", so the default again
    _post(engine, w.member, action.id, "Now at 70", new_progress=70)
    _post(engine, w.member, action.id, "Stopped: funding ended", new_status="dropped")
    assert (stored(engine, action.id).status, stored(engine, action.id).progress) == ("dropped", 70)
    with read_session(engine) as s:
        rows, _ = find_actions(s, w.member)
        timeline = action_updates.updates(s, action.id)
    assert rows[0].latest_update.text == "Stopped: funding ended"
    assert [u.text for u in timeline][:2] == ["Stopped: funding ended", "Now at 70"]
    assert (timeline[0].new_status, timeline[0].new_progress) == ("dropped", 70)
    with read_session(engine) as s:
        assert find_actions(s, w.member, open_only=True)[1] == 0


def test_an_update_needs_text_and_sensible_numbers_and_a_done_action_is_at_100(
    engine: Engine, w: World
) -> None:
    action = make_action(engine, w.member, w.community.id, w.member)
    for kwargs, field in (
        ({"text": "  "}, "text"),
        ({"text": "x", "new_progress": "101"}, "new_progress"),
        ({"text": "x", "new_progress": "NaN"}, "new_progress"),
        ({"text": "x", "new_status": "won"}, "new_status"),
        ({"text": "x", "new_status": "done", "new_progress": 90}, "new_progress"),
    ):
        with pytest.raises(ValidationError) as err, write_session(engine) as s:
            action_updates.post_update(s, w.member, action.id, **kwargs)
        assert field in err.value.fields
    with read_session(engine) as s:
        assert s.exec(select(ActionUpdate)).all() == []
    assert stored(engine, action.id).version == action.version


def test_milestones_drive_the_percentage_in_milestones_mode(engine: Engine, w: World) -> None:
    action = make_action(
        engine, w.member, w.community.id, w.member, progress_mode="milestones", status="in_progress"
    )
    assert stored(engine, action.id).progress == 0
    with write_session(engine) as s:
        made = [
            action_updates.add_milestone(s, w.member, action.id, title=t, due_date=date(2026, 5, 1))
            for t in ("Plan", "Train", "Open")
        ]
    with write_session(engine) as s:
        action_updates.update_milestone(s, w.member, made[0].id, made[0].version, done=True)
    assert stored(engine, action.id).progress == 33
    with write_session(engine) as s:
        action_updates.update_milestone(s, w.member, made[1].id, made[1].version, done=True)
    assert stored(engine, action.id).progress == 67
    with pytest.raises(ValidationError) as err:
        _post(engine, w.member, action.id, new_progress=90)
    assert "milestones" in err.value.fields["new_progress"]
    _post(engine, w.member, action.id, new_status="done")
    assert stored(engine, action.id).progress == 67  # milestones decide, whatever the status
    with write_session(engine) as s:
        action_updates.remove_milestone(s, w.member, made[2].id)
    assert stored(engine, action.id).progress == 100
    with write_session(engine) as s:
        actions.update_action(
            s, w.member, action.id, stored(engine, action.id).version, progress_mode="status"
        )
    _post(engine, w.member, action.id, new_status="in_progress")
    assert stored(engine, action.id).progress == 50


def test_sub_actions_roll_up_into_their_parent_and_dropped_ones_leave_the_mean(
    engine: Engine, w: World
) -> None:
    grand = make_action(engine, w.member, w.community.id, w.member, title="Grandparent")
    parent = make_action(
        engine, w.member, w.community.id, w.member, title="Parent", parent_id=grand.id
    )
    assert stored(engine, grand.id).progress == 10  # mean of its one child at 10
    first = make_action(
        engine, w.member, w.community.id, w.member, title="First", parent_id=parent.id
    )
    second = make_action(
        engine,
        w.member,
        w.community.id,
        w.member,
        title="Second",
        parent_id=parent.id,
        status="idea",
    )
    assert stored(engine, parent.id).progress == 5
    _post(engine, w.member, first.id, new_status="done")
    assert (stored(engine, parent.id).progress, stored(engine, grand.id).progress) == (50, 50)
    with pytest.raises(ValidationError) as err:
        _post(engine, w.member, parent.id, new_progress=20)
    assert "sub-actions" in err.value.fields["new_progress"]
    _post(engine, w.member, second.id, new_status="dropped")
    assert (stored(engine, parent.id).progress, stored(engine, grand.id).progress) == (100, 100)
    _post(engine, w.member, parent.id, new_status="in_progress")
    assert stored(engine, parent.id).progress == 100  # the children decide
    with write_session(engine) as s:
        actions.delete_action(s, w.facilitator, first.id)
    assert (
        stored(engine, parent.id).progress == 100
    )  # no open or done child left: it keeps what it had
    with write_session(engine) as s:
        actions.restore_action(s, w.facilitator, first.id)
        extra = actions.create_action(
            s,
            w.member,
            community_id=w.community.id,
            title="Third",
            owner_person_id=w.member.person_id,
            due_date="2026-07-01",
            parent_id=parent.id,
            status="planned",
        )
    assert stored(engine, parent.id).progress == 55
    with write_session(engine) as s:
        actions.update_action(
            s, w.member, extra.id, stored(engine, extra.id).version, parent_id=None
        )
    assert stored(engine, parent.id).progress == 100


def test_search_finds_an_action_by_its_objective_and_by_the_text_of_its_updates(
    engine: Engine, w: World
) -> None:
    action = make_action(
        engine, w.member, w.community.id, w.member, objective="Reach Zwijnaarde families"
    )
    _post(engine, w.member, action.id, "The Düsseldorf buddies joined")
    with read_session(engine) as s:
        by_objective = search(s, w.observer, "zwijnaarde", kinds=["action"])
        by_update = search(s, w.observer, "dusseldorf buddies", kinds=["action"])
    assert [h.record_id for h in by_objective] == [action.id]
    assert [h.record_id for h in by_update] == [action.id]


def test_a_parent_shows_its_roll_up_labelled_and_keeps_its_last_posted_percentage_apart(
    engine: Engine, w: World
) -> None:
    """Issue 17 item 14: 65 % posted, then three sub-actions: the roll-up (10 %) is said to come
    from them everywhere, and the 65 % stays visible as what was posted, not as the progress."""
    from cop.actions import io as action_io
    from cop.actions.detail_queries import action_detail

    parent = make_action(engine, w.member, w.community.id, w.member, title="Welcome points")
    _post(engine, w.member, parent.id, "Two of three points open", new_progress=65)
    for n in range(3):
        make_action(
            engine, w.member, w.community.id, w.member, title=f"Point {n}", parent_id=parent.id
        )
    with pytest.raises(ValidationError) as err:  # a posted percentage would be overwritten at once
        _post(engine, w.member, parent.id, new_progress=70)
    assert "sub-actions" in err.value.fields["new_progress"]
    with read_session(engine) as s:
        rows, _ = find_actions(s, w.member)
        detail = action_detail(s, w.member, parent.id)
        csv_text = action_io.export_actions_csv(s, w.member, w.community.id).decode("utf-8-sig")
    row = next(r for r in rows if r.id == parent.id)
    assert (row.progress, row.progress_from) == (10, ("sub-actions", 3))
    assert all(r.progress_from is None for r in rows if r.id != parent.id)
    assert (detail.action.progress, detail.driven_by, detail.driven_count) == (
        10,
        "sub-actions",
        3,
    )
    assert detail.last_posted is not None and detail.last_posted.new_progress == 65
    header, *lines = csv_text.splitlines()
    assert "progress_from" in header.split(",")
    parent_line = next(line for line in lines if line.startswith(f"{parent.id},"))
    assert ",10,3 sub-actions," in parent_line


def test_key_results_count_each_open_action_once_not_a_roll_up_beside_its_sub_actions(
    engine: Engine, w: World
) -> None:
    from cop.toolkit.key_results import key_results

    parent = make_action(engine, w.member, w.community.id, w.member, title="Parent")
    for status in ("in_progress", "idea", "idea"):
        make_action(engine, w.member, w.community.id, w.member, parent_id=parent.id, status=status)
    make_action(engine, w.member, w.community.id, w.member, status="in_progress")
    assert stored(engine, parent.id).progress == 17  # (50 + 0 + 0) / 3
    with read_session(engine) as s:
        results = key_results(s, w.member, w.community.id)
    # Sub-actions 50, 0, 0 and the other action 50: the parent's 17 is their mean, not more work.
    assert results.average_progress == 25
