"""The organisations page on the demo workspace: everyone reads the list; facilitators and admins
add and correct organisations, with each refusal under its field and the typed input kept."""

from __future__ import annotations

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cop.communities.models import Organisation
from cop.core.db import read_session
from tests.page_fixtures import texts


def _organisation(name: str) -> Organisation | None:
    with read_session() as s:
        return s.exec(select(Organisation).where(Organisation.name == name)).first()


def _field(at: AppTest, label: str, key_prefix: str):  # noqa: ANN202
    return next(t for t in at.text_input if t.label == label and t.key.startswith(key_prefix))


def test_everyone_reads_the_list_and_only_facilitators_and_admins_get_the_forms(
    run_page,
) -> None:
    for username in ("member", "observer"):
        at = run_page("organisations", username)
        assert not at.exception, at.exception
        listed = at.dataframe[0].value
        assert {"Düsseldorf", "Eurocities"} <= set(listed["Name"])
        row = listed[listed["Name"] == "Düsseldorf"].iloc[0]
        assert (row["Kind"], row["Country"], row["Latitude"]) == ("City", "DE", "51.2277")
        assert not [e for e in at.expander if e.label == "Add an organisation"]
        assert "Facilitators and administrators add and correct organisations." in texts(at)
    for username in ("facilitator", "admin"):
        at = run_page("organisations", username)
        assert [e for e in at.expander if e.label == "Add an organisation"], username


def test_a_facilitator_adds_a_city_and_bad_coordinates_are_refused_under_their_field(
    run_page,
) -> None:
    at = run_page("organisations", "facilitator")
    _field(at, "Name", "org-new").input("Stadt Köln")
    _field(at, "Country (two letters)", "org-new").input("DE")
    _field(at, "Latitude (-90 to 90)", "org-new").input("95")
    _field(at, "Longitude (-180 to 180)", "org-new").input("6,9603")
    at = next(b for b in at.button if b.key and "org-new" in b.key).click().run()
    assert not at.exception, at.exception
    assert "The latitude must be between -90 and 90." in texts(at)
    assert _organisation("Stadt Köln") is None
    assert _field(at, "Name", "org-new").value == "Stadt Köln"  # the input is kept
    _field(at, "Latitude (-90 to 90)", "org-new").input("50,9375")
    at = next(b for b in at.button if b.key and "org-new" in b.key).click().run()
    assert not at.exception, at.exception
    stored = _organisation("Stadt Köln")
    assert stored is not None
    assert (stored.kind, stored.country, stored.latitude, stored.longitude) == (
        "city",
        "DE",
        50.9375,
        6.9603,
    )
    assert "Stadt Köln is saved." in [s.value for s in at.success]
    assert "Stadt Köln" in set(at.dataframe[0].value["Name"])


def test_an_admin_corrects_an_organisation_and_a_taken_name_is_refused(run_page) -> None:
    at = run_page("organisations", "admin")
    ghent = _organisation("Ghent")
    assert ghent is not None
    at.selectbox(key="org-edit-choice").set_value(ghent.id).run()
    key = f"org-edit-{ghent.id}"
    _field(at, "Name", key).input("düsseldorf")
    at = next(b for b in at.button if b.key and key in b.key).click().run()
    assert "An organisation called düsseldorf already exists." in texts(at)
    _field(at, "Name", key).input("Stad Gent")
    at = next(b for b in at.button if b.key and key in b.key).click().run()
    assert not at.exception, at.exception
    assert _organisation("Stad Gent") is not None and _organisation("Ghent") is None
