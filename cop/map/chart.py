"""The map as a Vega-Lite spec: the shipped outline of Europe, lines from each visit's host to the
cities that came, and one mark per place, workshop and practice (shape and colour by kind).

No tile server and no request beyond the app's host: the outline (``data/europe.json``, Natural
Earth, public domain, through world-atlas) is TopoJSON the app serves itself (cop.map.web); the
spec names it by its address, so the browser keeps it and no run sends it again. Marks carry a
``target`` ("workshop:12", "practice:3", "place:5") that a click selects.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

OUTLINE = Path(__file__).parent / "data" / "europe.json"

# Okabe-Ito colours, told apart with colour-blindness too; each kind also has its own shape.
KINDS: dict[str, tuple[str, str]] = {
    "city": ("circle", "#0072B2"),
    "partner": ("diamond", "#E69F00"),
    "workshop": ("triangle-up", "#009E73"),
    "study_visit": ("square", "#D55E00"),
    "practice": ("cross", "#CC79A7"),
}

LEGEND = {
    "orient": "bottom",
    "columns": {"expr": "width < 640 ? 2 : 5"},  # a phone's width holds two names, not five
    "symbolSize": 110,
    "symbolOpacity": 1,
    "symbolStrokeWidth": 0,
    "labelFontSize": 13,
    "labelLimit": 260,
}

# Marks at one host sit on a ring around it, so none hides another (degrees of latitude).
RING = 1.0
SPOTS = 6  # on each ring, 60° apart: at the page's usual scale, a mark's width apart


# A mark's accessible description: name · what · when · community, each only when present.
DESCRIPTION = " + ".join(
    ["datum.name"]
    + [f"(datum.{f} ? ' · ' + datum.{f} : '')" for f in ("what", "when", "community")]
)


@lru_cache(maxsize=1)
def outline() -> dict[str, Any]:
    """The outline of Europe and its neighbours as TopoJSON, read once per process."""
    with OUTLINE.open(encoding="utf-8") as f:
        topology: dict[str, Any] = json.load(f)
    return topology


def around(latitude: float, longitude: float, index: int) -> tuple[float, float]:
    """The ``index``-th spot on the ring around a place (0 is above it, then clockwise)."""
    angle = math.radians(90 - 360 / SPOTS * index + 30 * (index // SPOTS))
    ring = RING * (1 + index // SPOTS)
    stretch = 1 / max(math.cos(math.radians(latitude)), 0.2)
    return latitude + ring * math.sin(angle), longitude + ring * math.cos(angle) * stretch


def map_spec(
    marks: list[dict[str, Any]],
    lines: list[dict[str, Any]],
    legend: dict[str, str],
    tooltip_titles: dict[str, str],
    *,
    outline_url: str,
    height: int = 560,
) -> dict[str, Any]:
    """The layered spec. ``marks`` rows: lat, lon, kind (a key of KINDS), name, what, when,
    community, target; ``lines`` rows: lat, lon, lat2, lon2, name. ``legend`` names each kind
    in the reader's language; ``tooltip_titles`` the name, what, when and community fields;
    ``outline_url`` where the browser fetches the outline (cop.map.web.outline_address)."""
    order = [k for k in KINDS if k in legend]
    kind_scale = {"domain": [legend[k] for k in order]}
    tooltip = [
        {"field": field, "type": "nominal", "title": tooltip_titles[field]}
        for field in ("name", "what", "when", "community")
    ]
    geo = {
        "longitude": {"field": "lon", "type": "quantitative"},
        "latitude": {"field": "lat", "type": "quantitative"},
    }
    rows = [m | {"legend": legend[m["kind"]]} for m in marks]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "height": height,
        # Centred on 9°E 50°N and scaled to the drawn size, so Lisbon, Helsinki and Athens
        # show at 1400 px and on a phone alike (a fitted extent clipped the land at its edges).
        "projection": {
            "type": "azimuthalEqualArea",
            "rotate": [-9, -50, 0],
            "scale": {"expr": "min(height * 1.75, width * 1.45)"},
            "translate": {"expr": "[width / 2, height / 2]"},
        },
        "layer": [
            {
                "data": {
                    "url": outline_url,
                    "format": {"type": "topojson", "feature": "countries"},
                },
                "mark": {
                    "type": "geoshape",
                    "fill": "#eef0f3",
                    "stroke": "#a9b1ba",
                    "strokeWidth": 0.6,
                    "clip": True,
                    "tooltip": False,
                    # The outline is decoration: no "img" role without a name (axe svg-img-alt);
                    # the marks on it carry their own descriptions.
                    "aria": False,
                },
            },
            {
                "data": {"values": lines},
                "mark": {"type": "rule", "color": "#6b7480", "strokeWidth": 1, "opacity": 0.55},
                "encoding": {
                    **geo,
                    "longitude2": {"field": "lon2"},
                    "latitude2": {"field": "lat2"},
                    "tooltip": [tooltip[0]],
                },
            },
            {
                "data": {"values": rows},
                # What a screen reader says of a mark: its tooltip's fields, joined by the chart.
                # Carried in each mark, it doubled the data (a large workspace's map: 296 kB).
                "transform": [{"calculate": DESCRIPTION, "as": "description"}],
                "params": [
                    {
                        "name": "pick",
                        "select": {"type": "point", "fields": ["target"], "on": "click"},
                    }
                ],
                "mark": {
                    "type": "point",
                    "filled": True,
                    "size": 90,
                    "opacity": 0.95,
                    "stroke": "#ffffff",
                    "strokeWidth": 1,
                    "cursor": "pointer",
                },
                "encoding": {
                    **geo,
                    "shape": {
                        "field": "legend",
                        "type": "nominal",
                        "title": None,
                        "scale": kind_scale | {"range": [KINDS[k][0] for k in order]},
                        "legend": LEGEND,
                    },
                    "color": {
                        "field": "legend",
                        "type": "nominal",
                        "title": None,
                        "scale": kind_scale | {"range": [KINDS[k][1] for k in order]},
                        "legend": LEGEND,
                    },
                    "description": {"field": "description", "type": "nominal"},
                    "tooltip": tooltip,
                },
            },
        ],
    }
