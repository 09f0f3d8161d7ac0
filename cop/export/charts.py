"""The key-results infographic of a chapter: one SVG drawn here, and a PNG of it (vl-convert).

One design for every place it shows (the app, the published site, HTML, PDF, DOCX,
Markdown): a band in the cluster's colour with the community's name, five headline
figures, workshops and visits per year, joint actions by status, a small map of the
member cities (the map page's outline of Europe, projected here) and the average
self-assessment score per standard. The cluster's colour is chosen from the community's
id, so a community keeps its colour in every file; every colour text is written in reaches
4.5:1 against its background (WCAG AA).

Text is plain ``<text>`` in the system's DejaVu Sans (nothing is fetched), in the
document's or reader's language. The SVG carries its text alternative (``<title>``,
``<desc>``); ``text_alternative`` gives the same sentence for ``alt`` attributes.
Every position is computed here from estimated text widths, and long names are cut
with an ellipsis, so no label runs into another.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from cop.core.i18n import N_, translator
from cop.export.document import xml_safe
from cop.export.key_results import SCORE, KeyResults, number_text

# Each reaches at least 4.5:1 against white and against its own tint (checked by a test).
PALETTE = (
    "#1f5f99",  # blue
    "#0e7358",  # green
    "#a3391f",  # brick
    "#6b3f98",  # purple
    "#7a5600",  # ochre
    "#a8275a",  # raspberry
    "#26646d",  # teal
    "#4f6309",  # olive
)
INK, MUTED, LAND, COAST, DROPPED = "#1d2433", "#4a5568", "#e3e7ec", "#a9b1ba", "#8a94a0"
FONT = "DejaVu Sans, Noto Sans, Arial, sans-serif"
WIDTH = 800
MARGIN = 24
GAP = 16
PANEL = (WIDTH - 2 * MARGIN - GAP) // 2  # two panels side by side
STATUS_ORDER = ("idea", "planned", "in_progress", "done", "dropped")
STATUS_LABELS = {
    "idea": N_("Idea"),
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
REGULAR_EM, BOLD_EM = 0.6, 0.66  # DejaVu Sans: average advance per character, a little generous


def cluster_colour(key: int | str) -> str:
    """The cluster's colour: a community id (or, wanting one, its name) picks it from PALETTE."""
    if isinstance(key, int) and key > 0:
        return PALETTE[(key - 1) % len(PALETTE)]
    return PALETTE[zlib.crc32(str(key).encode("utf-8")) % len(PALETTE)]


def colour_of(results: KeyResults) -> str:
    return cluster_colour(results.community_id or results.community)


def mix(colour: str, share_of_white: float) -> str:
    """``colour`` lightened towards white (0 keeps it, 1 is white)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * share_of_white):02x}" for c in rgb)


def tint(colour: str) -> str:
    """The tiles' background."""
    return mix(colour, 0.9)


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --- text ------------------------------------------------------------------------------------


def text_width(text: str, size: float, bold: bool = False) -> float:
    return len(text) * size * (BOLD_EM if bold else REGULAR_EM)


def fit(text: str, size: float, width: float, bold: bool = False) -> str:
    """``text`` cut (with an ellipsis) to fit ``width`` pixels."""
    text = " ".join(text.split())
    if text_width(text, size, bold) <= width:
        return text
    keep = max(1, int(width / (size * (BOLD_EM if bold else REGULAR_EM))) - 1)
    return text[:keep].rstrip() + "…"


