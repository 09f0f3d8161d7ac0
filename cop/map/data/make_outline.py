"""Build ``europe.json`` from world-atlas's ``countries-50m.json`` (run once, by hand; the result is committed).

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python cop/map/data/make_outline.py package/countries-50m.json cop/map/data/europe.json

Keeps the countries with a point between 25°W and 45°E, 34°N and 72°N (Europe and its
neighbours) but a few that only touch its corners, drops every other country and the arcs only they used, and keeps the
TopoJSON quantized as world-atlas ships it. Natural Earth data: public domain.
"""

from __future__ import annotations

import json
import sys
from typing import Any

WEST, EAST, SOUTH, NORTH = -25.0, 45.0, 34.0, 72.0
# Touching the box at a corner only: left out, they would stretch nothing but the file.
LEFT_OUT = {"Greenland", "Iran", "Iraq", "Syria", "Lebanon"}


def _arc_points(topo: dict[str, Any], index: int) -> list[tuple[float, float]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    x = y = 0
    points = []
    for dx, dy in topo["arcs"][index]:
        x, y = x + dx, y + dy
        points.append((x * sx + tx, y * sy + ty))
    return points


def _arc_indexes(geometry: dict[str, Any]) -> list[int]:
    rings = (
        geometry["arcs"]
        if geometry["type"] == "Polygon"
        else [ring for polygon in geometry["arcs"] for ring in polygon]
    )
    return [i if i >= 0 else ~i for ring in rings for i in ring]


def main(source: str, target: str) -> None:
    with open(source, encoding="utf-8") as f:
        topo = json.load(f)
    kept = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        if geometry.get("properties", {}).get("name") in LEFT_OUT:
            continue
        inside = any(
            WEST <= lon <= EAST and SOUTH <= lat <= NORTH
            for i in _arc_indexes(geometry)
            for lon, lat in _arc_points(topo, i)
        )
        if inside:
            kept.append(geometry)
    used = sorted({i for g in kept for i in _arc_indexes(g)})
    renumber = {old: new for new, old in enumerate(used)}

    def remap(ring: list[int]) -> list[int]:
        return [renumber[i] if i >= 0 else ~renumber[~i] for i in ring]

    for g in kept:
        if g["type"] == "Polygon":
            g["arcs"] = [remap(r) for r in g["arcs"]]
        else:
            g["arcs"] = [[remap(r) for r in p] for p in g["arcs"]]
    out = {
        "type": "Topology",
        "transform": topo["transform"],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": kept}},
        "arcs": [topo["arcs"][i] for i in used],
    }
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, separators=(",", ":"), ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
