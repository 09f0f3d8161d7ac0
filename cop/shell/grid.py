"""Grids that never show Streamlit's bare "empty": with no rows a sentence says what is missing and what to do.

``st.dataframe`` draws an empty frame as a grid labelled "empty", which tells
a reader neither what is empty nor whether a filter, a permission or a fault
caused it. Every list goes through ``grid`` with the sentence for its case.
"""

from __future__ import annotations

from typing import Any

import streamlit as st


def grid(data: Any, empty: str, **options: Any) -> bool:
    """Draw ``data`` as a dataframe, or the ``empty`` sentence when it has no rows; True when drawn."""
    if len(data) == 0:
        st.info(empty, icon=":material/info:")
        return False
    options.setdefault("hide_index", True)
    options.setdefault("width", "stretch")
    st.dataframe(data, **options)
    return True


NOT_FILTERS = frozenset({"community_id", "sort", "descending"})


def narrowed(chosen: dict[str, Any]) -> bool:
    """Whether a list's filters (beyond the sidebar's community and the order) narrow it."""
    return any(value for key, value in chosen.items() if key not in NOT_FILTERS)
