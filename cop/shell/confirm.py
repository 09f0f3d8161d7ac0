"""Asking before something disappears: a remove button that first says what it will do.

UX.md: nothing disappears on a single click. The first click only remembers
which button asked (one question at a time in a session); the question then
stands where the button was, with the confirming and the cancelling button.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cop.core.i18n import translator

_ASKING = "cop_confirm_asking"


def asking(key: str) -> bool:
    """Whether the button ``key`` was clicked and its question waits for an answer (a page
    that draws the button only on demand, in a popover, draws the question regardless)."""
    return bool(st.session_state.get(_ASKING) == key)


def confirmed(
    key: str,
    label: str,
    question: str,
    *,
    confirm_label: str,
    language: str = "en",
    slot: Any = None,
) -> bool:
    """Draw ``label`` in ``slot``; after a click ask ``question``; True in the run "yes" is clicked.

    The question is drawn in the main flow (below the row the button sat in), so
    it has room to say what will happen.
    """
    _ = translator(language)
    where = slot if slot is not None else st
    if st.session_state.get(_ASKING) != key:
        if where.button(label, key=key, icon=":material/delete:"):
            st.session_state[_ASKING] = key
            st.rerun()
        return False
    with st.container(border=True):
        st.warning(question, icon=":material/help:")
        yes, no = st.columns(2)
        if yes.button(confirm_label, key=f"{key}-yes", type="primary"):
            st.session_state.pop(_ASKING, None)
            return True
        if no.button(_("Cancel"), key=f"{key}-no"):
            st.session_state.pop(_ASKING, None)
            st.rerun()
    return False
