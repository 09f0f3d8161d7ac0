"""The map page on the demo workspace: the chart is drawn with the shipped outline (fetched from the
app's own host, never sent with the run), the text alternative lists the demo cities, the year narrows it, a click opens the record."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from cop.map.web import outline_address
from tests.page_fixtures import texts


def _spec(at: AppTest) -> dict:
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def charts_bytes(at: AppTest) -> str:
    return at.get("vega_lite_chart")[0].proto.spec


def test_the_map_draws_the_shipped_outline_and_lists_the_demo_cities(run_page) -> None:
    at = run_page("map", "facilitator")
    assert not at.exception, at.exception
    spec = _spec(at)
    outline, lines, points = spec["layer"]
    assert outline["data"]["format"] == {"type": "topojson", "feature": "countries"}
    # The outline comes from the app's own route, relative to the page; only the marks travel.
    assert outline["data"]["url"] == outline_address()
    assert outline["data"]["url"].startswith("outlines/europe.json?v=")
    assert len(charts_bytes(at)) < 100_000, "the 180 kB outline must not travel with every run"
    targets = {m["target"].split(":")[0] for m in points["data"]["values"]}
    assert targets == {"place", "workshop", "practice"}
    assert lines["data"]["values"], "study visits join the host to the cities that came"
    places = at.dataframe[0].value
    assert {"Düsseldorf", "Ghent", "Lisbon", "Zagreb", "Helsinki", "MigrationWork CIC"} <= set(
        places["Name"]
    )
    assert "Map" in texts(at)
    # A country by its name in the reader's language, never its code.
    assert {"Belgium", "Greece"} <= set(places["Country"]) and "GR" not in set(places["Country"])


def test_an_observer_does_not_see_the_private_communitys_cities(run_page) -> None:
    at = run_page("map", "observer")
    assert not at.exception, at.exception
    names = set(at.dataframe[0].value["Name"])
    assert {"Düsseldorf", "Athens"} <= names
    assert not names & {"Gothenburg", "Helsinki", "Riga"}  # young-migrants is private
    titles = json.dumps(_spec(at)["layer"][2]["data"]["values"], ensure_ascii=False)
    assert "Helsinki" not in titles


def test_the_year_narrows_the_workshops(run_page) -> None:
    at = run_page("map", "facilitator")
    every = len(at.dataframe[1].value)
    years = [o for o in at.selectbox(key="map_year").options if o != "Every year"]
    assert len(years) >= 2
    at.selectbox(key="map_year").select(int(years[-1])).run()
    assert not at.exception, at.exception
    assert 0 < len(at.dataframe[1].value) < every
