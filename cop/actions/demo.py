"""Demo step: the cities' joint actions, with co-owners, milestones, indicators and progress updates.

Each entry of the ``actions`` section of data/demo.yaml is created by a demo
user through the services, its milestones added and ticked off, and its
updates posted in order (which moves its status and progress by the same
rules as the page). Dates are relative to today, so the demo always has
overdue actions and actions due soon. The actions the workshops' outcomes called for
(noted by the workshops' step) are created first, from their outcomes. Updates are then dated ``days_ago``
back, so a timeline reads like the months of work it stands for.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cop.actions import outcomes as action_outcomes
from cop.actions import service as actions
from cop.actions import updates as action_updates
from cop.core import clock
from cop.core.demo_context import DemoContext
from cop.core.permissions import Actor


def step(ctx: DemoContext) -> None:
    _actions_from_outcomes(ctx)
    ids: dict[str, int] = {}
    for spec in ctx.data.get("actions", []):
        ids[spec["title"]] = _action(ctx, spec, ids)
    ctx.extra["actions"] = ids


def _actions_from_outcomes(ctx: DemoContext) -> None:
    """The actions the workshops' outcomes called for (the workshops' step noted them)."""
    for outcome_id, spec in ctx.extra.get("outcome_actions", {}).items():
        action_outcomes.create_action_from_outcome(
            ctx.session,
            ctx.actors[spec["by"]],
            outcome_id,
            owner_person_id=ctx.people[spec["owner"]],
            due_date=clock.today() + timedelta(days=spec["due_in_days"]),
        )


def _day(spec: dict[str, Any], key: str) -> Any:
    return clock.today() + timedelta(days=spec[key]) if key in spec else None


def _action(ctx, spec: dict[str, Any], earlier: dict[str, int]) -> int:  # noqa: ANN001
    session = ctx.session
    actor: Actor = ctx.actors[spec.get("by", "facilitator")]
    made = actions.create_action(
        session,
        actor,
        community_id=ctx.communities[spec["community"]],
        title=spec["title"],
        objective=spec.get("objective", ""),
        owner_person_id=ctx.people[spec["owner"]],
        co_owner_ids=[ctx.people[name] for name in spec.get("co_owners", [])],
        organisation_id=ctx.organisations[spec["city"]] if "city" in spec else None,
        partner_ids=[ctx.organisations[key] for key in spec.get("partners", [])],
        start_date=_day(spec, "start_in_days"),
        due_date=_day(spec, "due_in_days"),
        priority=spec.get("priority", "normal"),
        tags=spec.get("tags", []),
        parent_id=earlier[spec["parent"]] if "parent" in spec else None,
        workshop_id=ctx.extra["workshops"][spec["workshop"]] if "workshop" in spec else None,
        progress_mode=spec.get("progress_mode", "status"),
        status=spec.get("status", "planned"),
        indicators=spec.get("indicators", []),
    )
    for item in spec.get("milestones", []):
        milestone = action_updates.add_milestone(
            session, actor, made.id, title=item["title"], due_date=_day(item, "due_in_days")
        )
        if item.get("done"):
            action_updates.update_milestone(
                session, actor, milestone.id, milestone.version, done=True
            )
    for item in spec.get("updates", []):
        update = action_updates.post_update(
            session,
            actor,
            made.id,
            text=item["text"],
            new_status=item.get("status"),
            new_progress=item.get("progress"),
        )
        update.posted_at = clock.now() - timedelta(days=item["days_ago"])
        session.add(update)
    assert made.id is not None  # create_action flushed it
    return made.id
