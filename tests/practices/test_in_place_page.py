"""Opening a practice from the list in place and coming back to the same list; recording one
while the sidebar shows "All my communities" (AppTest on the demo workspace)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cop.communities.models import Organisation, OrganisationKind
from cop.core.db import read_session
from cop.practices.models import Practice, PracticeWorkshop
from cop.practices.ui import views
from cop.workshops.models import Workshop
from tests.page_fixtures import as_shown, press_in_grid
from tests.practices.test_page import PRACTICES, community_id, practice_id


def _titles(at: AppTest) -> list[str]:
    return list(at.tabs[PRACTICES].dataframe[0].value["Title"])


def _opened(at: AppTest) -> str:
    value = at.query_params["id"]
    return value[0] if isinstance(value, list) else value


def _button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def test_opening_a_row_keeps_the_search_and_page_and_back_restores_them(
    run_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    at = run_page("practices", "facilitator")
    at.text_input(key="practices_text").input("volunteer").run()
    at.number_input(key=views.PAGE_KEY).set_value(2).run()
    listed = _titles(at)
    assert len(listed) == 2

    at = press_in_grid(at, "Practice", 1)
    assert not at.exception, at.exception
    assert _opened(at) == practice_id(listed[1])
    assert listed[1] in as_shown(at.markdown[0].value)  # the practice's heading
    assert not at.tabs  # the list is not drawn

    _button(at, "Back to the list").click().run()
    assert not at.exception, at.exception
    assert "id" not in at.query_params
    assert at.text_input(key="practices_text").value == "volunteer"
    assert at.number_input(key=views.PAGE_KEY).value == 2
    assert _titles(at) == listed


def _city(name: str) -> int:
    with read_session() as s:
        return s.exec(  # type: ignore[return-value]
            select(Organisation.id).where(
                Organisation.name == name, Organisation.kind == OrganisationKind.CITY
            )
        ).one()


def _new_form(run_page: Any, username: str) -> AppTest:  # noqa: ANN401
    at = run_page("practices", username)
    assert at.session_state["cop_community_id"] == 0  # "All my communities"
    at.session_state["practices_new_open"] = True
    return at.run()


def test_recording_under_all_my_communities_asks_for_the_community(run_page) -> None:
    at = _new_form(run_page, "facilitator")
    picker = at.selectbox(key="practice-new-community")
    assert (picker.label, picker.value, len(picker.options)) == ("Community", None, 4)
    assert "Save" not in [b.label for b in at.button]  # the form comes once it is chosen
    picker.set_value(community_id("young-migrants")).run()
    form = at.get("form")[0]
    next(t for t in form.text_input if t.label == "Title").input("Homework cafés in libraries")
    next(s for s in form.selectbox if s.label == "City").set_value(_city("Munich"))
    _button(at, "Save").click().run()
    assert not at.exception, at.exception
    with read_session() as s:
        made = s.exec(select(Practice).where(Practice.title == "Homework cafés in libraries")).one()
    assert made.community_id == community_id("young-migrants")
    assert _opened(at) == str(made.id)


def test_one_possible_community_is_chosen_already(run_page) -> None:
    at = _new_form(run_page, "member")
    picker = at.selectbox(key="practice-new-community")
    assert picker.value == community_id("welcoming-culture") and len(picker.options) == 1
    assert "Save" in [b.label for b in at.button]
    observer = run_page("practices", "observer")
    assert "Record a practice" not in [e.label for e in observer.expander]


def test_a_workshop_where_the_practice_was_seen_opens_in_this_tab(run_page) -> None:
    with read_session() as s:
        linked = s.exec(select(PracticeWorkshop)).first()
    assert linked is not None, "the demo links practices to workshops"
    at = run_page("practices", "facilitator", query={"id": str(linked.practice_id)})
    seen = next(n for n, d in enumerate(at.dataframe) if "Workshop" in d.value.columns)
    titles = list(at.dataframe[seen].value["Title"])
    at = press_in_grid(at, "Title", 0, seen)
    assert not at.exception, at.exception
    # Run on its own, the page has no workshops page to switch to: it links the workshop
    # (target _self); in the app the workshop opens at once (tests/browser/test_in_place_journey.py).
    link = f'<a href="./workshops?id={_workshop_id(titles[0])}" target="_self">'
    assert any(link in m.value for m in at.markdown), [m.value for m in at.markdown][:5]


def _workshop_id(title: str) -> int:
    with read_session() as s:
        return s.exec(select(Workshop.id).where(Workshop.title == title)).one()  # type: ignore[return-value]
