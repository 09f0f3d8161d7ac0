"""A workshop's programme: agenda items in order, each with a length and a presenter."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from cop.core import records
from cop.core.errors import ValidationError
from cop.core.i18n import N_
from cop.core.permissions import Actor
from cop.core.validation import Checker
from cop.workshops.models import AgendaItem
from cop.workshops.service import editable_workshop


def _check_item(chk: Checker, title: Any, duration_minutes: Any, presenter: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": chk.title("title", title, label=N_("The title")),
        "presenter": chk.optional_line("presenter", presenter, label=N_("The presenter")),
        "duration_minutes": None,
    }
    if duration_minutes not in (None, ""):
        values["duration_minutes"] = chk.count(
            "duration_minutes",
            duration_minutes,
            label=N_("The length in minutes"),
            minimum=1,
            maximum=24 * 60,
        )
    return values


def agenda(session: Session, workshop_id: int) -> list[AgendaItem]:
    """The live items of a workshop in programme order (the caller checked read access)."""
    return list(
        session.exec(
            select(AgendaItem)
            .where(AgendaItem.workshop_id == workshop_id, col(AgendaItem.deleted_at).is_(None))
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        )
    )


def add_agenda_item(
    session: Session,
    actor: Actor,
    workshop_id: int,
    *,
    title: str,
    duration_minutes: int | None = None,
    presenter: str = "",
) -> AgendaItem:
    """Append an item at the end of the programme."""
    workshop, community = editable_workshop(session, actor, workshop_id, "workshop.update")
    chk = Checker()
    values = _check_item(chk, title, duration_minutes, presenter)
    chk.raise_if_any()
    assert workshop.id is not None  # editable_workshop read it from the database
    last = session.exec(
        select(func.max(AgendaItem.position)).where(AgendaItem.workshop_id == workshop.id)
    ).one()
    item = AgendaItem(workshop_id=workshop.id, position=(last or 0) + 1, **values)
    return records.create(
        session, actor, item, community_id=community.id, action="agenda_item.create"
    )


def update_agenda_item(
    session: Session,
    actor: Actor,
    item_id: int,
    version: int,
    *,
    title: str,
    duration_minutes: int | None = None,
    presenter: str = "",
) -> AgendaItem:
    item = records.get_live(session, AgendaItem, item_id, for_update=True, label=N_("agenda item"))
    _, community = editable_workshop(session, actor, item.workshop_id, "workshop.update")
    chk = Checker()
    values = _check_item(chk, title, duration_minutes, presenter)
    chk.raise_if_any()
    records.save(
        session,
        actor,
        item,
        version,
        values,
        action="agenda_item.update",
        community_id=community.id,
    )
    return item


def remove_agenda_item(session: Session, actor: Actor, item_id: int) -> None:
    item = records.get_live(session, AgendaItem, item_id, for_update=True, label=N_("agenda item"))
    _, community = editable_workshop(session, actor, item.workshop_id, "workshop.update")
    records.soft_delete(
        session, actor, item, action="agenda_item.delete", community_id=community.id
    )


MOVES = {"up": -1, "down": 1}


def move_agenda_item(session: Session, actor: Actor, item_id: int, direction: str) -> AgendaItem:
    """Swap an item with its neighbour above or below, as the programme shows them.

    Every live item of the workshop is locked and numbered 1..n afresh, so the
    order stays the same on SQLite and PostgreSQL even where older items shared
    a position; each item whose position changes gets an audit event.
    """
    item = records.get_live(session, AgendaItem, item_id, for_update=True, label="agenda item")
    _, community = editable_workshop(session, actor, item.workshop_id, "workshop.update")
    step = MOVES.get(direction)
    if step is None:
        raise ValidationError({"direction": N_("Move an agenda item up or down.")})
    items = list(
        session.exec(
            select(AgendaItem)
            .where(AgendaItem.workshop_id == item.workshop_id, col(AgendaItem.deleted_at).is_(None))
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
            .with_for_update()
        )
    )
    index = next(i for i, other in enumerate(items) if other.id == item.id)
    target = index + step
    if not 0 <= target < len(items):
        edge = N_("This item is already first.") if step < 0 else N_("This item is already last.")
        raise ValidationError({"position": edge})
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            records.save(
                session,
                actor,
                other,
                other.version,
                {"position": position},
                action="agenda_item.move",
                community_id=community.id,
            )
    return item
