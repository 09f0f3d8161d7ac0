"""Showing stored UTC times in the reader's own time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_time(value: datetime | None, time_zone: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return value.astimezone(zone).strftime(fmt)


def record_link(page: str, label: str, record_id: int | None = None) -> None:
    """A link to a page (and record): in-app navigation when the page is registered,
    otherwise (a page opened on its own, as in AppTest) a plain escaped link."""
    import html
    from urllib.parse import urlencode

    import streamlit as st
    from streamlit.errors import StreamlitAPIException

    query = {"id": str(record_id)} if record_id is not None else None
    try:
        st.page_link(f"pages/{page}.py", label=label, query_params=query)
    except StreamlitAPIException:
        href = f"./{page}" + (f"?{urlencode(query)}" if query else "")
        st.markdown(f'<a href="{html.escape(href)}" target="_self">{html.escape(label)}</a>', unsafe_allow_html=True)
