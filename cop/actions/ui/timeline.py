"""The actions timeline: a row per action, grouped under its parent, with a bar from start to due.

An action without a start date is a mark on its due date; dated milestones are marks on
their action's row (done and open ones differ in shape, not only in colour); a line marks
today. The zoom picks the days shown: a quarter around today, a year around today, or
everything. The chart is a Vega-Lite spec built once per cached read (``shell.charts``).

A chart shows at most about ``PAGE_ROWS`` rows and a page picker offers the others: the
browser draws every row of a chart before it shows any (300 rows took it twice as long as a
typical page, issue 19), and a chart of a few screens is what a reader can follow anyway.
A page ends only before a top-level action, so sub-actions stay under their parent.
"""

from __future__ import annotations

import calendar
import textwrap
from datetime import date, timedelta
from typing import Any

import streamlit as st
from sqlmodel import Session

from cop.actions import queries as action_views
from cop.actions.progress import STATUSES, progress_text
from cop.actions.queries import Timeline, TimelineRow
from cop.actions.ui.views import STATUS_COLOURS, _found, status_label
from cop.core import clock
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor
from cop.shell.charts import arrow_dataset, show_spec
from cop.shell.formatting import chart_date_format, format_date
from cop.shell.lazy import lazy_expander, switch

ZOOM_KEY = "act_tl_zoom"
ZOOMS = {"quarter": N_("Quarter"), "year": N_("Year"), "all": N_("All")}
DEFAULT_ZOOM = "year"
PAGE_KEY = "act_tl_page"
PAGE_ROWS = 50
# A label is wrapped into at most two lines: longer ones on a wide screen, shorter on a phone
# (the chart picks by its container's width); a line longer than the limit ends in "…".
WIDE_LINE, NARROW_LINE = 44, 24
WIDE_LIMIT, NARROW_LIMIT, NARROW_BELOW = 270, 140, 560
ROW_STEP = 36
TODAY_COLOUR, MILESTONE_COLOUR = "#c53030", "#1a202c"
EDGE = timedelta(days=10)


