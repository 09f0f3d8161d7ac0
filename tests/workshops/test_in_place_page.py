"""Opening a workshop from the list in place and coming back to the same list; recording one
while the sidebar shows "All my communities" (AppTest on the demo workspace)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cop.communities.models import Community
from cop.core.db import read_session
from cop.workshops.models import Workshop
from cop.workshops.ui import views
from tests.page_fixtures import as_shown, press_in_grid, texts


def _button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def _titles(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["Title"])


def _opened(at: AppTest) -> str:
    value = at.query_params["id"]
    return value[0] if isinstance(value, list) else value


def test_opening_a_row_keeps_the_filters_and_page_and_back_restores_them(
    run_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 4)  # 9 closed workshops: 3 pages
    at = run_page("workshops")
    at.session_state["ws_sort"] = "title"
    at.session_state["ws_desc"] = False
    at.session_state["ws_status"] = "closed"
    at.run()
    at.number_input(key=views.PAGE_KEY).set_value(2).run()
    listed = _titles(at)
    assert listed == sorted(listed) and len(listed) == 4

    at = press_in_grid(at, "Title", 1)  # the title of the second row
    assert not at.exception, at.exception
    assert as_shown(at.title[0].value) == listed[1]
    with read_session() as s:
        workshop = s.exec(select(Workshop).where(Workshop.title == listed[1])).one()
    assert _opened(at) == str(workshop.id)
    assert not at.dataframe or "Title" not in at.dataframe[0].value  # the list is not drawn

    _button(at, "Back to the list").click().run()
    assert not at.exception, at.exception
    assert "id" not in at.query_params
    assert _titles(at) == listed  # the same filter, sort and page
    assert at.number_input(key=views.PAGE_KEY).value == 2
    assert (at.session_state["ws_status"], at.session_state["ws_sort"]) == ("closed", "title")

    at = press_in_grid(at, "Workshop", 3)  # the "Open" button of the fourth row
    assert as_shown(at.title[0].value) == listed[3]


def test_a_deep_link_opens_the_workshop_and_back_shows_the_list(run_page) -> None:
    with read_session() as s:
        workshop = s.exec(select(Workshop).order_by(Workshop.id)).first()
    assert workshop is not None
    at = run_page("workshops", "facilitator", {"id": str(workshop.id)})
    assert as_shown(at.title[0].value) == workshop.title
    _button(at, "Back to the list").click().run()
    assert not at.exception, at.exception
    assert "26 workshops and visits" in texts(at)


def _open_new_form(username: str, run_page) -> AppTest:  # noqa: ANN001
    at = run_page("workshops", username)
    assert at.session_state["cop_community_id"] == 0  # "All my communities"
    at.session_state["ws_new_open"] = True
    return at.run()


def test_recording_under_all_my_communities_asks_for_the_community_first(run_page) -> None:
    at = _open_new_form("facilitator", run_page)
    picker = at.selectbox(key="workshop-new-community")
    assert picker.label == "Community"
    assert picker.value is None  # four communities: the person chooses
    assert len(picker.options) == 4
    assert "workshop-new-title" not in [w.key for w in at.text_input]
    with read_session() as s:
        young = s.exec(select(Community).where(Community.slug == "young-migrants")).one()
    picker.set_value(young.id).run()
    at.text_input(key="workshop-new-title").input("Planning call of the young migrants CoP")
    at.date_input(key="workshop-new-start_day").set_value(date(2031, 3, 12))
    at.date_input(key="workshop-new-end_day").set_value(date(2031, 3, 12))
    at.selectbox(key="workshop-new-format").set_value("online")
    at.text_input(key="workshop-new-meeting_link").input("https://meet.example.org/young")
    _button(at, "Save").click().run()
    assert not at.exception, at.exception
    with read_session() as s:
        made = s.exec(
            select(Workshop).where(Workshop.title == "Planning call of the young migrants CoP")
        ).one()
    assert made.community_id == young.id
    assert _opened(at) == str(made.id)


def test_one_possible_community_is_chosen_already_and_an_observer_gets_no_form(run_page) -> None:
    at = _open_new_form("member", run_page)
    picker = at.selectbox(key="workshop-new-community")
    assert picker.value is not None and len(picker.options) == 1
    assert "workshop-new-title" in [w.key for w in at.text_input]  # the form is there at once
    assert "Import past workshops (CSV)" not in [e.label for e in at.expander]  # facilitators only

    observer = run_page("workshops", "observer")
    assert "Record a workshop or visit" not in [e.label for e in observer.expander]
