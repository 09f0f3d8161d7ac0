"""Issue 19 item 4: the actions timeline on the demo workspace, as the browser's Vega draws it.

Every row has its label, an action without a start date is a mark on its due date, a
dashed line marks today, milestones are marks on their action's row (done and open in
different shapes), sub-actions follow their parent, and the zoom sets the days shown.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, cast

import pyarrow as pa
import vl_convert
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cop.actions import service as actions
from cop.actions.models import Action
from cop.actions.queries import ActionRow, TimelineRow
from cop.actions.ui.timeline import EDGE, PAGE_KEY, PAGE_ROWS, row_pages, zoom_window
from cop.core import clock
from cop.core.db import write_session
from cop.core.permissions import SYSTEM
from tests.actions.test_page import DEMO_ACTIONS, PRIVATE_ACTIONS, view
from tests.page_fixtures import texts

PARENT = "Welcome points in two more Düsseldorf districts"
CHILD = "Training day for volunteers at welcome points"
WITH_MILESTONES = "Athens refugee volunteers in city reception"


def chart(at: AppTest) -> Any:
    return at.get("vega_lite_chart")[0].proto


def datasets(proto: Any) -> dict[str, list[dict[str, Any]]]:
    """The chart's named datasets as rows, dates as ISO text (as Vega reads them)."""
    found = {}
    for dataset in proto.datasets:
        rows = pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
        found[dataset.name] = [
            {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()} for row in rows
        ]
    return found


def rendered_svg(proto: Any, width: int = 900) -> str:
    """The chart as the browser's Vega would draw it (vl-convert)."""
    spec = json.loads(proto.spec)
    spec["datasets"] = datasets(proto)
    spec["width"] = width
    return vl_convert.vegalite_to_svg(spec)


def svg_texts(svg: str) -> list[str]:
    """Every text of the drawing, a multi-line label's lines joined by spaces."""
    found = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return [
        " ".join(html.unescape(t) for t in re.findall(r">([^<]*)<", f">{part}<") if t.strip())
        for part in found
    ]


def layer(spec: dict[str, Any], mark: str) -> list[dict[str, Any]]:
    return [
        one
        for one in spec["layer"]
        if (one["mark"] if isinstance(one["mark"], str) else one["mark"]["type"]) == mark
    ]


def test_every_row_is_labelled_and_an_action_without_a_start_is_a_mark_on_its_due_date(
    run_page: Callable[..., AppTest],
) -> None:
    at = view(run_page, "member", "Timeline", act_tl_zoom="all")
    assert not at.exception, at.exception
    rows = datasets(chart(at))["actions"]
    assert len(rows) == DEMO_ACTIONS - PRIVATE_ACTIONS
    labels = svg_texts(rendered_svg(chart(at)))
    normal = [" ".join(t.replace("\u00a0", " ").split()) for t in labels]
    unlabelled = [r["title"] for r in rows if not any(r["title"][:40] in t for t in normal)]
    assert not unlabelled, unlabelled  # a long title may be cut at its end, never left out
    # A bar from start to due where there is a start; otherwise a tick on the due date.
    assert any(r["start"] for r in rows) and any(not r["start"] for r in rows)
    assert all(r["start"] < r["due"] for r in rows if r["start"])
    svg = rendered_svg(chart(at))
    ticks = svg.count('aria-roledescription="tick"')
    assert ticks == sum(1 for r in rows if not r["start"])
    assert {r["start_text"] for r in rows if not r["start"]} == {"No start date"}


def test_a_dashed_line_and_its_label_mark_today(run_page: Callable[..., AppTest]) -> None:
    at = view(run_page, "member", "Timeline")
    spec = json.loads(chart(at).spec)
    (rule,) = layer(spec, "rule")
    assert rule["data"]["values"] == [{"today": clock.today().isoformat()}]
    assert rule["mark"]["strokeDash"]
    (label,) = layer(spec, "text")
    assert label["mark"]["text"] == "Today"
    assert "Today" in svg_texts(rendered_svg(chart(at)))


def test_milestones_are_marks_on_their_actions_row_done_and_open_in_different_shapes(
    run_page: Callable[..., AppTest],
) -> None:
    at = view(run_page, "member", "Timeline", act_tl_zoom="all")
    found = datasets(chart(at))
    rows = {r["title"]: r["row"] for r in found["actions"]}
    athens = [m for m in found["milestones"] if m["action"] == WITH_MILESTONES]
    assert athens and {m["row"] for m in athens} == {rows[WITH_MILESTONES]}
    assert {m["state"] for m in found["milestones"]} == {"Milestone done", "Milestone open"}
    spec = json.loads(chart(at).spec)
    (points,) = layer(spec, "point")
    shape = points["encoding"]["shape"]
    assert shape["scale"] == {
        "domain": ["Milestone done", "Milestone open"],
        "range": ["diamond", "circle"],
    }
    svg = rendered_svg(chart(at))
    assert svg.count('aria-roledescription="point"') >= len(found["milestones"])
    assert "Milestone done" in svg_texts(svg) and "Milestone open" in svg_texts(svg)


def test_sub_actions_follow_their_parent_indented(run_page: Callable[..., AppTest]) -> None:
    at = view(run_page, "member", "Timeline", act_tl_zoom="all")
    spec = json.loads(chart(at).spec)
    order = layer(spec, "bar")[0]["encoding"]["y"]["sort"]
    wide = [label.split("\t")[0].replace("\n", " ") for label in order]
    parent = next(i for i, label in enumerate(wide) if label.startswith(PARENT[:30]))
    assert wide[parent + 1].startswith("↳ " + CHILD[:20])
    assert not any(label.startswith("↳") for label in wide[: parent + 1])
    rows = {r["title"]: r for r in datasets(chart(at))["actions"]}
    assert rows[CHILD]["parent"] == PARENT


