"""The key-results infographic as rendered (SVG read back): whole counts, captions that do not collide.

Issue 17, defect 10: the status names overlapped, the headline captions ran into each other,
and a count of one workshop showed a tick at 0.5.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from cop.export import charts
from cop.export.key_results import KeyResults

SVG = "{http://www.w3.org/2000/svg}"
CAPTION_FONT_PX = 11
AVERAGE_GLYPH = 0.62  # DejaVu Sans: average advance per character, in em


def _texts(svg: bytes | str) -> list[tuple[float, float, list[str]]]:
    """Every text element: its position and its lines (one per tspan, or the text itself)."""
    root = ET.fromstring(svg if isinstance(svg, bytes) else svg.encode())
    found = []
    for node in root.iter(f"{SVG}text"):
        moved = re.search(r"translate\(([-\d.]+),\s*([-\d.]+)\)", node.get("transform", ""))
        x, y = (float(moved.group(1)), float(moved.group(2))) if moved else (0.0, 0.0)
        lines = [t.text or "" for t in node.iter(f"{SVG}tspan")] or [node.text or ""]
        found.append((x, y, lines))
    return found


def _small_workspace() -> KeyResults:
    return KeyResults(
        community="Welcoming",
        workshops_held=1,
        participants=12,
        cities=3,
        actions=5,
        actions_done=1,
        workshops_by_year=[(2025, 1)],
        actions_by_status=[(s, 1) for s in ("idea", "planned", "in_progress", "done", "dropped")],
    )


def test_count_axes_show_whole_numbers_only() -> None:
    _png, svg = charts.infographic(_small_workspace())
    numbers = [
        line for _x, _y, lines in _texts(svg) for line in lines if re.fullmatch(r"\d+\.\d+", line)
    ]
    # The score axis (0-4) may have halves; no count axis may.
    assert set(numbers) <= {"0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0"}
    assert len(numbers) == 9, numbers  # exactly the score axis's nine ticks


def test_headline_captions_fit_their_columns() -> None:
    _png, svg = charts.infographic(_small_workspace())
    words = ("visits held", "participants", "taking part", "actions done")
    captions = [
        (x, lines)
        for x, _y, lines in _texts(svg)
        if any(word in line for line in lines for word in words)
        and not any("per year" in line for line in lines)  # the chart title below the tiles
    ]
    assert len(captions) == 4, captions
    xs = sorted(x for x, _ in captions)
    column = min(b - a for a, b in zip(xs, xs[1:], strict=False))
    for _x, lines in captions:
        widest = max(len(line) for line in lines) * CAPTION_FONT_PX * AVERAGE_GLYPH
        assert widest < column, (lines, widest, column)


def test_status_names_are_stacked_not_side_by_side() -> None:
    _png, svg = charts.infographic(_small_workspace())
    names = {"idea", "planned", "in progress", "done", "dropped"}
    placed = [(x, y) for x, y, lines in _texts(svg) if lines and lines[0] in names]
    assert len(placed) == 5
    ys = sorted(y for _x, y in placed)
    assert min(b - a for a, b in zip(ys, ys[1:], strict=False)) >= CAPTION_FONT_PX


def test_the_infographic_spec_is_valid_vega_lite() -> None:
    """The spec is built without Altair's validation (it took most of a chapter page's run),
    so it is checked against the Vega-Lite schema here."""
    import altair as alt

    spec = charts.infographic_spec(_small_workspace())
    alt.VConcatChart.from_dict(spec, validate=True)  # raises on a spec the schema refuses
    broken = {**spec, "vconcat": [{"mark": "no-such-mark"}]}
    try:
        alt.VConcatChart.from_dict(broken, validate=True)
    except Exception:  # noqa: BLE001  (the check is that the schema refuses it)
        pass
    else:
        raise AssertionError("the schema check accepted a broken spec")
