"""Every chart of the app has a text alternative right after it: its figures as a table (WCAG 1.1.1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.actions.test_page import view
from tests.practices.test_page import community_id
from tests.shell.test_german import choose_language

TABLE_LABELS = {"en": "The chart as a table", "de": "Die Grafik als Tabelle"}


def in_order(node: Any) -> Iterator[Any]:
    """The page's elements in the order a reader meets them."""
    for child in getattr(node, "children", {}).values():
        yield child
        yield from in_order(child)


def alternatives(at: AppTest) -> list[Any]:
    """For each chart on the page, the element that follows it (None after the last)."""
    elements = list(in_order(at._tree))
    return [
        elements[i + 1] if i + 1 < len(elements) else None
        for i, node in enumerate(elements)
        if node.type == "vega_lite_chart"
    ]


def assert_each_chart_has_its_table(at: AppTest, label: str) -> None:
    assert not at.exception, at.exception
    following = alternatives(at)
    assert following, "the page draws no chart"
    for node in following:
        assert node is not None and node.type == "expander", node
        assert node.proto.label == label, node.proto.label
        assert node.get("table"), "the expander holds the figures as a table"


def self_assessment(
    run_page: Callable[..., AppTest], username: str, tab: str = "Self-assessment", **state: Any
) -> AppTest:
    """The practices page on its self-assessment view, in the community with the demo's scores."""
    at = run_page("practices", username)
    at.session_state["cop_community_id"] = community_id("welcoming-culture")
    at.session_state["practices_view"] = tab
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_workshops_per_month_chart_has_its_figures_as_a_table(
    run_page: Callable[..., AppTest], language: str
) -> None:
    choose_language("admin", language)
    at = run_page("home", "admin")
    at.session_state["home_across_open"] = True
    at.run()
    assert_each_chart_has_its_table(at, TABLE_LABELS[language])
    table = next(iter(at.get("table"))).value
    columns = {"en": ["Month", "Community", "Workshops"], "de": ["Monat", "Community", "Workshops"]}
    assert list(table.columns) == columns[language]


def test_the_heatmap_and_a_citys_trend_have_their_scores_as_tables(
    run_page: Callable[..., AppTest],
) -> None:
    at = self_assessment(run_page, "facilitator", trend_open=True)
    assert len(alternatives(at)) == 2, "the heatmap and the trend"
    assert_each_chart_has_its_table(at, TABLE_LABELS["en"])
    heat, trend = (t.value for t in at.get("table"))
    assert list(heat.columns) == ["City", "Standard", "Score", "Assessed on"]
    assert list(trend.columns) == ["Standard", "Score", "Assessed on"]
    assert {"Düsseldorf", "Ghent", "Lisbon", "Zagreb"} <= set(heat["City"])
    assert all(score[0].isdigit() and " " in score for score in heat["Score"])


def test_the_heatmaps_table_reads_german(run_page: Callable[..., AppTest]) -> None:
    choose_language("facilitator", "de")
    at = self_assessment(run_page, "facilitator", "Selbsteinschätzung")
    assert_each_chart_has_its_table(at, TABLE_LABELS["de"])
    heat = at.get("table")[0].value
    assert list(heat.columns) == ["Stadt", "Standard", "Wert", "Bewertet am"]


def test_the_timeline_is_followed_by_its_table(run_page: Callable[..., AppTest]) -> None:
    at = view(run_page, "member", "Timeline", act_tl_zoom="all")
    following = alternatives(at)
    assert len(following) == 1
    assert following[0].type == "expander"
    assert following[0].proto.label == "The timeline as a table"


def test_the_map_is_followed_by_the_list_of_its_places(run_page: Callable[..., AppTest]) -> None:
    at = run_page("map", "facilitator")
    assert len(alternatives(at)) == 1
    elements = list(in_order(at._tree))
    chart = next(i for i, n in enumerate(elements) if n.type == "vega_lite_chart")
    after = [n for n in elements[chart + 1 :] if n.type in ("subheader", "heading")]
    assert after and after[0].value == "Places", after
