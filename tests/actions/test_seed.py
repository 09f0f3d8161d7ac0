"""The actions seed step: the numbers it names, consistent progress, timelines in date order, usable by the services."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from cop.actions import progress as action_progress
from cop.actions import updates as action_updates
from cop.actions.detail_queries import action_detail
from cop.actions.models import Action, ActionMilestone, ActionTag, ActionUpdate
from cop.actions.queries import board, find_actions
from cop.backup.seed import SCALES, seed
from cop.communities.models import Membership
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM

SMALL = SCALES["small"]


def test_seeded_actions_follow_the_rules_the_services_keep(engine: Engine) -> None:
    counts = seed(engine, "small", random_seed=3)
    assert (counts["action"], counts["action_update"]) == (SMALL.actions, SMALL.action_updates)
    with read_session(engine) as s:
        rows = s.exec(select(Action)).all()
        members = {(m.community_id, m.person_id) for m in s.exec(select(Membership))}
        assert all((a.community_id, a.owner_person_id) in members for a in rows)
        for action in rows:
            derived = action_progress.derived_progress(s, action)
            assert derived is None or derived == action.progress, action.id
        assert any(a.parent_id for a in rows) and any(a.outcome_id for a in rows)
        assert s.exec(select(func.count()).select_from(ActionMilestone)).one() > 0
        tagged = defaultdict(list)
        for tag in s.exec(select(ActionTag)):
            tagged[tag.action_id].append(tag.value)
        assert all(sorted(a.tags) == sorted(tagged[a.id]) for a in rows)
        timelines = defaultdict(list)
        for update in s.exec(select(ActionUpdate).order_by(col(ActionUpdate.id))):
            timelines[update.action_id].append(update.posted_at)
        assert all(moments == sorted(moments) for moments in timelines.values())
        columns = board(s, SYSTEM)
        assert sum(c.total for c in columns) == SMALL.actions
        overdue = find_actions(s, SYSTEM, overdue=True)[1]
        assert 0 < overdue < SMALL.actions
        started = next(
            r
            for r in find_actions(s, SYSTEM, status="in_progress", limit=200)[0]
            if action_detail(s, SYSTEM, r.id).driven_by is None
        )
    with write_session(engine) as s:
        action_updates.post_update(
            s, SYSTEM, started.id, text="Checked after seeding", new_status="done"
        )
    with read_session(engine) as s:
        assert s.get(Action, started.id).progress == 100  # type: ignore[union-attr]
