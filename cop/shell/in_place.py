"""Opening a record from a list in this tab, and the way back to the list as it was left.

A ``LinkColumn`` opens its links in a new browser tab: a new session, where the sidebar's
community, the list's filters and its page are gone. The lists open a record in place
instead: their "Open" and title cells are buttons (``ButtonColumn``) whose click sets
``?id=`` in this tab, and the record's page offers "Back to the list", which clears it.

Streamlit forgets a widget's value at the end of a run that did not draw the widget, and a
record's runs draw none of the list's widgets. So each run of a list remembers its widgets'
values (``remember``; opening a row does too, at the click), and "Back to the list" puts
them back before the list is drawn again: the same search, filters, sort, page and view. A
deep link (``?id=`` typed or bookmarked) still opens the record; its way back is the list
as it starts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

import streamlit as st
from streamlit.errors import StreamlitAPIException

from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.shell.formatting import record_link

SAVED = "cop_in_place_lists"
ELSEWHERE = "cop_in_place_switch"  # a record of another page, opened at the start of the next run
WORD_JOINER = "\u2060"


def remember(page: str, keys: Iterable[str]) -> None:
    """Keep the values of a list's widgets (those set) for "Back to the list" on ``page``."""
    state = st.session_state
    saved: dict[str, dict[str, Any]] = state.setdefault(SAVED, {})
    saved[page] = {key: state[key] for key in keys if key in state}


def open_record(page: str, keys: Sequence[str], record_id: int) -> None:
    """Open ``record_id`` on this page, in this tab, keeping the list's state (a callback).

    From a table on a record's own page (its sub-actions) ``keys`` is empty: the list
    remembered before stays the one to go back to.
    """
    if keys:
        remember(page, keys)
    st.query_params["id"] = str(record_id)


def _open_row(
    page: str, keys: tuple[str, ...], ids: tuple[int, ...], trigger: str, elsewhere: bool
) -> None:
    click = st.session_state.get(trigger)
    row = click["row"] if click else None
    if not (isinstance(row, int) and 0 <= row < len(ids)):
        return
    if elsewhere:  # a callback cannot change the page: the table's next drawing does
        st.session_state[ELSEWHERE] = (page, ids[row], str(click["label"]))
    else:
        open_record(page, keys, ids[row])


def button_label(text: str) -> str:
    """A cell's text as a button column shows it as typed.

    A button cell reads a leading ``:material/...:`` as an icon and ``[a, b]`` as a menu
    of buttons; an invisible word joiner in front keeps such a title a title.
    """
    stripped = text.strip()
    if stripped.startswith(":") or (stripped.startswith("[") and stripped.endswith("]")):
        return WORD_JOINER + text
    return text


def open_columns(
    page: str,
    keys: Sequence[str],
    ids: Sequence[int],
    columns: dict[str, Literal["primary", "secondary", "tertiary"]],
    *,
    elsewhere: bool = False,
) -> dict[str, Any]:
    """Column configs: each named column's cells are buttons that open their row's record here.

    ``ids`` are the records of the rows as drawn; the browser reports the row clicked
    (its place in the data, also after the reader sorted the grid). ``elsewhere``: the
    records are on another page (``page``), opened in this tab too.
    """
    target = st.session_state.pop(ELSEWHERE, None)
    if target is not None:
        _switch(*target)
    config: dict[str, Any] = {}
    for number, (name, kind) in enumerate(columns.items()):
        trigger = f"cop_open_{page}_{number}"
        config[name] = st.column_config.ButtonColumn(
            type=kind,
            alignment="left",
            on_click=_open_row,
            args=(page, tuple(keys), tuple(ids), trigger, elsewhere),
            key=trigger,
        )
    return config


def _switch(page: str, record_id: int, label: str) -> None:
    """Show another page's record in this tab; a page run on its own (outside the app's
    navigation) has no other page to switch to, and offers the record's link instead."""
    try:
        st.switch_page(f"pages/{page}.py", query_params={"id": str(record_id)})
    except StreamlitAPIException:
        record_link(page, label.removeprefix(WORD_JOINER), record_id)


def _back(page: str) -> None:
    """Put the list's remembered values back and close the record (a callback: before the run)."""
    state = st.session_state
    for key, value in state.get(SAVED, {}).get(page, {}).items():
        state[key] = value
    if "id" in st.query_params:
        del st.query_params["id"]


def back_to_list(actor: Actor, page: str) -> None:
    """The record page's "Back to the list": the list as it was left, in this tab."""
    _ = translator(actor.language)
    st.button(
        _("Back to the list"),
        icon=":material/arrow_back:",
        on_click=_back,
        args=(page,),
        key=f"cop_back_{page}",
    )
