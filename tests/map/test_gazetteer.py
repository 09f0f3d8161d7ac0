"""The offline gazetteer: a typed name finds the city with its country and coordinates, whatever
its accents; the organisation form's "Find the city" fills country and coordinates."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from cop.map.gazetteer import find_cities
from tests.page_fixtures import texts


def test_a_name_finds_the_city_with_country_and_coordinates() -> None:
    found = find_cities("dusseldorf")
    assert found[0].label == "Düsseldorf, DE"
    assert abs(found[0].latitude - 51.22) < 0.05 and abs(found[0].longitude - 6.78) < 0.05
    assert find_cities("Gdańsk")[0].label == "Gdańsk, PL"
    assert "Köln, DE" in [c.label for c in find_cities("Cologne")]  # another name of the city
    assert find_cities("x") == []  # one letter finds nothing
    assert find_cities("qqqzzz") == []


def _field(at: AppTest, label: str, key_prefix: str):  # noqa: ANN202
    return next(t for t in at.text_input if t.label == label and t.key.startswith(key_prefix))


def test_find_the_city_fills_the_organisation_form(run_page) -> None:
    at = run_page("organisations", "facilitator")
    assert "GeoNames (geonames.org), licensed CC BY 4.0" in texts(at)
    _field(at, "Find the city", "org-new").input("Grenoble").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="org-new-found").options[0] == "Grenoble, FR"
    at.button(key="org-new-use").click().run()
    assert not at.exception, at.exception
    assert _field(at, "Name", "org-new").value == "Grenoble"
    assert _field(at, "Country (two letters)", "org-new").value == "FR"
    assert _field(at, "Latitude (-90 to 90)", "org-new").value.startswith("45.1")
    assert _field(at, "Longitude (-180 to 180)", "org-new").value.startswith("5.7")
