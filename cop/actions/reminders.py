"""Reminding owners of overdue actions: the daily job behind ``cop notify overdue``."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from cop.accounts.models import Notification
from cop.accounts.notifications import notify_people
from cop.actions.models import Action
from cop.core import clock
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize


def overdue_actions(session: Session, actor: Actor) -> int:
    """Notify owners of overdue open actions, at most once per action and day."""
    authorize(actor, "notification.send_overdue")
    today = clock.today()
    start_of_day = datetime.combine(today, datetime.min.time(), tzinfo=clock.now().tzinfo)
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
