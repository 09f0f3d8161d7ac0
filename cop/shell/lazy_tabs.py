"""Tabs whose content runs only once the reader opens them (a record's page: its updates,
milestones, history ...).

``st.tabs`` with a key and ``on_change="rerun"`` knows which tab is open (``tab.open``): a
page that draws only that one costs one tab's elements and queries per run instead of all
of them (the toolkit's chapter does so with ``st.tabs`` directly). A tab that holds a form
may ``stay``: drawn from its first opening on, as ``shell.lazy``'s panels, since what is
typed in a form lives only in the browser until it is sent, and a tab no longer drawn would
lose it when the person glances at another tab. A new visit to the record starts afresh:
Streamlit drops the tabs' state in a run that does not draw them (the list's), and then the
tabs that stayed are forgotten too.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def lazy_tabs(
    labels: Sequence[str], key: str, *, stay: Collection[int] = ()
) -> list[DeltaGenerator | None]:
    """The tabs, each returned only while it is to be drawn (else None): the open one, and
    those in ``stay`` (indexes) once opened in this visit.

    ``key`` names one record's tabs (``action-tab-7``), so the next record opened from this
    one starts on its first tab.
    """
    state = st.session_state
    drawn = f"{key}-drawn"
    if key not in state:  # a new visit: nothing was opened yet
        state.pop(drawn, None)
    tabs = st.tabs(list(labels), key=key, on_change="rerun")
    opened = {index for index, tab in enumerate(tabs) if tab.open}
    kept = set(state.get(drawn, ())) | (opened & set(stay))
    if kept:
        state[drawn] = frozenset(kept)
    return [tab if index in opened or index in kept else None for index, tab in enumerate(tabs)]
