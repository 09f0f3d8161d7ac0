"""Reminding owners of overdue actions and milestones: the daily job behind ``cop notify overdue``."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from cop.accounts.models import Notification
from cop.accounts.notifications import notify_people
from cop.actions.models import Action, ActionMilestone
from cop.core import clock
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize


def _start_of_day() -> datetime:
    return datetime.combine(clock.today(), datetime.min.time(), tzinfo=clock.now().tzinfo)


def _notified_today(session: Session, kind: str, record_type: str, record_id: int | None) -> bool:
    return (
        session.exec(
            select(Notification.id).where(
                Notification.kind == kind,
                Notification.record_id == record_id,
                Notification.record_type == record_type,
                Notification.created_at >= _start_of_day(),
            )
        ).first()
        is not None
    )


def overdue_actions(session: Session, actor: Actor) -> int:
    """Notify owners of overdue open actions, at most once per action and day."""
    authorize(actor, "notification.send_overdue")
    today = clock.today()
    start_of_day = _start_of_day()
    rows = session.exec(
        select(Action).where(
            Action.due_date < today,
            col(Action.status).not_in(["done", "dropped"]),
            col(Action.deleted_at).is_(None),
        )
    )
    sent = 0
    for action in rows:
        already = session.exec(
            select(Notification.id).where(
                Notification.kind == "action.overdue",
                Notification.record_id == action.id,
                Notification.record_type == "action",
                Notification.created_at >= start_of_day,
            )
        ).first()
        if already:
            continue
        days = (today - action.due_date).days
        sent += notify_people(
            session,
            [action.owner_person_id],
            kind="action.overdue",
            community_id=action.community_id,
            message=Message(
                N_("“{title}” was due {days} days ago ({due}).")
                if days != 1
                else N_("“{title}” was due yesterday ({due})."),
                title=action.title,
                days=days,
                due=action.due_date,
            ),
            record_type="action",
            record_id=action.id,
        )
    return sent


def overdue_milestones(session: Session, actor: Actor) -> int:
    """Notify the owner of an open action of each milestone past its day and not done,
    at most once per milestone and day; returns how many notifications."""
    authorize(actor, "notification.send_overdue")
    today = clock.today()
    rows = session.exec(
        select(ActionMilestone, Action)
        .join(Action, col(Action.id) == ActionMilestone.action_id)
        .where(
            col(ActionMilestone.due_date) < today,
            col(ActionMilestone.done).is_(False),
            col(ActionMilestone.deleted_at).is_(None),
            col(Action.status).not_in(["done", "dropped"]),
            col(Action.deleted_at).is_(None),
        )
        .order_by(col(ActionMilestone.id))
    )
    sent = 0
    for milestone, action in rows:
        if _notified_today(session, "milestone.overdue", "action_milestone", milestone.id):
            continue
        sent += notify_people(
            session,
            [action.owner_person_id],
            kind="milestone.overdue",
            community_id=action.community_id,
            message=Message(
                N_("The milestone “{milestone}” of “{title}” was due {due} and is not done."),
                milestone=milestone.title,
                title=action.title,
                due=milestone.due_date,
            ),
            record_type="action_milestone",
            record_id=milestone.id,
        )
    return sent
