"""Seed step of joint actions: owners, co-owners, partners, tags, sub-actions, milestones, indicators, updates.

``ctx.scale.actions`` actions spread over the communities, each owned by a
contributing member (led by the owner's organisation), due from about a year
ago to a year ahead, in the mix of statuses a real action plan shows (most
past-due ones done, some overdue). About one in five comes from an action
outcome of a workshop, one in ten is a sub-action whose parent shows the
mean of its children, some are measured by milestones (their percentage is
done / all). ``ctx.scale.action_updates`` updates form the actions'
timelines, in date order so the newest update of an action has its highest
id, the last one recording the status it reached.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from cop.actions.models import (
    Action,
    ActionCoOwner,
    ActionIndicator,
    ActionMilestone,
    ActionPartner,
    ActionTag,
    ActionUpdate,
)
from cop.actions.progress import STATUS_PROGRESS
from cop.communities.models import Organisation, Person
from cop.core.db import table_of
from cop.core.permissions import Role
from cop.core.seed_context import SeedContext
from cop.core.tags import tag_key
from cop.workshops.models import Outcome, OutcomeKind, Workshop

TITLES = [
    "Open a welcome point in {c}",
    "Train volunteers for first contacts in {c}",
    "Buddy programme pilot in {c}",
    "Translate the welcome guide of {c}",
    "Recognition scheme for volunteers in {c}",
    "Language café in {c}",
    "Map volunteer groups in {c}",
    "Mentoring into work in {c}",
    "Sport für alle in {c} ⚽",
    "Survey newcomers' needs in {c}",
    "Neighbourhood festival in {c} 🎉",
    "Women's circle in {c}",
    "Contact person for volunteers in {c}",
    "مجموعات الحوار in {c}",
]
TAGS = [
    "Welcoming",
    "Volunteers",
    "Youth",
    "Language",
    "Employment",
    "Neighbourhood",
    "Sport",
    "Evaluation",
    "Women",
    "Digital",
    "Recognition",
    "Housing",
]
MILESTONES = [
    "Agree the plan",
    "Find partners",
    "Train volunteers",
    "First session",
    "Evaluate",
    "Share results",
]
UPDATE_TEXTS = [
    "Met the district office; they want to take part.",
    "Two more volunteers joined.",
    "Waiting for the budget decision.",
    "First session held with twelve participants.",
    "Translated the leaflet into Arabic and Ukrainian.",
    "Partner NGO signed the agreement.",
    "Paused over the summer holidays.",
    "Evaluation questionnaire sent out.",
    "Results shared with the community.",
]
STATUS_WEIGHTS_PAST = (["idea", "planned", "in_progress", "done", "dropped"], [3, 10, 22, 55, 10])
STATUS_WEIGHTS_FUTURE = (["idea", "planned", "in_progress", "done", "dropped"], [15, 35, 38, 8, 4])


def step(ctx: SeedContext) -> None:
    rows, links = actions(ctx)
    _roll_up(rows)
    ctx.insert(table_of(Action), rows)
    for table, found in links.items():
        ctx.insert(table, found)
    updates(ctx, rows)


def _people(ctx: SeedContext) -> dict[int, int | None]:
    return dict(
        ctx.conn.execute(sa.select(table_of(Person).c.id, table_of(Person).c.organisation_id)).all()
    )


def _action_outcomes(ctx: SeedContext) -> dict[int, list[tuple[int, int]]]:
    """Community id -> (workshop id, outcome id) of the action outcomes the workshops step recorded."""
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = ctx.conn.execute(
        sa.select(
            table_of(Workshop).c.community_id,
            table_of(Outcome).c.workshop_id,
            table_of(Outcome).c.id,
        )
        .join(table_of(Workshop), table_of(Workshop).c.id == table_of(Outcome).c.workshop_id)
        .where(table_of(Outcome).c.kind == OutcomeKind.ACTION.value)
        .order_by(table_of(Outcome).c.id)
    )
    for community_id, workshop_id, outcome_id in rows:
        found[community_id].append((workshop_id, outcome_id))
    return found


def _status(ctx: SeedContext, due: date, today: date) -> tuple[str, int]:
    statuses, weights = STATUS_WEIGHTS_PAST if due < today else STATUS_WEIGHTS_FUTURE
    status = ctx.rng.choices(statuses, weights)[0]
    if status == "dropped":
        return status, ctx.rng.choice((0, 10, 30, 50, 70))
    if status == "in_progress" and ctx.rng.random() < 0.5:
        return status, ctx.rng.randrange(20, 95, 5)
    return status, STATUS_PROGRESS[status]


def actions(ctx: SeedContext) -> tuple[list[dict[str, Any]], dict[sa.Table, list[dict[str, Any]]]]:
    """The action rows and the rows of their link and child tables."""
    people = _people(ctx)
    names = dict(
        ctx.conn.execute(
            sa.select(table_of(Organisation).c.id, table_of(Organisation).c.name)
        ).all()
    )
    organisation_ids = sorted(names)
    outcomes = _action_outcomes(ctx)
    community_ids = sorted(ctx.members)
    today = ctx.now.date()
    links: dict[sa.Table, list[dict[str, Any]]] = {
        t: []
        for t in (
            table_of(ActionCoOwner),
            table_of(ActionPartner),
            table_of(ActionTag),
            table_of(ActionMilestone),
            table_of(ActionIndicator),
        )
    }
    parents: dict[int, list[int]] = defaultdict(
        list
    )  # community -> action ids that may hold sub-actions
    rows = []
    for action_id in ctx.new_ids(table_of(Action), ctx.scale.actions if community_ids else 0):
        community_id = ctx.rng.choice(community_ids)
        members = ctx.members[community_id]
        contributors = [p for p, role in members if role != Role.OBSERVER] or [
            p for p, _ in members
        ]
        owner = ctx.rng.choice(contributors)
        organisation_id = people.get(owner)
        due = today + timedelta(days=ctx.rng.randint(-400, 400))
        created_at = min(
            ctx.now,
            datetime.combine(due, datetime.min.time(), ctx.now.tzinfo)
            - timedelta(days=ctx.rng.uniform(30, 500)),
        )
        start = (due - timedelta(days=ctx.rng.randint(30, 365))) if ctx.rng.random() < 0.8 else None
        status, progress = _status(ctx, due, today)
        workshop_id = outcome_id = None
        if outcomes.get(community_id) and ctx.rng.random() < 0.2:
            workshop_id, outcome_id = outcomes[community_id].pop()
        parent_id = None
        if parents[community_id] and ctx.rng.random() < 0.1:
            parent_id = ctx.rng.choice(parents[community_id])
        else:
            parents[community_id].append(action_id)
        tags = ctx.rng.sample(TAGS, ctx.rng.choice((0, 1, 1, 2, 3)))
        by_milestones = ctx.rng.random() < 0.15
        rows.append(
            {
                **ctx.stamps(created_at),
                "id": action_id,
                "community_id": community_id,
                "title": ctx.rng.choice(TITLES).format(c=names.get(organisation_id, "the city")),
                "objective": f"Agreed in the community: {ctx.rng.choice(UPDATE_TEXTS).lower()}",
                "owner_person_id": owner,
                "organisation_id": organisation_id,
                "start_date": start,
                "due_date": due,
                "status": status,
                "progress": progress,
                "progress_mode": "milestones" if by_milestones else "status",
                "priority": ctx.rng.choices(("low", "normal", "high"), (20, 60, 20))[0],
                "tags": tags,
                "parent_id": parent_id,
                "workshop_id": workshop_id,
                "outcome_id": outcome_id,
            }
        )
        if ctx.rng.random() < 0.3:
            co_owners = sorted(
                {p for p in ctx.rng.sample(contributors, min(2, len(contributors))) if p != owner}
            )
            links[table_of(ActionCoOwner)].extend(
                {"action_id": action_id, "person_id": p} for p in co_owners
            )
        if ctx.rng.random() < 0.2:
            for partner in ctx.rng.sample(organisation_ids, min(2, len(organisation_ids))):
                links[table_of(ActionPartner)].append(
                    {"action_id": action_id, "organisation_id": partner}
                )
        links[table_of(ActionTag)].extend(
            {"action_id": action_id, "key": tag_key(t), "value": t} for t in tags
        )
        if by_milestones:
            rows[-1]["progress"] = _milestones(ctx, rows[-1], links[table_of(ActionMilestone)])
        if ctx.rng.random() < 0.1:
            _indicators(ctx, rows[-1], links[table_of(ActionIndicator)])
    return rows, links


def _milestones(ctx: SeedContext, action: dict[str, Any], into: list[dict[str, Any]]) -> int:
    """Two to five milestones, the earlier ones done as far as the status suggests; returns the percentage."""
    chosen = MILESTONES[: ctx.rng.randint(2, 5)]
    share = {"idea": 0.0, "planned": 0.0, "done": 1.0}.get(action["status"], ctx.rng.random())
    done_count = round(share * len(chosen))
    span = max(
        1,
        (
            action["due_date"] - (action["start_date"] or action["due_date"] - timedelta(days=90))
        ).days,
    )
    for position, title in enumerate(chosen, start=1):
        into.append(
            {
                **ctx.stamps(action["created_at"]),
                "id": ctx.new_ids(table_of(ActionMilestone), 1)[0],
                "action_id": action["id"],
                "title": title,
                "position": position,
                "done": position <= done_count,
                "due_date": action["due_date"]
                - timedelta(days=span * (len(chosen) - position) // len(chosen)),
            }
        )
    return (200 * done_count + len(chosen)) // (2 * len(chosen))


def _indicators(ctx: SeedContext, action: dict[str, Any], into: list[dict[str, Any]]) -> None:
    baseline = float(ctx.rng.randint(0, 40))
    target = baseline + ctx.rng.randint(10, 200)
    into.append(
        {
            **ctx.stamps(action["created_at"]),
            "id": ctx.new_ids(table_of(ActionIndicator), 1)[0],
            "action_id": action["id"],
            "name": ctx.rng.choice(("Volunteers active", "Newcomers reached", "Sessions held")),
            "unit": "people",
            "baseline": baseline,
            "target": target,
            "current": round(baseline + (target - baseline) * action["progress"] / 100, 1),
            "position": 1,
        }
    )


def _roll_up(rows: list[dict[str, Any]]) -> None:
    """Parents show the mean progress of their open and done sub-actions, as the service keeps it."""
    children: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row["parent_id"] is not None and row["status"] != "dropped":
            children[row["parent_id"]].append(row["progress"])
    by_id = {row["id"]: row for row in rows}
    for parent_id, progress in children.items():
        by_id[parent_id]["progress"] = (200 * sum(progress) + 100 * len(progress)) // (
            200 * len(progress)
        )


def updates(ctx: SeedContext, rows: list[dict[str, Any]]) -> None:
    """``scale.action_updates`` dated notes, in date order per action; the last one records the status reached.

    Streamed into the table in chunks: 300,000 updates need not sit in memory at once.
    """
    if not rows:
        return
    per_action = [0] * len(rows)
    for _ in range(ctx.scale.action_updates):
        per_action[ctx.rng.randrange(len(rows))] += 1
    ids = iter(ctx.new_ids(table_of(ActionUpdate), sum(per_action)))
    ctx.insert(
        table_of(ActionUpdate),
        (
            update
            for row, wanted in zip(rows, per_action, strict=True)
            if wanted
            for update in _timeline(ctx, row, wanted, ids)
        ),
    )


def _timeline(ctx: SeedContext, row: dict[str, Any], wanted: int, ids: Any) -> list[dict[str, Any]]:
    last = min(
        ctx.now,
        max(
            row["created_at"],
            datetime.combine(row["due_date"], datetime.min.time(), ctx.now.tzinfo),
        ),
    )
    span = max(1.0, (last - row["created_at"]).total_seconds())
    moments = sorted(
        row["created_at"] + timedelta(seconds=ctx.rng.uniform(0, span)) for _ in range(wanted)
    )
    found = []
    for n, posted_at in enumerate(moments, start=1):
        final = n == wanted and row["status"] not in ("idea", "planned")
        found.append(
            {
                "id": next(ids),
                "action_id": row["id"],
                "posted_at": posted_at,
                "author_person_id": row["owner_person_id"],
                "author_user_id": None,
                "text": ctx.rng.choice(UPDATE_TEXTS),
                "new_status": row["status"] if final else None,
                "new_progress": row["progress"] if final else None,
            }
        )
    return found