def wrap(text: str, size: float, width: float, lines: int) -> list[str]:
    """Words on at most ``lines`` lines of ``width`` pixels; the last cut if it must be."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size) <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words:
        out[-1] = fit(f"{out[-1]} {' '.join(words)}", size, width - size)
        if not out[-1].endswith("…"):
            out[-1] += "…"
    return [fit(line, size, width) for line in out]


def _t(
    x: float,
    y: float,
    text: str,
    size: float = 12,
    fill: str = INK,
    *,
    bold: bool = False,
    anchor: str = "start",
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    align = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{weight}{align} fill="{fill}">'
        f"{escape(xml_safe(text))}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, rx: float = 0) -> str:
    corner = f' rx="{rx}"' if rx else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}"{corner} fill="{fill}"/>'


# --- the map -----------------------------------------------------------------------------------

CENTRE = (9.0, 50.0)  # the map page's centre: 9°E 50°N


def project(lon: float, lat: float, scale: float, cx: float, cy: float) -> tuple[float, float]:
    """Azimuthal equal-area around CENTRE (as the map page's Vega-Lite projection)."""
    lam, phi = math.radians(lon - CENTRE[0]), math.radians(lat)
    phi0 = math.radians(CENTRE[1])
    cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)
    k = math.sqrt(2 / max(1 + cos_c, 1e-9))
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return cx + scale * x, cy - scale * y


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def outline_path(topology: dict[str, Any], width: float, height: float) -> str:
    """The countries as one SVG path in a ``width`` x ``height`` box (points closer than a
    pixel dropped, rings wholly outside the box left out)."""
    return _outline_path(id(topology), _Frozen(topology), width, height)


class _Frozen:
    """Hands a topology to the cache by identity (it is read once per process)."""

    def __init__(self, topology: dict[str, Any]) -> None:
        self.topology = topology

    def __hash__(self) -> int:
        return id(self.topology)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Frozen) and other.topology is self.topology


def map_scale(width: float, height: float) -> float:
    return min(height * 1.75, width * 1.45)  # the map page's scale for its drawn size


@lru_cache(maxsize=8)
def _outline_path(_key: int, frozen: _Frozen, width: float, height: float) -> str:
    topology = frozen.topology
    arcs = _arcs(topology)
    scale = map_scale(width, height)
    parts: list[str] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else list(geometry["arcs"])
        for polygon in polygons:
            for ring in polygon:
                points: list[tuple[float, float]] = []
                for index in ring:
                    arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                    points.extend(arc[1:] if points else arc)
                drawn = [project(lon, lat, scale, width / 2, height / 2) for lon, lat in points]
                xs, ys = [p[0] for p in drawn], [p[1] for p in drawn]
                if not drawn or max(xs) < 0 or min(xs) > width or max(ys) < 0 or min(ys) > height:
                    continue
                kept = [drawn[0]]
                for x, y in drawn[1:]:
                    if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 1.0:
                        kept.append((x, y))
                if len(kept) < 3:
                    continue
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + "Z")
    return "".join(parts)


def _map(
    results: KeyResults,
    colour: str,
    topology: dict[str, Any] | None,
    x: float,
    y: float,
    w: float,
    h: float,
    _: Callable[[str], str],
) -> list[str]:
    out = [
        f'<svg x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" viewBox="0 0 {w:.1f} {h:.1f}">'
    ]
    out.append(_rect(0, 0, w, h, mix(colour, 0.95), rx=6))
    if topology is not None:
        out.append(
            f'<path d="{outline_path(topology, w, h)}" fill="{LAND}" stroke="{COAST}" '
            'stroke-width="0.5" stroke-linejoin="round"/>'
        )
    scale = map_scale(w, h)
    for name, lat, lon in results.city_places:
        if lat is None or lon is None:
            continue
        px, py = project(lon, lat, scale, w / 2, h / 2)
        if 0 <= px <= w and 0 <= py <= h:
            out.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{colour}" stroke="#ffffff" '
                f'stroke-width="1.5"><title>{escape(xml_safe(name))}</title></circle>'
            )
    out.append("</svg>")
    return out


# --- the panels ------------------------------------------------------------------------------