def _months_from(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def zoom_window(zoom: str, today: date) -> tuple[date, date] | None:
    """The days a zoom shows: a quarter (one month back, two ahead), a year (six months either side), or all."""
    if zoom == "quarter":
        return _months_from(today, -1), _months_from(today, 2)
    if zoom == "year":
        return _months_from(today, -6), _months_from(today, 6)
    return None


def row_pages(rows: list[TimelineRow], size: int = PAGE_ROWS) -> list[list[TimelineRow]]:
    """The rows in pages of ``size`` or a few more: a page ends only before a top-level row,
    so an action and its sub-actions are never split across two pages."""
    pages: list[list[TimelineRow]] = []
    for row in rows:
        if not pages or (row.level == 0 and len(pages[-1]) >= size):
            pages.append([])
        pages[-1].append(row)
    return pages


def _indent(level: int) -> str:
    """What goes before a sub-action's title: deeper ones further right."""
    return "\u00a0\u00a0\u00a0" * (level - 1) + "↳ " if level else ""


def _wrapped(title: str, level: int, width: int) -> str:
    """The title in at most two lines (the second may be cut by the chart), indented by its level."""
    indent = "\u00a0\u00a0\u00a0" * max(0, level - 1)
    prefix = _indent(level)
    lines = textwrap.wrap(title, width - len(prefix)) or [title]
    first, rest = lines[0], " ".join(lines[1:])
    return prefix + first + (f"\n{indent}\u00a0\u00a0\u00a0{rest}" if rest else "")


def row_labels(found: Timeline) -> dict[int, str]:
    """Each row's axis value: its wide and narrow labels (tab apart), unique even for equal titles.

    Titles are never identifiers: equal ones differ by invisible zero-width spaces.
    """
    labels: dict[int, str] = {}
    seen: set[str] = set()
    for row in found.rows:
        title, level = row.action.title, row.level
        label = f"{_wrapped(title, level, WIDE_LINE)}\t{_wrapped(title, level, NARROW_LINE)}"
        while label in seen:
            label += "\u200b"
        seen.add(label)
        labels[row.action.id] = label
    return labels


def _legend(orient: str, label_limit: str, narrow_columns: int) -> dict[str, Any]:
    """A legend above or under the plot; fewer columns on a phone, where side by side they ran off it."""
    return {
        "orient": orient,
        "direction": "horizontal",
        "columns": {"expr": f"({label_limit}) < {WIDE_LIMIT} ? {narrow_columns} : 5"},
    }


def _day(value: date) -> dict[str, Any]:
    return {"year": value.year, "month": value.month, "date": value.day}


def timeline_spec(found: Timeline, language: str, today: date, zoom: str) -> dict[str, Any]:
    """The timeline as a Vega-Lite spec: rows in the order given, the zoom's days across."""
    _ = translator(language)
    labels = row_labels(found)
    titles = {r.action.id: r.action.title for r in found.rows}
    rows = [
        {
            "row": labels[r.action.id],
            "title": r.action.title,
            "parent": titles.get(r.action.parent_id or 0, ""),
            # A bar needs a start before the due date; otherwise the due date is a mark.
            "start": r.action.start_date
            if r.action.start_date and r.action.start_date < r.action.due_date
            else None,
            "due": r.action.due_date,
            "start_text": format_date(r.action.start_date, language) or _("No start date"),
            "due_text": format_date(r.action.due_date, language),
            "status": status_label(r.action.status, _),
            "progress": progress_text(r.action.progress, r.action.progress_from, _),
            "owner": r.action.owner,
        }
        for r in found.rows
    ]
    milestones = [
        {
            "row": labels[m.action_id],
            "milestone": m.title,
            "action": titles[m.action_id],
            "due": m.due_date,
            "due_text": format_date(m.due_date, language),
            "state": _("Milestone done") if m.done else _("Milestone open"),
        }
        for m in found.milestones
        if m.action_id in labels
    ]
    window = zoom_window(zoom, today)
    day = chart_date_format(language)
    x: dict[str, Any] = {
        "field": "due",
        "type": "temporal",
        "title": None,
        "axis": {"format": day, "orient": "top", "labelOverlap": True, "grid": True},
        # A few days either side, so a mark on the first or last day is drawn whole.
        "scale": {"domain": [_day(window[0] - EDGE), _day(window[1] + EDGE)]}
        if window
        else {"padding": 12},
    }
    label_limit = (
        f"containerSize()[0] > 0 && containerSize()[0] < {NARROW_BELOW}"
        f" ? {NARROW_LIMIT} : {WIDE_LIMIT}"
    )
    y = {
        "field": "row",
        "type": "nominal",
        "title": None,
        "sort": [labels[r.action.id] for r in found.rows],
        "axis": {
            # The wide label, or on a phone the narrow one, each line by line.
            "labelExpr": (
                f"split(split(datum.value, '\\t')[containerSize()[0] > 0 && "
                f"containerSize()[0] < {NARROW_BELOW} ? 1 : 0], '\\n')"
            ),
            "labelLimit": {"expr": label_limit},
            # Left-aligned, so a sub-action's "↳" shows under its parent's first letter.
            "labelAlign": "left",
            "labelPadding": {"expr": f"({label_limit}) + 6"},
            "labelOverlap": False,
            "labelFontSize": 12,
            "ticks": False,
        },
    }
    status = {
        "field": "status",
        "type": "nominal",
        "title": _("Status"),
        "scale": {"domain": [status_label(s, _) for s in STATUSES], "range": STATUS_COLOURS},
        "legend": _legend("bottom", label_limit, 2),
    }
    tooltip = [
        {"field": "title", "type": "nominal", "title": _("Action")},
        {"field": "parent", "type": "nominal", "title": _("Part of")},
        {"field": "owner", "type": "nominal", "title": _("Owner")},
        {"field": "status", "type": "nominal", "title": _("Status")},
        {"field": "progress", "type": "nominal", "title": _("Progress")},
        {"field": "start_text", "type": "nominal", "title": _("Start")},
        {"field": "due_text", "type": "nominal", "title": _("Due")},
    ]
    clip = window is not None
    state_scale = {
        "domain": [_("Milestone done"), _("Milestone open")],
    }
    milestone_legend = _legend("top", label_limit, 1)
    layers: list[dict[str, Any]] = [
        {
            "data": {"name": "actions"},
            "transform": [{"filter": "isValid(datum.start)"}],
            "mark": {"type": "bar", "cornerRadius": 3, "height": 14, "clip": clip},
            "encoding": {
                "y": y,
                "x": {**x, "field": "start"},
                "x2": {"field": "due"},
                "color": status,
                "tooltip": tooltip,
            },
        },
        {
            "data": {"name": "actions"},
            "transform": [{"filter": "!isValid(datum.start)"}],
            "mark": {"type": "tick", "thickness": 5, "size": 22, "opacity": 1, "clip": clip},
            "encoding": {"y": y, "x": x, "color": status, "tooltip": tooltip},
        },
        {
            "data": {"name": "milestones"},
            "mark": {
                "type": "point",
                "size": 90,
                "filled": True,
                "stroke": MILESTONE_COLOUR,
                "strokeWidth": 1.5,
                "opacity": 1,
                "clip": clip,
            },
            "encoding": {
                "y": y,
                "x": x,
                "shape": {
                    "field": "state",
                    "type": "nominal",
                    "title": _("Milestones"),
                    "scale": {**state_scale, "range": ["diamond", "circle"]},
                    "legend": milestone_legend,
                },
                "fill": {
                    "field": "state",
                    "type": "nominal",
                    "title": _("Milestones"),
                    "scale": {**state_scale, "range": [MILESTONE_COLOUR, "#ffffff"]},
                    "legend": milestone_legend,
                },
                "tooltip": [
                    {"field": "milestone", "type": "nominal", "title": _("Milestone")},
                    {"field": "action", "type": "nominal", "title": _("Action")},
                    {"field": "state", "type": "nominal", "title": _("Status")},
                    {"field": "due_text", "type": "nominal", "title": _("Date")},
                ],
            },
        },
        {
            "data": {"values": [{"today": today.isoformat()}]},
            "mark": {"type": "rule", "color": TODAY_COLOUR, "strokeWidth": 2, "strokeDash": [6, 3]},
            "encoding": {"x": {**x, "field": "today"}},
        },
        {
            "data": {"values": [{"today": today.isoformat()}]},
            "mark": {
                "type": "text",
                "text": _("Today"),
                "color": TODAY_COLOUR,
                "fontWeight": "bold",
                "baseline": "top",
                "dy": 4,
            },
            "encoding": {"x": {**x, "field": "today"}, "y": {"value": "height"}},
        },
    ]
    return {
        "datasets": {"actions": arrow_dataset(rows), "milestones": arrow_dataset(milestones)},
        "height": {"step": ROW_STEP},
        "layer": layers,
    }


def _timeline_chart(
    session: Session, actor: Actor, chosen: dict[str, Any], zoom: str, today: date
) -> tuple[list[tuple[dict[str, Any], Timeline]], Timeline]:
    """The read and each page's chart with its rows, cached together: a rerun only sends one spec."""
    found = action_views.timeline(session, actor, window=zoom_window(zoom, today), **chosen)
    charts = []
    for rows in row_pages(found.rows):
        ids = {r.action.id for r in rows}
        page = Timeline(
            rows=rows,
            milestones=[m for m in found.milestones if m.action_id in ids],
            total=found.total,
        )
        charts.append((timeline_spec(page, actor.language, today, zoom), page))
    return charts, found


def _page_number(pages: int, language: str) -> int:
    """The page picker above a chart of more than one page; the chosen page (1 to ``pages``)."""
    if pages == 1:
        return 1
    _ = translator(language)
    state = st.session_state
    # Fewer pages after a change of zoom or filters: the last one rather than an error.
    state[PAGE_KEY] = min(max(1, int(state.get(PAGE_KEY) or 1)), pages)
    page = st.number_input(
        _("Page (of {pages})").format(pages=pages), min_value=1, max_value=pages, key=PAGE_KEY
    )
    return int(page)


def timeline_view(actor: Actor, chosen: dict[str, Any]) -> None:
    """The zoom, the chart of the filtered actions, and the same rows as a table on request."""
    _ = translator(actor.language)
    zoom = switch(_("Show"), {z: _(name) for z, name in ZOOMS.items()}, ZOOM_KEY, DEFAULT_ZOOM)
    today = clock.today()
    result = _found(actor, _timeline_chart, chosen=chosen, zoom=zoom, today=today)
    if result is None:
        return
    charts, found = result
    window = zoom_window(zoom, today)
    period = (
        _("from {first} to {last}").format(
            first=format_date(window[0], actor.language),
            last=format_date(window[1], actor.language),
        )
        if window
        else ""
    )
    if not charts:
        st.info(
            _(
                "No action matching the filters runs {period}: choose “All” to see every one."
            ).format(period=period)
            if window
            else _("No actions match the filters.")
        )
        return
    shown = len(found.rows)
    if found.total > shown:
        st.caption(
            _(
                "The {n} due first of {total} matching actions are shown; narrow the filters to see others."
            ).format(n=shown, total=found.total)
        )
    else:
        st.caption(
            (_("{n} actions running {period}.") if window else _("{n} actions.")).format(
                n=shown, period=period
            )
        )
    number = _page_number(len(charts), actor.language)
    spec, page = charts[number - 1]
    if len(charts) > 1:
        first = sum(len(p.rows) for _spec, p in charts[: number - 1]) + 1
        st.caption(
            _("Rows {first} to {last} of {n}, soonest due first.").format(
                first=first, last=first + len(page.rows) - 1, n=shown
            )
        )
    show_spec(
        spec,
        alt_text=_(
            "Timeline of {n} actions: a bar from start to due date, a mark on the due date "
            "of those without a start, milestones as diamonds (done) and circles (open), "
            "a dashed line on today, {today}."
        ).format(n=len(page.rows), today=format_date(today, actor.language)),
    )
    table = lazy_expander(
        _("The timeline as a table"), "act_tl_table_open", icon=":material/table:"
    )
    if table is not None:
        with table:
            _table(actor, page)


def _table(actor: Actor, found: Timeline) -> None:
    _ = translator(actor.language)
    dated: dict[int, list[str]] = {}
    for m in found.milestones:
        mark = "✓" if m.done else "○"
        dated.setdefault(m.action_id, []).append(
            f"{mark} {m.title} ({format_date(m.due_date, actor.language)})"
        )
    st.dataframe(
        [
            {
                _("Action"): _indent(r.level) + r.action.title,
                _("Start"): format_date(r.action.start_date, actor.language),
                _("Due"): format_date(r.action.due_date, actor.language),
                _("Status"): status_label(r.action.status, _),
                _("Milestones"): "; ".join(dated.get(r.action.id, [])),
            }
            for r in found.rows
        ],
        hide_index=True,
        width="stretch",
    )
