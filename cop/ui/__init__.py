"""Shared Streamlit pieces: the only part of ``cop`` that imports Streamlit.

Every page starts with ``actor = require_actor("<page>")``; writes go through
``submit(form_key, service, actor, ...)``; field messages are drawn with
``field_error(form_key, field, actor.language)``; user Markdown is drawn with ``markdown``.
"""

from __future__ import annotations

import streamlit as st

from cop.core.markdown import to_html
from cop.ui.auth import current_actor, gate, require_actor, sign_out
from cop.ui.forms import (
    draw_conflict,
    errors_banner,
    field_error,
    form_errors,
    localize,
    pager,
    read,
    submit,
)
from cop.ui.layout import PAGES, navigation, selected_community_id


def markdown(text: str) -> None:
    """Draw user Markdown: raw HTML escaped, unsafe links dropped, allow-list sanitised."""
    st.markdown(to_html(text), unsafe_allow_html=True)


__all__ = [
    "PAGES",
    "current_actor",
    "draw_conflict",
    "errors_banner",
    "field_error",
    "form_errors",
    "gate",
    "localize",
    "markdown",
    "navigation",
    "pager",
    "read",
    "require_actor",
    "selected_community_id",
    "sign_out",
    "submit",
]