def _nice_step(highest: int) -> int:
    """A whole-number step giving at most five gridlines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if highest / step <= 5:
            return step
    return math.ceil(highest / 5)


def _over_time(
    results: KeyResults, colour: str, x: float, y: float, _: Callable[[str], str]
) -> list[str]:
    visits_colour = mix(colour, 0.55)
    out = [
        _t(
            x,
            y + 16,
            fit(_("Workshops and visits per year"), 14, PANEL, True),
            14,
            colour,
            bold=True,
        )
    ]
    series = results.held_by_year
    if not series:
        out.append(_t(x, y + 60, fit(_("No workshops held yet."), 12, PANEL), 12, MUTED))
        return out
    legend_y = y + 36
    out.append(_rect(x, legend_y - 9, 10, 10, colour))
    label = _("Workshops")
    out.append(_t(x + 14, legend_y, label, 11, INK))
    second = x + 14 + text_width(label, 11) + 16
    out.append(_rect(second, legend_y - 9, 10, 10, visits_colour))
    out.append(_t(second + 14, legend_y, _("Study visits"), 11, INK))
    top, bottom = y + 64, y + 196
    left = x + 30
    highest = max(w + v for _y, w, v in series) or 1
    step = _nice_step(highest)
    ceiling = step * math.ceil(highest / step)
    for tick in range(0, ceiling + 1, step):
        ty = bottom - (bottom - top) * tick / ceiling
        out.append(
            f'<line x1="{left:.1f}" x2="{x + PANEL:.1f}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#d5dbe2" stroke-width="1"/>'
        )
        out.append(_t(left - 6, ty + 4, str(tick), 10, MUTED, anchor="end"))
    slot = (x + PANEL - left) / len(series)
    bar = min(44.0, slot * 0.62)
    label_size = 10 if slot < 40 else 11
    for index, (year, workshops, visits) in enumerate(series):
        cx = left + slot * (index + 0.5)
        h_w = (bottom - top) * workshops / ceiling
        h_v = (bottom - top) * visits / ceiling
        out.append(_rect(cx - bar / 2, bottom - h_w, bar, h_w, colour))
        out.append(_rect(cx - bar / 2, bottom - h_w - h_v, bar, h_v, visits_colour))
        if slot >= 22:
            out.append(
                _t(
                    cx,
                    bottom - h_w - h_v - 4,
                    str(workshops + visits),
                    11,
                    INK,
                    bold=True,
                    anchor="middle",
                )
            )
        if slot >= text_width(str(year), label_size) + 4 or index % 2 == 0:
            out.append(_t(cx, bottom + 15, str(year), label_size, MUTED, anchor="middle"))
    return out


def _by_status(
    results: KeyResults, colour: str, x: float, y: float, _: Callable[[str], str]
) -> tuple[list[str], float]:
    out = [_t(x, y + 16, fit(_("Joint actions by status"), 14, PANEL, True), 14, colour, bold=True)]
    counts = dict(results.actions_by_status)
    rows = [s for s in STATUS_ORDER if counts.get(s)] + [
        s for s in counts if s not in STATUS_ORDER and counts[s]
    ]
    if not rows:
        out.append(_t(x, y + 52, fit(_("No joint actions yet."), 12, PANEL), 12, MUTED))
        return out, 70
    names = [fit(_(STATUS_LABELS.get(s, s.replace("_", " "))), 12, 120) for s in rows]
    label_width = max(text_width(n, 12) for n in names) + 10
    room = PANEL - label_width - 40
    highest = max(counts[s] for s in rows)
    row_y = y + 34
    for status, name in zip(rows, names, strict=True):
        n = counts[status]
        length = room * n / highest
        fill = DROPPED if status == "dropped" else colour if status == "done" else mix(colour, 0.4)
        out.append(_t(x, row_y + 13, name, 12, INK))
        out.append(_rect(x + label_width, row_y + 2, length, 15, fill, rx=2))
        out.append(_t(x + label_width + length + 5, row_y + 14, f"{n:,}", 12, INK, bold=True))
        row_y += 26
    return out, row_y - y


def _marker(x: float, top: float) -> str:
    """A starting point: a short dark bar across the score's track."""
    return _rect(x - 1.5, top, 3, 15, INK, rx=1)


