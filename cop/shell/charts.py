"""Drawing charts as plain Vega-Lite specs, without Altair on every run.

``st.altair_chart`` validates the whole spec against its JSON schema on each
rerun (about 100 ms a chart here), and even unvalidated Altair export went
through pandas each time. Our charts are built by code, not by users, so they
are Vega-Lite dicts drawn with ``st.vega_lite_chart``; their data travels as
Arrow bytes made once per cached read.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import streamlit as st

from cop.core.i18n import translator
from cop.shell.text import plain


def show_bars(
    rows: list[dict],
    *,
    category: str,
    value: str,
    category_title: str | None = None,
    value_title: str | None = None,
    color: str | None = None,
    color_title: str | None = None,
    horizontal: bool = True,
    height: int = 120,
    sort: list[str] | None = None,
    alt_text: str | None = None,
    key: str | None = None,
    language: str = "en",
) -> None:
    """A small bar chart from plain rows, as a Vega-Lite spec: no DataFrame, no schema pass.

    For the many small charts of the dashboard, where building them through
    Altair and pandas cost more than the rest of the page together. Its figures
    follow it as a table (``chart_as_table``).
    """
    cat = {"field": category, "type": "nominal", "title": category_title, "sort": sort}
    val = {"field": value, "type": "quantitative", "title": value_title}
    encoding = {"y": cat, "x": val} if horizontal else {"x": cat, "y": val}
    encoding["color"] = {
        "field": color or category,
        "type": "nominal",
        "legend": None if not color else {},
    }
    spec = {
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": encoding,
        "height": height,
    }
    st.vega_lite_chart(spec=spec, width="stretch", key=key, alt=alt_text)
    columns = {category: category_title or category}
    if color and color != category:
        columns[color] = color_title or color
    columns[value] = value_title or value
    chart_as_table(rows, columns, language)


def chart_as_table(rows: list[dict[str, Any]], columns: dict[str, str], language: str) -> None:
    """A chart's text alternative: its figures as a small table, in an expander right below it.

    Every chart of the app gets one the same way (WCAG 1.1.1), so a reader who
    cannot see the chart, or zooms in, reads the same figures. ``columns`` maps
    each field of the rows to its column title in the reader's language.
    """
    _ = translator(language)
    with st.expander(_("The chart as a table"), icon=":material/table:"):
        # st.table reads its text cells as Markdown: names are escaped to show as typed.
        st.table(
            {title: [_cell(row.get(field)) for row in rows] for field, title in columns.items()}
        )


def _cell(value: Any) -> Any:
    return plain(value) if isinstance(value, str) else value


def arrow_dataset(rows: list[dict]) -> bytes:
    """Rows as Arrow IPC bytes: a named dataset that ``st.vega_lite_chart`` sends without converting again."""
    table = pa.Table.from_pylist(rows)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def show_spec(
    spec: dict,
    *,
    alt_text: str | None = None,
    key: str | None = None,
    table: list[dict[str, Any]] | None = None,
    columns: dict[str, str] | None = None,
    language: str = "en",
) -> None:
    """Draw a ready Vega-Lite spec whose datasets are Arrow bytes (see ``arrow_dataset``).

    Pages cache such specs with the read they come from, so a rerun only sends them.
    Streamlit takes the datasets out of the spec it is given: it gets a copy.
    ``table`` and ``columns``, when given, draw its figures below it (``chart_as_table``);
    a chart that already has its own table (the timeline's, the map's) leaves them out.
    """
    st.vega_lite_chart(spec=dict(spec), width="stretch", key=key, alt=alt_text)
    if table is not None and columns:
        chart_as_table(table, columns, language)
