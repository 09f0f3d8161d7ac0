"""The key-results infographic of a chapter: Altair, saved as PNG and SVG by vl-convert.

vl-convert renders in-process (no browser) and is given no base URL it may
load from, so a chart can only draw the values passed in here.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import altair as alt
import vl_convert

from cop.export.key_results import KeyResults

BLUE, TEAL, GREY = "#2f6f9f", "#3a9d8f", "#9fb3c8"
FONT = "DejaVu Sans"
STATUS_ORDER = ["idea", "planned", "in_progress", "done", "dropped"]


def _tiles(results: KeyResults) -> alt.LayerChart | alt.FacetChart:
    values = [
        # Each caption on two short lines: on one line the captions ran into each other.
        {"label": "workshops and|visits held", "value": f"{results.workshops_held:,}", "column": 0},
        {"label": "different|participants", "value": f"{results.participants:,}", "column": 1},
        {"label": "cities|taking part", "value": f"{results.cities:,}", "column": 2},
        {
            "label": f"of {results.actions:,}|actions done",
            "value": f"{results.actions_done:,}",
            "column": 3,
        },
    ]
    base = (
        alt.Chart(alt.Data(values=values))
        .encode(x=alt.X("column:O", axis=None), tooltip=alt.value(None))
        .properties(width=560, height=84)
    )
    numbers = base.mark_text(fontSize=30, fontWeight="bold", color=BLUE, dy=-14).encode(
        text="value:N"
    )
    labels = base.mark_text(fontSize=11, color="#4a5568", dy=20, lineBreak="|").encode(
        text="label:N"
    )
    return alt.layer(numbers, labels)


def _count_axis(series: list[tuple[Any, int]]) -> alt.Axis:
    """An axis of whole numbers: a count of 1 showed ticks at 0.5."""
    highest = max((count for _, count in series), default=1)
    return alt.Axis(format="d", tickCount=max(1, min(highest, 5)), tickMinStep=1)


def _by_year(results: KeyResults) -> alt.Chart:
    values = [{"year": str(year), "workshops": count} for year, count in results.workshops_by_year]
    return (
        alt.Chart(alt.Data(values=values), title="Workshops and visits held per year")
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("workshops:Q", title=None, axis=_count_axis(results.workshops_by_year)),
        )
        .properties(width=200, height=150)
    )


def _by_status(results: KeyResults) -> alt.Chart:
    values = [
        {"status": status.replace("_", " "), "actions": count}
        for status, count in results.actions_by_status
    ]
    order = [s.replace("_", " ") for s in STATUS_ORDER]
    return (
        alt.Chart(alt.Data(values=values), title="Joint actions by status")
        .mark_bar(color=TEAL)
        .encode(
            # Bars side by side, so the status names stack and never overlap.
            y=alt.Y("status:N", title=None, sort=order),
            x=alt.X("actions:Q", title=None, axis=_count_axis(results.actions_by_status)),
        )
        .properties(width=200, height=150)
    )


def _scores(results: KeyResults) -> alt.Chart:
    values = [
        {
            "standard": title if len(title) <= 38 else title[:37] + "…",
            "score": round(mean, 2),
            "cities": n,
        }
        for title, mean, n in results.scores_by_standard
    ]
    return (
        alt.Chart(alt.Data(values=values), title="Average self-assessment score per standard (0-4)")
        .mark_bar(color=GREY)
        .encode(
            y=alt.Y("standard:N", title=None, sort=None),
            x=alt.X("score:Q", title=None, scale=alt.Scale(domain=[0, 4])),
        )
        .properties(width=300, height=max(40, 22 * len(values)))
    )


def infographic_spec(results: KeyResults) -> dict[str, Any]:
    """The Vega-Lite specification of the infographic."""
    chart = (
        alt.vconcat(
            _tiles(results),
            alt.hconcat(_by_year(results), _by_status(results), spacing=40),
            _scores(results),
            title=alt.Title(f"Key results: {results.community}", fontSize=16, anchor="start"),
            spacing=24,
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=10)
    )
    # Altair's schema validation took most of a chapter page's run (0.6 s of 0.9 s per
    # chart); the spec's shape is fixed here, and tests/export check it against the schema.
    return chart.to_dict(validate=False)


def infographic(results: KeyResults) -> tuple[bytes, bytes]:
    """The infographic as (PNG, SVG)."""
    return _render(json.dumps(infographic_spec(results), sort_keys=True))


@lru_cache(maxsize=64)
def _render(spec_json: str) -> tuple[bytes, bytes]:
    """Rendering costs about a second; the same figures give the same picture, so reuse it.

    Keyed by the whole spec (which holds only the aggregated figures drawn), so a
    reader can never receive a picture drawn from figures they may not see.
    """
    spec = json.loads(spec_json)
    png = vl_convert.vegalite_to_png(spec, scale=2, allowed_base_urls=[])
    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    return png, svg.encode("utf-8")
