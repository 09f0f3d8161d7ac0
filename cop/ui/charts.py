"""Drawing Altair charts without re-validating them on every run.

``st.altair_chart`` validates the whole Vega-Lite spec against its JSON
schema on each rerun (about 100 ms a chart here), which made chart pages
many times slower than the rest of the page. Our charts are built by code,
not by users, so the spec is exported once per run without validation and
drawn with ``st.vega_lite_chart``.
"""

from __future__ import annotations

import altair as alt
import streamlit as st


def show_chart(chart: alt.TopLevelMixin, *, alt_text: str | None = None, key: str | None = None) -> None:
    """Draw ``chart`` full width; ``alt_text`` describes it for screen readers."""
    spec = chart.to_dict(validate=False)
    st.vega_lite_chart(spec=spec, width="stretch", key=key, alt=alt_text)


def show_bars(rows: list[dict], *, category: str, value: str, category_title: str | None = None,
              value_title: str | None = None, color: str | None = None, horizontal: bool = True,
              height: int = 120, sort: list[str] | None = None, alt_text: str | None = None,
              key: str | None = None) -> None:
    """A small bar chart from plain rows, as a Vega-Lite spec: no DataFrame, no schema pass.

    For the many small charts of the dashboard, where building them through
    Altair and pandas cost more than the rest of the page together.
    """
    cat = {"field": category, "type": "nominal", "title": category_title, "sort": sort}
    val = {"field": value, "type": "quantitative", "title": value_title}
    encoding = {"y": cat, "x": val} if horizontal else {"x": cat, "y": val}
    encoding["color"] = {"field": color or category, "type": "nominal", "legend": None if not color else {}}
    spec = {
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": encoding,
        "height": height,
    }
    st.vega_lite_chart(spec=spec, width="stretch", key=key, alt=alt_text)
