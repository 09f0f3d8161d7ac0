"""Parts of a page that run only when the reader opens them.

Streamlit runs what is inside a closed expander or popover on every run, and
in this workspace the cost of a page run is mostly the number of elements it
draws. With a key and ``on_change="rerun"`` the container knows whether it is
open (``.open``), so a closed "Record a workshop" form or a closed filter
panel costs one element instead of twenty.

Streamlit forgets a widget's value at the end of a run that did not draw the
widget. ``keep`` turns those values into ordinary session state first, so
filters still apply and typed drafts survive while their panel is closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def keep(keys: Iterable[str]) -> None:
    """Keep these widgets' values through runs that do not draw them (call before drawing them)."""
    state = st.session_state
    for key in keys:
        if key in state:
            state[key] = state[key]


def lazy_expander(label: str, key: str, *, icon: str | None = None, kept: Iterable[str] = ()) -> DeltaGenerator | None:
    """An expander whose content is drawn only while it is open; ``kept`` widgets survive closing it."""
    keep(kept)
    box = st.expander(label, key=key, icon=icon, on_change="rerun")
    return box if box.open else None


def lazy_popover(label: str, key: str, *, icon: str | None = None, kept: Iterable[str] = (),
                 width: Any = "content") -> DeltaGenerator | None:
    """A popover whose content is drawn only while it is open; ``kept`` widgets survive closing it."""
    keep(kept)
    box = st.popover(label, key=key, icon=icon, on_change="rerun", width=width)
    return box if box.open else None


def active_filters(values: dict[str, Any], defaults: dict[str, Any]) -> int:
    """How many filters differ from their defaults, for the label of a closed filter panel."""
    return sum(1 for name, value in values.items() if value not in (None, "", 0, []) and value != defaults.get(name))
