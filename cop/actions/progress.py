"""How far an action got: the rules that turn statuses, milestones and sub-actions into a percentage.

Three things can drive an action's progress, strongest first:

1. its sub-actions: an action with live children that are open or done shows
   their mean (dropped children no longer count);
2. its milestones, when the action is in milestones mode: done / all;
3. its status, otherwise: idea 0 %, planned 10 %, in progress 50 % (a value
   already between planned and done is kept, so re-opening a 70 % action
   does not throw its progress away), done 100 %; dropped keeps the progress
   it had. An update may set another percentage for an open action.

``settle`` is called after every change that can move a percentage; it
brings the action, then its parent and so on up, in line with these rules.
Each correction is a versioned, audited save like any other edit.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from cop.actions.models import Action, ActionMilestone, ActionStatus, ProgressMode
from cop.core import records
from cop.core.permissions import Actor

STATUSES = [s.value for s in ActionStatus]
OPEN_STATUSES = (
    ActionStatus.IDEA.value,
    ActionStatus.PLANNED.value,
    ActionStatus.IN_PROGRESS.value,
)
CLOSED_STATUSES = (ActionStatus.DONE.value, ActionStatus.DROPPED.value)
STATUS_PROGRESS = {
    ActionStatus.IDEA.value: 0,
    ActionStatus.PLANNED.value: 10,
    ActionStatus.IN_PROGRESS.value: 50,
    ActionStatus.DONE.value: 100,
}
DRIVEN_BY_CHILDREN = "sub-actions"
DRIVEN_BY_MILESTONES = "milestones"


def progress_after_status(status: str, current: int) -> int:
    """The percentage an action shows after moving to ``status`` from ``current``."""
    if status == ActionStatus.DROPPED:
        return current
    if status == ActionStatus.IN_PROGRESS and STATUS_PROGRESS[ActionStatus.PLANNED] < current < 100:
        return current
    return STATUS_PROGRESS[status]


def _rounded_share(part: int, whole: int) -> int:
    """``100 * part / whole`` rounded half up, in whole percent."""
    return (200 * part + whole) // (2 * whole)


def children_progress(session: Session, action_id: int) -> list[int]:
    """The progress of the live, open or done sub-actions."""
    return list(
        session.exec(
            select(Action.progress).where(
                Action.parent_id == action_id,
                col(Action.deleted_at).is_(None),
                Action.status != ActionStatus.DROPPED,
            )
        )
    )


def milestone_counts(session: Session, action_id: int) -> tuple[int, int]:
    """(done, all) of the action's live milestones."""
    done, total = session.exec(
        select(func.count().filter(col(ActionMilestone.done).is_(True)), func.count()).where(
            ActionMilestone.action_id == action_id, col(ActionMilestone.deleted_at).is_(None)
        )
    ).one()
    return int(done or 0), int(total or 0)


def driven_by(session: Session, action: Action) -> str | None:
    """What decides this action's percentage instead of its status, if anything."""
    if action.id is not None and children_progress(session, action.id):
        return DRIVEN_BY_CHILDREN
    if action.progress_mode == ProgressMode.MILESTONES:
        return DRIVEN_BY_MILESTONES
    return None


def derived_progress(session: Session, action: Action) -> int | None:
    """The percentage the sub-actions or milestones dictate, or None when status and updates decide."""
    if action.id is None:
        return 0 if action.progress_mode == ProgressMode.MILESTONES else None
    children = children_progress(session, action.id)
    if children:
        return _rounded_share(sum(children), 100 * len(children))
    if action.progress_mode == ProgressMode.MILESTONES:
        done, total = milestone_counts(session, action.id)
        return _rounded_share(done, total) if total else 0
    return None


def derived_many(
    session: Session, actions: list[Action], chunk: int = 500
) -> dict[int, tuple[str, int]]:
    """``derived_progress`` and ``driven_by`` of many actions in a few queries (an import's preview).

    Only actions whose percentage something else drives appear in the answer.
    """
    found: dict[int, tuple[str, int]] = {}
    ids = [a.id for a in actions if a.id is not None]
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows = session.exec(
            select(Action.parent_id, func.sum(Action.progress), func.count())
            .where(
                col(Action.parent_id).in_(part),
                col(Action.deleted_at).is_(None),
                col(Action.status) != ActionStatus.DROPPED,
            )
            .group_by(col(Action.parent_id))
        )
        for parent_id, total, n in rows:
            assert parent_id is not None  # one of the ids in ``part``
            found[parent_id] = (DRIVEN_BY_CHILDREN, _rounded_share(int(total), 100 * int(n)))
    by_milestones = [
        a.id
        for a in actions
        if a.id is not None and a.progress_mode == ProgressMode.MILESTONES and a.id not in found
    ]
    for start in range(0, len(by_milestones), chunk):
        part = by_milestones[start : start + chunk]
        counts = {
            action_id: (int(done or 0), int(total))
            for action_id, done, total in session.exec(
                select(
                    ActionMilestone.action_id,
                    func.count().filter(col(ActionMilestone.done).is_(True)),
                    func.count(),
                )
                .where(
                    col(ActionMilestone.action_id).in_(part),
                    col(ActionMilestone.deleted_at).is_(None),
                )
                .group_by(col(ActionMilestone.action_id))
            )
        }
        for action_id in part:
            done, total = counts.get(action_id, (0, 0))
            found[action_id] = (DRIVEN_BY_MILESTONES, _rounded_share(done, total) if total else 0)
    return found


