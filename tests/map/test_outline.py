"""The shipped outline of Europe: every demo organisation lies inside the country its record names,
the file stays small, and its attribution ships with it."""

from __future__ import annotations

from pathlib import Path

import yaml

from cop.map import chart

ROOT = Path(__file__).resolve().parents[2]

# ISO 3166-1 alpha-2 to the outline's country names (Natural Earth's short names).
COUNTRY_NAMES = {
    "AT": "Austria",
    "BE": "Belgium",
    "CZ": "Czechia",
    "DE": "Germany",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GB": "United Kingdom",
    "GR": "Greece",
    "HR": "Croatia",
    "IT": "Italy",
    "LV": "Latvia",
    "NL": "Netherlands",
    "NO": "Norway",
    "PL": "Poland",
    "PT": "Portugal",
    "SE": "Sweden",
}


def _rings(topology: dict, geometry: dict) -> list[list[tuple[float, float]]]:
    """A country's rings as lon/lat points, decoded from the quantized, delta-coded arcs."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]

    def arc(index: int) -> list[tuple[float, float]]:
        x = y = 0
        points = []
        for dx, dy in topology["arcs"][index if index >= 0 else ~index]:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        return points if index >= 0 else points[::-1]

    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [[p for i in ring for p in arc(i)] for polygon in polygons for ring in polygon]


def _inside(rings: list[list[tuple[float, float]]], lon: float, lat: float) -> bool:
    """Even-odd ray casting over every ring (holes included)."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _near(rings: list[list[tuple[float, float]]], lon: float, lat: float) -> bool:
    """Inside, or within about 8 km: at 1:50m a harbour city (Lisbon on the Tagus) may sit just
    off the drawn coast."""
    return any(
        _inside(rings, lon + dx, lat + dy) for dx in (0.0, -0.08, 0.08) for dy in (0.0, -0.08, 0.08)
    )


def test_every_demo_organisation_lies_inside_its_country_of_the_outline() -> None:
    topology = chart.outline()
    countries = {
        g["properties"]["name"]: _rings(topology, g)
        for g in topology["objects"]["countries"]["geometries"]
    }
    demo = yaml.safe_load((ROOT / "data" / "demo.yaml").read_text(encoding="utf-8"))
    assert len(demo["organisations"]) >= 19
    for org in demo["organisations"]:
        rings = countries[COUNTRY_NAMES[org["country"]]]
        assert _near(rings, org["longitude"], org["latitude"]), org["name"]
        others = [n for n, r in countries.items() if _inside(r, org["longitude"], org["latitude"])]
        assert set(others) <= {COUNTRY_NAMES[org["country"]]}, org["name"]  # no other country


def test_a_point_at_sea_is_in_no_country() -> None:
    topology = chart.outline()
    for lon, lat in ((-20.0, 45.0), (5.0, 40.0), (3.0, 55.0)):  # Atlantic, Balearic Sea, North Sea
        assert not any(
            _inside(_rings(topology, g), lon, lat)
            for g in topology["objects"]["countries"]["geometries"]
        )


def test_the_outline_is_small_and_credited() -> None:
    folder = ROOT / "cop" / "map" / "data"
    assert (folder / "europe.json").stat().st_size <= 200_000
    credit = (folder / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "Natural Earth" in credit and "public domain" in credit
    assert "Copyright 2013-2019 Michael Bostock" in credit  # world-atlas's ISC notice
    assert "GeoNames" in credit and "CC BY 4.0" in credit
