"""Drawing user text: Markdown only in the fields meant for it, through the safe renderer."""

from __future__ import annotations

import streamlit as st

from cop.core.markdown import to_html


def markdown(text: str) -> None:
    """Draw user Markdown: raw HTML escaped, unsafe links dropped, allow-list sanitised."""
    st.markdown(to_html(text), unsafe_allow_html=True)