def test_the_zoom_sets_the_days_shown(run_page: Callable[..., AppTest]) -> None:
    at = view(run_page, "member", "Timeline")
    zoom = next(c for c in at.segmented_control if c.key == "act_tl_zoom")
    assert zoom.value == "year"

    def domain(at: AppTest) -> Any:
        x = layer(json.loads(chart(at).spec), "bar")[0]["encoding"]["x"]
        return x["scale"].get("domain")

    today = clock.today()
    first, last = zoom_window("year", today)  # type: ignore[misc]
    shown_first, shown_last = first - EDGE, last + EDGE  # a mark on the edge is drawn whole
    assert domain(at) == [
        {"year": shown_first.year, "month": shown_first.month, "date": shown_first.day},
        {"year": shown_last.year, "month": shown_last.month, "date": shown_last.day},
    ]
    year_rows = len(datasets(chart(at))["actions"])
    zoom.set_value("quarter").run()
    first, last = zoom_window("quarter", today)  # type: ignore[misc]
    shown_first = first - EDGE
    assert domain(at)[0] == {
        "year": shown_first.year,
        "month": shown_first.month,
        "date": shown_first.day,
    }
    assert (last - first).days < 100
    quarter = datasets(chart(at))["actions"]
    assert len(quarter) < year_rows  # only the actions running in those days
    assert all(r["due"] >= first.isoformat() for r in quarter)
    next(c for c in at.segmented_control if c.key == "act_tl_zoom").set_value("all").run()
    assert domain(at) is None  # every action's days
    assert len(datasets(chart(at))["actions"]) == DEMO_ACTIONS - PRIVATE_ACTIONS
    assert f"{DEMO_ACTIONS - PRIVATE_ACTIONS} actions." in texts(at)


def test_the_filters_narrow_the_timeline(run_page: Callable[..., AppTest]) -> None:
    at = view(run_page, "member", "Timeline", act_filters_open=True, act_tl_zoom="all")
    at.multiselect(key="act_status").set_value(["done"]).run()
    rows = datasets(chart(at))["actions"]
    assert {r["status"] for r in rows} == {"Done"} and len(rows) == 3


def test_the_timeline_as_a_table_lists_the_same_rows(run_page: Callable[..., AppTest]) -> None:
    at = view(run_page, "member", "Timeline", act_tl_zoom="all", act_tl_table_open=True)
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert len(table) == DEMO_ACTIONS - PRIVATE_ACTIONS
    assert f"↳ {CHILD}" in set(table["Action"])
    athens = table[table["Action"] == WITH_MILESTONES].iloc[0]
    assert "✓" in athens["Milestones"]


def test_the_zoom_is_kept_while_another_tab_is_open(run_page: Callable[..., AppTest]) -> None:
    at = view(run_page, "member", "Timeline")
    next(c for c in at.segmented_control if c.key == "act_tl_zoom").set_value("quarter").run()
    at.session_state["actions_view"] = "Table"
    at.run()
    at.session_state["actions_view"] = "Timeline"
    at.run()
    assert not at.exception, at.exception
    assert next(c for c in at.segmented_control if c.key == "act_tl_zoom").value == "quarter"


def _rows(levels: list[int]) -> list[TimelineRow]:
    """Timeline rows at these levels (only the level matters to the pages)."""
    return [TimelineRow(action=cast(ActionRow, None), level=level) for level in levels]


def test_a_page_of_the_timeline_never_splits_an_action_from_its_sub_actions() -> None:
    rows = _rows([0, 1, 0, 0, 1, 2, 1, 0, 0])
    pages = row_pages(rows, size=3)
    assert [[r.level for r in page] for page in pages] == [[0, 1, 0], [0, 1, 2, 1], [0, 0]]
    assert [r for page in pages for r in page] == rows  # every row once, in order
    assert row_pages([], size=3) == []


def _many_actions(n: int) -> None:
    """``n`` more dated actions in the community of the Athens action, running this year."""
    today = clock.today()
    with write_session() as session:
        athens = session.exec(select(Action).where(Action.title == WITH_MILESTONES)).one()
        for i in range(n):
            actions.create_action(
                session,
                SYSTEM,
                community_id=athens.community_id,
                title=f"Welcome walk {i:03d}",
                owner_person_id=athens.owner_person_id,
                start_date=today - timedelta(days=20),
                due_date=today + timedelta(days=30 + i),
            )


def test_a_long_timeline_is_drawn_a_page_of_rows_at_a_time(
    run_page: Callable[..., AppTest],
) -> None:
    """Issue 19 (300 actions under 2x a typical page): the browser draws a page of rows, not all."""
    _many_actions(PAGE_ROWS + 20)
    at = view(run_page, "member", "Timeline")
    assert not at.exception, at.exception
    total = len(datasets(chart(at))["actions"])
    assert PAGE_ROWS <= total < PAGE_ROWS + 10  # a page, whole groups only
    picker = next(n for n in at.number_input if n.key == PAGE_KEY)
    assert (picker.value, picker.max) == (1, 2)
    shown = texts(at)
    assert f"Rows 1 to {total} of" in shown
    first = {r["title"] for r in datasets(chart(at))["actions"]}
    picker.set_value(2).run()
    assert not at.exception, at.exception
    second = {r["title"] for r in datasets(chart(at))["actions"]}
    assert second and not first & second
    assert f"Rows {total + 1} to {total + len(second)} of {total + len(second)}" in texts(at)
    # The table under the chart lists the same page's rows.
    at.session_state["act_tl_table_open"] = True
    at.run()
    assert {a.split("↳ ")[-1] for a in at.dataframe[0].value["Action"]} == second
