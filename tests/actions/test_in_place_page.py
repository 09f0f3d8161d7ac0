"""Opening an action from the table or the board in place and coming back to the same list;
adding, exporting and importing while the sidebar shows "All my communities" (AppTest)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from cop.accounts.models import User
from cop.actions.models import Action
from cop.actions.ui import views
from cop.core.db import read_session
from tests.actions.test_board_page import send
from tests.actions.test_page import button, community_id, view
from tests.download_client import links, page_download
from tests.page_fixtures import as_shown, press_in_grid


def _titles(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["Title"])


def _opened(at: AppTest) -> str:
    value = at.query_params["id"]
    return value[0] if isinstance(value, list) else value


def _action_id(title: str) -> int:
    with read_session() as s:
        return s.exec(select(Action.id).where(Action.title == title)).one()  # type: ignore[return-value]


def test_opening_a_row_keeps_the_filters_and_page_and_back_restores_them(
    run_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    at = view(
        run_page,
        "facilitator",
        "Table",
        act_status=["in_progress", "planned"],
        cop_community_id=community_id("welcoming-culture"),
    )
    at.number_input(key=views.PAGE_KEY).set_value(2).run()
    listed = _titles(at)
    assert len(listed) == 3

    at = press_in_grid(at, "Title", 0)
    assert not at.exception, at.exception
    assert as_shown(at.title[0].value) == listed[0]
    assert _opened(at) == str(_action_id(listed[0]))

    button(at, "Back to the list").click().run()
    assert not at.exception, at.exception
    assert "id" not in at.query_params
    assert _titles(at) == listed
    assert at.number_input(key=views.PAGE_KEY).value == 2
    assert at.session_state["act_status"] == ["in_progress", "planned"]
    assert at.session_state["cop_community_id"] == community_id("welcoming-culture")


def test_a_card_opened_from_the_board_comes_back_to_the_board(run_page) -> None:
    at = view(run_page, "facilitator", "Board", act_overdue=True)
    title = "Zagreb buddy programme in two districts"
    at = send(at, "open", _action_id(title))
    assert as_shown(at.title[0].value) == title
    button(at, "Back to the list").click().run()
    assert not at.exception, at.exception
    assert at.session_state["actions_view"] == "Board"
    assert at.session_state["act_overdue"] is True


def _under_all(run_page: Any, username: str, **state: Any) -> AppTest:  # noqa: ANN401
    at = run_page("actions", username)
    assert at.session_state["cop_community_id"] == 0  # "All my communities"
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def test_a_new_action_under_all_my_communities_asks_for_the_community(run_page) -> None:
    at = _under_all(run_page, "facilitator", act_new_open=True)
    picker = at.selectbox(key="action-new-community")
    assert (picker.label, picker.value, len(picker.options)) == ("Community", None, 4)
    assert "action-new-title" not in [w.key for w in at.text_input]
    picker.set_value(community_id("young-migrants")).run()
    at.text_input(key="action-new-title").input("Homework club run by volunteers")
    with read_session() as s:
        hannah = s.exec(select(User.person_id).where(User.username == "facilitator")).one()
    at.selectbox(key="action-new-owner_person_id").set_value(hannah)
    at.date_input(key="action-new-due_date").set_value(date(2031, 6, 30))
    button(at, "Save").click().run()
    assert not at.exception, at.exception
    with read_session() as s:
        made = s.exec(select(Action).where(Action.title == "Homework club run by volunteers")).one()
    assert made.community_id == community_id("young-migrants")
    assert _opened(at) == str(made.id)


def test_one_possible_community_is_chosen_and_the_export_asks_for_it(run_page) -> None:
    member = _under_all(run_page, "member", act_new_open=True, act_csv_open=True)
    picker = member.selectbox(key="action-new-community")
    assert picker.value == community_id("welcoming-culture") and len(picker.options) == 1
    assert "action-new-title" in [w.key for w in member.text_input]
    export = member.selectbox(key="act_export_community")
    assert export.value == community_id("welcoming-culture")  # a member reads one community
    assert not member.get("file_uploader")  # importing is for facilitators

    at = _under_all(run_page, "facilitator", act_csv_open=True)
    assert at.selectbox(key="act_export_community").value is None
    label = "Download the community's actions (CSV)"
    assert label not in links(at)  # no community chosen yet, no file
    assert at.get("file_uploader")  # the import names its actions, no community needed
    at.selectbox(key="act_export_community").set_value(community_id("young-migrants")).run()
    assert not at.exception, at.exception
    answer = page_download(at, label)  # one click: the link fetches the chosen community's file
    assert answer.status == 200, answer.text
    ids = {int(row["id"]) for row in csv.DictReader(io.StringIO(answer.text.lstrip("\ufeff")))}
    with read_session() as session:
        expected = set(
            session.exec(
                select(Action.id).where(
                    Action.community_id == community_id("young-migrants"),
                    col(Action.deleted_at).is_(None),
                )
            ).all()
        )
    assert ids == expected and ids  # that community's actions, and only them