def _scores(
    results: KeyResults,
    colour: str,
    x: float,
    y: float,
    _: Callable[[str], str],
    language: str = "en",
) -> tuple[list[str], float]:
    out = [
        _t(
            x,
            y + 16,
            fit(_("Self-assessment per standard"), 14, PANEL, True),
            14,
            colour,
            bold=True,
        )
    ]
    if not results.scores_by_standard:
        out.append(_t(x, y + 52, fit(_("No shared self-assessment yet."), 12, PANEL), 12, MUTED))
        return out, 70
    out.append(
        _t(
            x,
            y + 34,
            fit(
                _("average, 0 = not started, 4 = fully in place"),
                10.5,
                PANEL,
            ),
            10.5,
            MUTED,
        )
    )
    row_y = y + 50
    if any(first is not None for first in results.first_scores):
        out.append(_marker(x + 3, y + 41))
        out.append(
            _t(
                x + 10,
                y + 50,
                fit(_("where the same cities started"), 10.5, PANEL - 10),
                10.5,
                MUTED,
            )
        )
        row_y += 16
    track = PANEL - 40
    firsts = [*results.first_scores, *[None] * len(results.scores_by_standard)]
    for (title, mean, _cities), first in zip(results.scores_by_standard[:10], firsts, strict=False):
        out.append(_t(x, row_y + 11, fit(title, 11.5, PANEL), 11.5, INK))
        out.append(_rect(x, row_y + 17, track, 9, tint(colour), rx=4))
        out.append(_rect(x, row_y + 17, track * max(0.0, min(mean, 4.0)) / 4, 9, colour, rx=4))
        if first is not None:
            out.append(_marker(x + track * max(0.0, min(first, 4.0)) / 4, row_y + 14))
        out.append(
            _t(
                x + PANEL,
                row_y + 26,
                number_text(mean, language, SCORE),
                12,
                INK,
                bold=True,
                anchor="end",
            )
        )
        row_y += 36
    if len(results.scores_by_standard) > 10:
        more = len(results.scores_by_standard) - 10
        out.append(
            _t(x, row_y + 10, _("and {count} more standards").format(count=more), 10.5, MUTED)
        )
        row_y += 18
    return out, row_y - y


def _tiles(results: KeyResults, colour: str, y: float, _: Callable[[str], str]) -> list[str]:
    tiles = [
        (results.workshops_held, _("workshops and visits held")),
        (results.study_visits, _("of them study visits")),
        (results.cities, _("cities taking part")),
        (
            results.actions_done,
            _("of {count} joint actions done").format(count=f"{results.actions:,}"),
        ),
        (results.practices, _("practice examples")),
    ]
    width = (WIDTH - 2 * MARGIN - 4 * 12) / len(tiles)
    out: list[str] = []
    for index, (value, label) in enumerate(tiles):
        tx = MARGIN + index * (width + 12)
        out.append(_rect(tx, y, width, 112, tint(colour), rx=8))
        out.append(_rect(tx, y, 5, 112, colour))
        out.append(
            _t(tx + 16, y + 46, fit(f"{value:,}", 34, width - 24, True), 34, colour, bold=True)
        )
        for line_no, line in enumerate(wrap(label, 12, width - 26, 3)):
            out.append(_t(tx + 16, y + 68 + 15 * line_no, line, 12, INK))
    return out


def text_alternative(results: KeyResults, language: str = "en") -> str:
    """The infographic said in sentences: every figure and series it draws."""
    _ = translator(language)
    parts = [
        _(
            "Key results of {community}. Workshops and visits held: {held} (study visits among "
            "them: {visits}). Cities taking part: {cities}. Joint actions done: {done} of "
            "{actions}. Practice examples: {practices}."
        ).format(
            community=results.community,
            held=f"{results.workshops_held:,}",
            visits=f"{results.study_visits:,}",
            cities=f"{results.cities:,}",
            done=f"{results.actions_done:,}",
            actions=f"{results.actions:,}",
            practices=f"{results.practices:,}",
        )
    ]
    if results.held_by_year:
        years = "; ".join(
            _("{year}: workshops {workshops}, study visits {visits}").format(
                year=year, workshops=w, visits=v
            )
            for year, w, v in results.held_by_year
        )
        parts.append(_("Per year: {years}.").format(years=years))
    if results.actions_by_status:
        counts = dict(results.actions_by_status)
        statuses = ", ".join(
            f"{_(STATUS_LABELS.get(s, s))} {counts[s]}"
            for s in [*STATUS_ORDER, *[k for k in counts if k not in STATUS_ORDER]]
            if counts.get(s)
        )
        parts.append(_("Joint actions by status: {statuses}.").format(statuses=statuses))
    if results.scores_by_standard:
        firsts = [*results.first_scores, *[None] * len(results.scores_by_standard)]
        scores = "; ".join(
            f"{title} {number_text(mean, language, SCORE)}"
            + (
                " " + _("(first {score})").format(score=number_text(first, language, SCORE))
                if first is not None
                else ""
            )
            for (title, mean, _n), first in zip(results.scores_by_standard, firsts, strict=False)
        )
        parts.append(
            _("Average self-assessment score per standard (0 to 4): {scores}.").format(
                scores=scores
            )
        )
    if results.city_places:
        parts.append(
            _("Member cities on the map: {cities}.").format(
                cities=", ".join(name for name, _lat, _lon in results.city_places)
            )
        )
    return " ".join(parts)


