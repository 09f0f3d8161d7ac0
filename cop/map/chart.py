"""The map as a Vega-Lite spec: the shipped outline of Europe, lines from each visit's host to the
cities that came, and one mark per place, workshop and practice (shape and colour by kind).

No tile server and no request: the outline (``data/europe.json``, Natural Earth, public domain,
through world-atlas) travels inline in the spec as TopoJSON. Marks carry a ``target``
("workshop:12", "practice:3", "place:5") that a click selects.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

OUTLINE = Path(__file__).parent / "data" / "europe.json"

# The frame the projection fits: Lisbon to Helsinki, Athens to the North Cape's south.
FRAME = [[-11.0, 35.0], [32.0, 35.0], [-11.0, 65.0], [32.0, 65.0], [10.5, 67.0], [10.5, 34.0]]

# Okabe-Ito colours, told apart with colour-blindness too; each kind also has its own shape.
KINDS: dict[str, tuple[str, str]] = {
    "city": ("circle", "#0072B2"),
    "partner": ("diamond", "#E69F00"),
    "workshop": ("triangle-up", "#009E73"),
    "study_visit": ("square", "#D55E00"),
    "practice": ("cross", "#CC79A7"),
}

# Marks at one host sit on a ring around it, so none hides another (degrees of latitude).
RING = 0.55


@lru_cache(maxsize=1)
def outline() -> dict[str, Any]:
    """The outline of Europe and its neighbours as TopoJSON, read once per process."""
    with OUTLINE.open(encoding="utf-8") as f:
        topology: dict[str, Any] = json.load(f)
    return topology


def around(latitude: float, longitude: float, index: int) -> tuple[float, float]:
    """The ``index``-th spot on the ring around a place (0 is above it, then clockwise)."""
    angle = math.radians(90 - 45 * index)
    ring = RING * (1 + index // 8)
    stretch = 1 / max(math.cos(math.radians(latitude)), 0.2)
    return latitude + ring * math.sin(angle), longitude + ring * math.cos(angle) * stretch


def map_spec(
    marks: list[dict[str, Any]],
    lines: list[dict[str, Any]],
    legend: dict[str, str],
    tooltip_titles: dict[str, str],
    *,
    title: str,
    height: int = 560,
) -> dict[str, Any]:
    """The layered spec. ``marks`` rows: lat, lon, kind (a key of KINDS), name, what, when,
    community, target; ``lines`` rows: lat, lon, lat2, lon2, name. ``legend`` names each kind
    in the reader's language; ``tooltip_titles`` the name, what, when and community fields."""
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
        "title": {"text": title, "anchor": "start"},
        "height": height,
        "projection": {
            "type": "azimuthalEqualArea",
            "rotate": [-10, -52, 0],
            "fit": {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": FRAME}},
        },
        "layer": [
            {
                "data": {
                    "values": outline(),
                    "format": {"type": "topojson", "feature": "countries"},
                },
                "mark": {
                    "type": "geoshape",
                    "fill": "#eef0f3",
                    "stroke": "#a9b1ba",
                    "strokeWidth": 0.6,
                    "clip": True,
                    "tooltip": False,
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
                "params": [
                    {
                        "name": "pick",
                        "select": {"type": "point", "fields": ["target"], "on": "click"},
                    }
                ],
                "mark": {
                    "type": "point",
                    "filled": True,
                    "size": 110,
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
                        "legend": {"orient": "bottom", "direction": "horizontal"},
                    },
                    "color": {
                        "field": "legend",
                        "type": "nominal",
                        "title": None,
                        "scale": kind_scale | {"range": [KINDS[k][1] for k in order]},
                        "legend": {"orient": "bottom", "direction": "horizontal"},
                    },
                    "tooltip": tooltip,
                },
            },
        ],
    }
