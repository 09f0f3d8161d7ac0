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

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def keep(keys: Iterable[str]) -> None:
    """Keep these widgets' values through this run, drawn or not (call before drawing them)."""
    state = st.session_state
    for key in keys:
        if key in state:
            state[key] = state[key]


def _open(
    make: Callable[[], DeltaGenerator], key: str, kept: Iterable[str], stay: bool = False
) -> DeltaGenerator | None:
    """Draw the container; return it when open.

    ``kept`` values are re-kept on every run (Streamlit drops a value bound
    to a widget key on each run that does not draw the widget); callers pass
    only values worth keeping, so a closed panel with nothing in it costs
    nothing more. An open container also keeps its own state: a label that
    changes (a count of active filters) makes it a new element.
    """
    state = st.session_state
    drawn = f"{key}-drawn"
    if not (stay and state.get(drawn)):
        # Not for a form that stays drawn: setting a drawn widget's value from here would
        # overwrite what the person typed and has not sent yet.
        keep([*kept, key] if state.get(key) else kept)
    box = make()
    if stay:
        if box.open:
            state[drawn] = True
        return box if state.get(drawn) else None
    return box if box.open else None


def lazy_expander(
    label: str,
    key: str,
    *,
    icon: str | None = None,
    kept: Iterable[str] = (),
    stay: bool = False,
) -> DeltaGenerator | None:
    """An expander whose content is drawn only while it is open; ``kept`` widgets survive closing it.

    With ``stay`` the content is drawn from the first opening on, closed or not: a form's
    typed input lives only in the browser until it is sent, and a form no longer drawn
    loses it, so an edit form closed by mistake must stay drawn to keep what was typed.
    """
    return _open(lambda: st.expander(label, key=key, icon=icon, on_change="rerun"), key, kept, stay)


def lazy_popover(
    label: str,
    key: str,
    *,
    icon: str | None = None,
    kept: Iterable[str] = (),
    width: Any = "content",
    stay: bool = False,
    wrap: bool | None = None,
) -> DeltaGenerator | None:
    """A popover whose content is drawn only while it is open (from its first opening on with
    ``stay``, as ``lazy_expander``); ``kept`` widgets survive closing it. ``wrap=True`` lets a
    long label take a second line where a narrow column would cut it short ("Verschieben …")."""
    return _open(
        lambda: st.popover(label, key=key, icon=icon, on_change="rerun", width=width, wrap=wrap),
        key,
        kept,
        stay,
    )


def changed_filters(defaults: dict[str, Any]) -> list[str]:
    """The filter keys whose value differs from its default (setting defaults first): the ones to keep and count."""
    state = st.session_state
    for key, default in defaults.items():
        state.setdefault(key, default)
    return [key for key, default in defaults.items() if state[key] != default]


def filters_label(label: str, changed: list[str]) -> str:
    """The panel's label with how many of its filters apply, e.g. "Filters (2)", so a closed panel says so."""
    return f"{label} ({len(changed)})" if changed else label


def filter_panel(
    label: str, key: str, defaults: dict[str, Any], *, uncounted: Iterable[str] = ()
) -> DeltaGenerator | None:
    """The list pages' filter popover: its label counts the filters that apply (but ``uncounted``),
    changed values are kept while it is closed; returned only while open, to draw the widgets in."""
    changed = changed_filters(defaults)
    skip = set(uncounted)
    return lazy_popover(
        filters_label(label, [k for k in changed if k not in skip]),
        key,
        kept=changed,
        icon=":material/filter_list:",
    )


def switch(label: str, choices: dict[str, str], key: str, default: str) -> str:
    """A segmented control over ``choices`` (value: its shown name) that always holds one.

    Its starting value goes through session state, not ``default=``, so a page may ``keep``
    it while the switch is not drawn (Streamlit warns when a widget has both).
    """
    st.session_state.setdefault(key, default)
    chosen = st.segmented_control(
        label, list(choices), format_func=choices.get, required=True, key=key
    )
    return chosen or default