def infographic_svg(
    results: KeyResults, language: str = "en", outline: dict[str, Any] | None = None
) -> str:
    """The infographic as an SVG document (``outline``: the map page's TopoJSON of Europe)."""
    _ = translator(language)
    colour = colour_of(results)
    title = _("Key results: {community}").format(community=results.community)
    body: list[str] = [_rect(0, 0, WIDTH, 72, colour)]
    body.append(
        _t(
            MARGIN,
            26,
            fit(_("Key results"), 12, WIDTH - 2 * MARGIN).upper(),
            12,
            "#ffffff",
            bold=True,
        )
    )
    body.append(
        _t(
            MARGIN,
            56,
            fit(results.community, 24, WIDTH - 2 * MARGIN, True),
            24,
            "#ffffff",
            bold=True,
        )
    )
    body += _tiles(results, colour, 88, _)
    row: float = 88 + 112 + 24
    body += _over_time(results, colour, MARGIN, row, _)
    right = MARGIN + PANEL + GAP
    placed = sum(1 for _n, lat, lon in results.city_places if lat is not None and lon is not None)
    heading = (
        _("Member cities ({count})").format(count=placed)
        if placed == len(results.city_places)
        else _("Member cities ({count} of {total} on the map)").format(
            count=placed, total=len(results.city_places)
        )
    )
    body.append(_t(right, row + 16, fit(heading, 14, PANEL, True), 14, colour, bold=True))
    body += _map(results, colour, outline, right, row + 26, PANEL, 190, _)
    row += 236
    status, status_height = _by_status(results, colour, MARGIN, row, _)
    scores, scores_height = _scores(results, colour, right, row, _, language)
    body += status + scores
    row += max(status_height, scores_height) + 12
    body.append(
        f'<line x1="{MARGIN}" x2="{WIDTH - MARGIN}" y1="{row:.1f}" y2="{row:.1f}" stroke="{mix(colour, 0.6)}" stroke-width="1"/>'
    )
    body.append(
        _t(
            MARGIN,
            row + 18,
            fit(
                _(
                    "Counted from the community's records; self-assessment scores where cities shared them."
                ),
                10.5,
                WIDTH - 2 * MARGIN,
            ),
            10.5,
            MUTED,
        )
    )
    height = row + 30
    lang = "de" if language == "de" else "en"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-labelledby="ig-title ig-desc" '
        f'xml:lang="{lang}" data-cluster-colour="{colour}" font-family="{FONT}">'
        f'<title id="ig-title">{escape(xml_safe(title))}</title>'
        f'<desc id="ig-desc">{escape(xml_safe(text_alternative(results, language)))}</desc>'
        f'<rect width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def to_png(svg: str | bytes) -> bytes:
    """The SVG as a PNG at twice its size (DOCX, and the app's download)."""
    return _png(svg if isinstance(svg, str) else svg.decode("utf-8"))


@lru_cache(maxsize=32)
def _png(svg: str) -> bytes:
    """Drawing a PNG takes one to two seconds (most of it vl-convert's start); the same figures
    give the same SVG, so reuse it. Keyed by the whole SVG, so a reader never receives a picture
    drawn from figures they may not see."""
    import vl_convert  # about 60 MB: loaded with the first picture, not with the app

    return bytes(vl_convert.svg_to_png(svg, scale=2))


def infographic(
    results: KeyResults, language: str = "en", outline: dict[str, Any] | None = None
) -> tuple[bytes, bytes]:
    """The infographic as (PNG, SVG)."""
    svg = infographic_svg(results, language, outline)
    return to_png(svg), svg.encode("utf-8")


def cover_colours(names_and_keys: Sequence[tuple[str, int]]) -> list[tuple[str, str]]:
    """Each cluster's name with its colour, for a cover page."""
    return [(name, cluster_colour(key or name)) for name, key in names_and_keys]