def rolled_up() -> sa.ColumnElement[bool]:
    """True for an ``Action`` row whose percentage is its sub-actions' mean.

    Averages leave such a row out: beside its sub-actions it would count the same work twice.
    """
    child = aliased(Action)
    return (
        sa.select(col(child.id))
        .where(
            col(child.parent_id) == Action.id,
            col(child.deleted_at).is_(None),
            col(child.status) != ActionStatus.DROPPED,
        )
        .exists()
    )


def progress_sources(
    session: Session, rows: list[tuple[int, str]], chunk: int = 500
) -> dict[int, tuple[str, int]]:
    """What drives each listed action's percentage and how many of it: (``"sub-actions"``, 3).

    ``rows`` are (id, progress mode). Lists and exports label a rolled-up or milestone-driven
    percentage with this, so a parent's 10 % is never read as a value someone posted. Actions
    whose status and updates decide are left out.
    """
    found: dict[int, tuple[str, int]] = {}
    ids = [action_id for action_id, _mode in rows]
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        for parent_id, n in session.exec(
            select(Action.parent_id, func.count())
            .where(
                col(Action.parent_id).in_(part),
                col(Action.deleted_at).is_(None),
                col(Action.status) != ActionStatus.DROPPED,
            )
            .group_by(col(Action.parent_id))
        ):
            found[int(parent_id)] = (DRIVEN_BY_CHILDREN, int(n))  # type: ignore[arg-type]  # grouped by a non-null parent
    by_milestones = [
        action_id
        for action_id, mode in rows
        if mode == ProgressMode.MILESTONES and action_id not in found
    ]
    for start in range(0, len(by_milestones), chunk):
        part = by_milestones[start : start + chunk]
        counts = dict(
            session.exec(
                select(ActionMilestone.action_id, func.count())
                .where(
                    col(ActionMilestone.action_id).in_(part),
                    col(ActionMilestone.deleted_at).is_(None),
                )
                .group_by(col(ActionMilestone.action_id))
            ).all()
        )
        for action_id in part:
            found[action_id] = (DRIVEN_BY_MILESTONES, int(counts.get(action_id, 0)))
    return found


def settle(session: Session, actor: Actor, action: Action) -> None:
    """Correct the stored percentage of ``action`` and of every action above it."""
    seen: set[int] = set()
    current: Action | None = action
    while current is not None and current.id not in seen:
        assert current.id is not None  # a stored action
        seen.add(current.id)
        wanted = derived_progress(session, current)
        if wanted is not None and wanted != current.progress:
            records.save(
                session,
                actor,
                current,
                current.version,
                {"progress": wanted},
                action="action.progress",
                community_id=current.community_id,
            )
            session.flush()
        if current.parent_id is None:
            return
        parent = session.exec(
            select(Action).where(Action.id == current.parent_id).with_for_update()
        ).first()
        current = parent if parent is not None and parent.deleted_at is None else None


def progress_source(source: tuple[str, int] | None, _: Callable[[str], str]) -> str:
    """What a percentage is rolled up from ("3 sub-actions"), or "" when it was posted or set by status."""
    if source is None:
        return ""
    driver, n = source
    if driver == DRIVEN_BY_CHILDREN:
        return _("1 sub-action") if n == 1 else _("{n} sub-actions").format(n=n)
    return _("1 milestone") if n == 1 else _("{n} milestones").format(n=n)


def progress_text(progress: int, source: tuple[str, int] | None, _: Callable[[str], str]) -> str:
    """The percentage as every screen writes it; a roll-up says where it comes from.

    "10 % (from 3 sub-actions)", so a parent's roll-up is never read as a posted value.
    """
    if source is None:
        return f"{progress} %"
    return _("{percent} % (from {source})").format(
        percent=progress, source=progress_source(source, _)
    )
