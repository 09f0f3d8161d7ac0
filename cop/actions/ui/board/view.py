"""The actions board: a column per status whose cards move by dragging or by their "Move to" menu.

A move comes back from the browser as an event and goes through the same service call as
before (``actions.move_action``: permission, validation, version check, audit). Only the
cards the person may move can be dragged or offer the menu; the service decides anyway. A
refused or stale move shows the form's message or the other change above the board, and
the board is drawn afresh from the database, so the card is back in its column.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cop.actions import queries as action_views
from cop.actions import service as actions
from cop.actions.progress import progress_text
from cop.actions.queries import ActionRow
from cop.actions.ui.board.component import action_board
from cop.actions.ui.views import LIST_KEYS, OWNER_KEY, _found, _latest, status_label
from cop.core.db import read_session
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.shell.formatting import format_date, format_number
from cop.shell.forms import draw_conflict, errors_banner, submit
from cop.shell.in_place import open_record

MOVE_KEY = "action-move"
BOARD_KEY = "action-board"
ATTEMPT_KEY = "action-board-attempt"
ANNOUNCE_KEY = "action-board-announce"
# Per column, the most urgent first; the column scrolls and the table lists them all. At
# 1,400 px a column shows four cards: 25 are six screens of it (50 were 250 cards, 160 kB,
# on a large workspace's board in every run; issue 24).
BOARD_CARDS = 25


def _request_move() -> None:
    """Component callback: remember the move; this run makes it before the board is drawn again.

    The values come from the browser, so only their shape is checked here; the service
    checks the rest (a known status, the person's right, the version).
    """
    move = st.session_state[BOARD_KEY].get("move")
    if not isinstance(move, dict):
        return
    action_id, version, status = move.get("id"), move.get("version"), move.get("status")
    if isinstance(action_id, int) and isinstance(version, int) and isinstance(status, str):
        st.session_state[MOVE_KEY] = (action_id, version, status)


def _request_open() -> None:
    """Component callback: a card's title was clicked; the page opens that action in this tab."""
    action_id = st.session_state[BOARD_KEY].get("open")
    if isinstance(action_id, int):
        open_record("actions", LIST_KEYS, action_id)


def _pending_move(actor: Actor) -> None:
    """Make a requested move; what the board then says is announced to screen readers."""
    request = st.session_state.pop(MOVE_KEY, None)
    if request is None:
        return
    _ = translator(actor.language)
    action_id, version, status = request
    st.session_state[ATTEMPT_KEY] = st.session_state.get(ATTEMPT_KEY, 0) + 1
    # Said unless the move succeeds (a refusal may stop this run to draw its messages).
    st.session_state[ANNOUNCE_KEY] = _("The card was not moved: see the message above the board.")
    moved = submit(
        MOVE_KEY,
        actions.move_action,
        actor,
        action_id,
        version,
        status,
        reader_language=actor.language,
    )
    if moved is not None:
        st.session_state[ANNOUNCE_KEY] = _("“{title}” moved to {status}.").format(
            title=moved.title, status=status_label(moved.status, _)
        )


def _owner_filter(actor: Actor, chosen: dict[str, Any]) -> list[action_views.BoardColumn] | None:
    """The board's columns under its owner filter, drawn above them.

    The filter offers "Everyone", "Me" and the owners of the cards on the board: a name seen
    on a card is one choice away. It offered every owner of any action the other filters
    leave, which on a large workspace was 4,000 names (77 kB in every run of the board, and
    a query of their own); anyone else is under Filters, "Owner", or in the table.
    """
    _ = translator(actor.language)
    owner = st.session_state.get(OWNER_KEY, 0)
    shown = {**chosen, "owner_person_id": owner} if owner else chosen
    columns = _found(actor, action_views.board, per_column=BOARD_CARDS, **shown)
    rows = [row for column in columns or [] for row in column.rows]
    if owner and not rows and owner != actor.person_id:
        # Chosen under other filters and nothing of theirs is left: everyone's cards again.
        # ("Me" stays chosen: an empty board says the person owns none of these.)
        st.session_state[OWNER_KEY] = owner = 0
        shown = chosen
        columns = _found(actor, action_views.board, per_column=BOARD_CARDS, **shown)
        rows = [row for column in columns or [] for row in column.rows]
    names = {row.owner_person_id: row.owner for row in sorted(rows, key=lambda r: r.owner)}
    if actor.person_id is not None:  # the person's own cards first, whether shown or not
        names = {actor.person_id: _("Me")} | {
            p: n for p, n in names.items() if p != actor.person_id
        }
    st.selectbox(
        _("Owner"),
        [0, *names],
        key=OWNER_KEY,
        format_func=lambda person_id: names.get(person_id, _("Everyone")),
        help=_("The owners of the cards on the board; everyone else is under Filters."),
        width=320,
    )
    return columns


def _card(actor: Actor, row: ActionRow, movable: bool) -> dict[str, Any]:
    """One card as the browser draws it: every text already in the reader's language."""
    _ = translator(actor.language)
    due = _("overdue since {date}") if row.overdue else _("due {date}")
    return {
        "id": row.id,
        "version": row.version,
        "status": row.status,
        "title": row.title,
        "href": f"actions?id={row.id}",
        "owner": row.owner,
        "due": due.format(date=format_date(row.due_date, actor.language)),
        "overdue": bool(row.overdue),
        "progress": row.progress,
        "progress_text": progress_text(row.progress, row.progress_from, _),
        "latest": _latest(row, actor),
        "movable": movable,
    }


def board_data(
    actor: Actor, columns: list[action_views.BoardColumn], movable: set[int]
) -> dict[str, Any]:
    """What the board component draws: columns with their counts and cards, and its labels."""
    _ = translator(actor.language)
    return {
        "columns": [
            {
                "status": column.status,
                "label": status_label(column.status, _),
                "count": format_number(column.total, actor.language),
                "count_text": (_("1 action") if column.total == 1 else _("{n} actions")).format(
                    n=format_number(column.total, actor.language)
                ),
                "more": _("The {n} due first are shown; the table lists them all.").format(
                    n=len(column.rows)
                )
                if column.total > len(column.rows)
                else "",
                "cards": [_card(actor, row, row.id in movable) for row in column.rows],
            }
            for column in columns
        ],
        "labels": {
            "move": _("Move to…"),
            "move_card": _("Move “{title}” to"),
            "moving": _("Moving “{title}” to {status}…"),
            "overdue": _("Overdue"),
            "progress": _("Progress"),
            "empty": _("No actions here"),
        },
        "attempt": st.session_state.get(ATTEMPT_KEY, 0),
        "announce": st.session_state.pop(ANNOUNCE_KEY, ""),  # said once
    }


def board_view(actor: Actor, chosen: dict[str, Any]) -> None:
    """A column per status with its most urgent cards, moved by dragging or by a card's "Move to" menu."""
    _ = translator(actor.language)
    _pending_move(actor)
    errors_banner(MOVE_KEY, actor.language)
    draw_conflict(MOVE_KEY, actor.language)
    columns = _owner_filter(actor, chosen)
    if columns is None:
        return
    with read_session() as session:
        movable = action_views.changeable(session, actor, [r for c in columns for r in c.rows])
    if movable:
        st.caption(
            _(
                "Drag a card to another column, or use its “Move to…” menu (also by keyboard). "
                "A title opens the action."
            )
        )
    action_board(
        board_data(actor, columns, movable),
        key=BOARD_KEY,
        on_move=_request_move,
        on_open=_request_open,
    )
