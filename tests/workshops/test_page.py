"""The workshops page on the demo workspace: list, calendar, upcoming, detail, the close flow and the forms."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cop.actions.models import Action
from cop.communities.models import Community, Membership, Person
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM
from cop.shell.forms import PAGE_SIZE
from cop.workshops import service as workshops
from cop.workshops.models import Workshop
from tests.page_fixtures import texts, type_markdown


def _workshop(title: str) -> Workshop:
    with read_session() as s:
        return s.exec(select(Workshop).where(Workshop.title == title)).one()


def _community_id(slug: str) -> int:
    with read_session() as s:
        return s.exec(select(Community.id).where(Community.slug == slug)).one()


def _button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def _run(run_page, username: str, title: str) -> tuple[AppTest, Workshop]:  # noqa: ANN001
    workshop = _workshop(title)
    return run_page("workshops", username, {"id": str(workshop.id)}), workshop


def _open_tab(at: AppTest, workshop: Workshop, label: str) -> AppTest:
    """A click on one of the workshop's tabs: the page runs again with it open (only the open
    tab is drawn, cop.shell.lazy_tabs)."""
    from cop.workshops.ui.detail import TAB_KEY

    at.session_state[f"{TAB_KEY}-{workshop.id}"] = label
    return at.run()


def _cells(at: AppTest) -> str:
    """Every cell of the page's tables."""
    return "\n".join(
        str(value) for df in at.dataframe for value in df.value.astype(str).to_numpy().ravel()
    )


@pytest.mark.parametrize(
    ("username", "visible"), [("admin", 26), ("facilitator", 26), ("member", 21), ("observer", 21)]
)
def test_list_shows_the_workshops_each_role_may_read(run_page, username: str, visible: int) -> None:
    at = run_page("workshops", username)
    assert not at.exception, at.exception
    assert f"{visible} workshops and visits" in texts(at)
    assert at.dataframe[0].value.shape[0] == min(visible, PAGE_SIZE)  # the first page


def test_filters_narrow_the_list_in_sql(run_page) -> None:
    at = run_page("workshops", "facilitator")
    assert "ws_kind" not in [
        w.key for w in at.selectbox
    ]  # the filter panel is drawn only when opened
    at.session_state["ws_filters_open"] = True
    at.run()
    at.selectbox(key="ws_kind").set_value("study_visit").run()
    assert "9 workshops and visits" in texts(at)
    at.session_state["ws_filters_open"] = False  # closed again, the chosen filter still applies
    at.run()
    at.run()
    assert "ws_kind" not in [w.key for w in at.selectbox]
    assert "9 workshops and visits" in texts(at)
    assert "Filters, sorting and export (1)" in [
        b.proto.popover.label for b in at.get("popover")
    ]  # the active filter counted
    at.text_input(key="ws_text").input("Bologna").run()
    assert "1 workshops and visits" in texts(at)
    assert list(at.dataframe[0].value.iloc[:, 1]) == ["Study visit to Bologna: neighbourhood pacts"]


def test_the_list_downloads_as_the_filters_show_it_on_one_click(run_page) -> None:
    """Issue 19, item 6: one link per file, no "Export" then "Download" (read back in
    tests/browser/test_downloads_journey.py too)."""
    import csv
    import io

    from icalendar import Calendar

    from tests.download_client import page_download

    at = run_page("workshops", "member")
    at.session_state["ws_filters_open"] = True
    at.run()
    at.selectbox(key="ws_kind").set_value("study_visit").run()
    assert not at.exception, at.exception
    assert "Export the list as CSV" not in [b.label for b in at.button]
    shown = set(at.dataframe[0].value.iloc[:, 1])
    answer = page_download(at, "Download the list (CSV)")
    rows = list(csv.DictReader(io.StringIO(answer.body.decode("utf-8-sig"))))
    assert {r["title"] for r in rows} == shown and {r["kind"] for r in rows} == {"study_visit"}
    assert "Study visit to Düsseldorf: welcome points in the neighbourhood" in shown
    calendar = Calendar.from_ical(page_download(at, "Download for a calendar (.ics)").body)
    assert {str(e["summary"]) for e in calendar.walk("VEVENT")} == shown


def test_calendar_shows_a_month_and_upcoming_lists_what_comes(run_page, demo_db) -> None:
    at = run_page("workshops", "facilitator")
    recruiting = _workshop("Recruiting refugees as volunteers")
    at.session_state["ws_view"] = "calendar"
    at.session_state["ws_cal_day"] = recruiting.starts_at.date()
    at.run()
    assert not at.exception, at.exception
    assert "Recruiting refugees as volunteers" in texts(at)
    at.session_state["ws_view"] = "upcoming"
    at.run()
    assert "Volunteers in district offices" in texts(at)
    assert "Recruiting refugees as volunteers" not in texts(at)


def test_detail_shows_agenda_attendance_outcomes_and_history_read_only_for_an_observer(
    run_page, demo_db
) -> None:
    at, workshop = _run(
        run_page, "observer", "Study visit to Düsseldorf: welcome points in the neighbourhood"
    )
    assert not at.exception, at.exception
    shown, buttons = [], []
    for tab in ("Agenda", "Attendance", "Outcomes", "Attachments"):
        _open_tab(at, workshop, tab)
        assert not at.exception, at.exception
        shown.append(texts(at) + "\n".join(t.value for t in at.text) + _cells(at))
        buttons += [b.label for b in at.button]
    for expected in (
        "Visit to two welcome points",
        "Gülay Aydın",
        "Stadtteilverein Oberbilk",
        "one person in the district office is their contact",
        "This workshop is closed",
    ):
        assert expected in "\n".join(shown)
    assert not [b for b in buttons if b in ("Mark as held", "Reopen", "Add outcome", "Remove")]
    _open_tab(at, workshop, "History")
    assert any(df.value.shape[0] >= 4 for df in at.dataframe)  # history


def test_only_the_open_tab_is_drawn_and_a_tab_with_a_form_stays_drawn_once_opened(
    run_page, demo_db
) -> None:
    """Issue 24: opening a workshop drew all five tabs (111 messages for the admin). Now the
    Agenda tab is drawn alone; a tab whose form the person may fill stays drawn after they
    move on (typing not yet sent lives in the browser), the History does not, and the next
    visit starts again from the Agenda alone. A closed "Close the workshop" panel draws none
    of its two Markdown editors."""
    at, workshop = _run(run_page, "facilitator", HELD)
    assert not at.exception, at.exception
    labels = lambda: [b.label for b in at.button]  # noqa: E731
    assert [t.label for t in at.tabs] == [
        "Agenda",
        "Attendance",
        "Outcomes",
        "Attachments",
        "History",
    ]
    assert "Add to the agenda" in labels() and "Add guest" not in labels()
    assert not at.dataframe and not at.text_area and "Close" not in labels()
    _open_tab(at, workshop, "Attendance")
    assert "Add guest" in labels()
    _open_tab(at, workshop, "History")
    assert [df for df in at.dataframe if "When" in df.value.columns]
    _open_tab(at, workshop, "Agenda")
    assert "Add to the agenda" in labels() and "Add guest" in labels()  # attendance stayed
    assert not [df for df in at.dataframe if "When" in df.value.columns]  # history did not
    _button(at, "Back to the list").click().run()
    at.query_params["id"] = str(workshop.id)  # the same workshop again
    at.run()
    assert not at.exception, at.exception
    assert "Add to the agenda" in labels() and "Add guest" not in labels()


def test_attendance_names_the_group_without_an_organisation_in_the_readers_language(
    run_page, demo_db
) -> None:
    """It said "(no organisation)" on the German page: the service wrote the English words."""
    from cop.communities import people
    from cop.communities import service as communities
    from cop.workshops import attendance
    from tests.shell.test_german import choose_language

    title = "Staff exchange with Zagreb's volunteer centre"  # held, not closed
    workshop = _workshop(title)
    with write_session() as session:
        eva = people.create_person(session, SYSTEM, name="Eva Horvat")  # in no organisation
        assert eva.id is not None
        communities.add_member(session, SYSTEM, workshop.community_id, eva.id, "member")
        attendance.add_attendee(session, SYSTEM, workshop.id, person_id=eva.id, attended=True)
    choose_language("observer", "de")
    at, workshop = _run(run_page, "observer", title)
    assert not at.exception, at.exception
    _open_tab(at, workshop, "Teilnahme")
    organisations = next(df.value for df in at.dataframe if "Organisation" in df.value.columns)[
        "Organisation"
    ].tolist()
    assert "(keine Organisation)" in organisations and "(no organisation)" not in organisations


def test_attendance_and_attachments_download_on_one_click(run_page, demo_db) -> None:
    """Issue 19, item 6: no "Export attendance" or "Get" before the download."""
    import csv
    import io

    from cop.communities import people
    from cop.communities import service as communities
    from cop.workshops import attachments, attendance
    from tests.download_client import links, page_download

    title = "Staff exchange with Zagreb's volunteer centre"  # held, not closed
    workshop = _workshop(title)
    with write_session() as session:
        eva = people.create_person(session, SYSTEM, name="Eva Horvát")
        assert eva.id is not None
        communities.add_member(session, SYSTEM, workshop.community_id, eva.id, "member")
        attendance.add_attendee(session, SYSTEM, workshop.id, person_id=eva.id, attended=True)
        attachments.add_attachment(
            session,
            SYSTEM,
            workshop.id,
            filename="Notizen Düsseldorf.csv",
            content=b"Punkt;Ort\nWillkommen;Oberbilk\n",
        )
    at, _ = _run(run_page, "facilitator", title)
    assert not at.exception, at.exception
    _open_tab(at, workshop, "Attendance")
    assert not [b for b in at.button if b.label in ("Export attendance (CSV)", "Get")]
    answer = page_download(at, "Download attendance (CSV)")
    rows = list(csv.reader(io.StringIO(answer.body.decode("utf-8-sig"))))
    assert any("Eva Horvát" in row for row in rows), rows
    with read_session() as session:  # the export of people's names is in the audit log
        from cop.core.audit import AuditEvent

        assert session.exec(
            select(AuditEvent).where(AuditEvent.action == "attendance.export")
        ).first()
    _open_tab(at, workshop, "Attachments")
    attached = page_download(at, "Download")
    assert attached.body == b"Punkt;Ort\nWillkommen;Oberbilk\n"
    disposition = attached.headers["content-disposition"]
    assert disposition.endswith("filename*=UTF-8''notizen-dusseldorf.csv"), disposition
    observer, _ = _run(run_page, "observer", title)  # reads the attachment, not the attendance
    _open_tab(observer, workshop, "Attendance")
    assert "Download attendance (CSV)" not in links(observer)
    _open_tab(observer, workshop, "Attachments")
    assert "Download" in links(observer)


def test_private_workshop_does_not_exist_for_a_non_member(run_page, demo_db) -> None:
    at, _ = _run(run_page, "observer", "Study visit to Helsinki: youth work with young migrants")
    assert not at.exception
    assert "There is no workshop" in texts(at)
    assert "youth work" not in " ".join(t.value for t in at.title)


def test_member_closes_a_held_workshop_which_stays_read_only_until_a_facilitator_reopens_it(
    run_page, demo_db
) -> None:
    at, workshop = _run(run_page, "member", "Staff exchange with Zagreb's volunteer centre")
    key = f"workshop-close-{workshop.id}"
    assert "Close" not in [b.label for b in at.button]  # drawn once "Close the workshop" opens
    at.session_state[f"ws_close_open-{workshop.id}"] = True
    at.run()
    _button(at, "Close").click().run()
    assert "Closing needs minutes or a closing report." in texts(at)
    assert _workshop(workshop.title).status == "held"
    type_markdown(at, f"{key}-minutes", "## Minutes\nThree days in Zagreb.")
    _button(at, "Close").click().run()
    assert not at.exception, at.exception
    closed = _workshop(workshop.title)
    assert (closed.status, closed.minutes) == ("closed", "## Minutes\nThree days in Zagreb.")
    at.run()
    assert "This workshop is closed" in texts(at)
    assert not [b for b in at.button if b.label in ("Reopen", "Add outcome", "Add guest", "Close")]

    at, _ = _run(run_page, "facilitator", workshop.title)
    _button(at, "Reopen").click().run()
    assert _workshop(workshop.title).status == "held"


def test_an_action_outcome_becomes_an_action_from_the_detail_page(run_page, demo_db) -> None:
    from cop.workshops.models import Outcome

    at, workshop = _run(run_page, "facilitator", "Buddy programmes for newcomers")
    owner_id = workshop.facilitator_ids[0]
    _open_tab(at, workshop, "Outcomes")
    assert not [s for s in at.selectbox if s.label == "Owner"]  # drawn once the popover opens
    outcome = next(o for o in _live(Outcome, workshop.id) if o.kind == "action")
    at.session_state[f"action-from-{outcome.id}-open"] = True
    at.run()
    next(s for s in at.selectbox if s.label == "Owner").set_value(owner_id)
    _button(at, "Create action").click().run()
    assert not at.exception, at.exception
    with read_session() as s:
        action = s.exec(select(Action).where(Action.workshop_id == workshop.id)).one()
    assert action.owner_person_id == owner_id
    assert action.title.startswith("Zagreb pilots a buddy programme")
    at.run()
    assert "Action: Zagreb pilots a buddy programme" in texts(at)


def test_recording_a_workshop_shows_field_messages_then_opens_it(run_page, demo_db) -> None:
    at = run_page("workshops", "member")
    at.session_state["cop_community_id"] = _community_id("welcoming-culture")
    at.run()
    assert "workshop-new-title" not in [
        w.key for w in at.text_input
    ]  # the form is drawn only when opened
    at.session_state["ws_new_open"] = True
    at.run()
    at.text_input(key="workshop-new-title").input("Online café for new volunteers")
    at.selectbox(key="workshop-new-format").set_value("online")
    _button(at, "Save").click().run()
    assert "An online or hybrid workshop needs a meeting link." in texts(at)
    assert "The start is required." in texts(at)
    assert at.text_input(key="workshop-new-title").value == "Online café for new volunteers"
    at.session_state["ws_new_open"] = False  # closed and opened again: the input is still there
    at.run()
    at.run()
    at.session_state["ws_new_open"] = True
    at.run()
    assert at.text_input(key="workshop-new-title").value == "Online café for new volunteers"
    assert at.selectbox(key="workshop-new-format").value == "online"
    at.text_input(key="workshop-new-meeting_link").input("https://meet.example.org/cafe")
    at.date_input(key="workshop-new-start_day").set_value(date(2030, 5, 4))
    at.date_input(key="workshop-new-end_day").set_value(date(2030, 5, 4))
    _button(at, "Save").click().run()
    assert not at.exception, at.exception
    made = _workshop("Online café for new volunteers")
    assert at.query_params["id"] in (str(made.id), [str(made.id)])
    assert (made.meeting_link, made.community_id) == (
        "https://meet.example.org/cafe",
        _community_id("welcoming-culture"),
    )
    assert (
        made.starts_at.isoformat() == "2030-05-04T08:00:00+00:00"
    )  # 10:00 in the member's Brussels summer time


def test_a_stale_edit_is_refused_showing_the_other_change_and_keeping_the_input(
    run_page, demo_db
) -> None:
    at, workshop = _run(run_page, "member", "Study visit to Lisbon: one-stop welcome centres")
    key = f"workshop-{workshop.id}"
    at.session_state[f"ws_edit_open-{workshop.id}"] = True  # the person opens "Edit"
    at = at.run()
    with write_session() as s:
        workshops.update_workshop(
            s, SYSTEM, workshop.id, workshop.version, place="Câmara Municipal de Lisboa"
        )
    at.text_area(key=f"{key}-objectives").input("Our own objectives")
    _button(at, "Save").click().run()
    assert not at.exception, at.exception
    assert any("Someone else saved this" in w.value for w in at.warning)
    assert at.text_area(key=f"{key}-objectives").value == "Our own objectives"
    stored = _workshop(workshop.title)
    assert (stored.place, stored.objectives) == ("Câmara Municipal de Lisboa", workshop.objectives)


def test_a_search_that_matches_nothing_says_so_instead_of_an_empty_grid(run_page) -> None:
    at = run_page("workshops", "facilitator")
    at.session_state["ws_text"] = "no workshop is called this"
    at = at.run()
    assert not at.exception, at.exception
    assert not at.dataframe
    assert (
        "No workshop or visit matches these filters: change the search or clear the filters."
        in texts(at)
    )


HELD = "Staff exchange with Zagreb's volunteer centre"


def _live(model: Any, workshop_id: int) -> list[Any]:
    with read_session() as s:
        return list(
            s.exec(
                select(model)
                .where(model.workshop_id == workshop_id, model.deleted_at.is_(None))
                .order_by(model.id)
            )
        )


def _first_agenda_item(workshop: Workshop) -> Any:
    from cop.workshops.models import AgendaItem

    with write_session() as s:
        from cop.accounts import service as accounts
        from cop.workshops import agenda

        actor = accounts.load_actor(s, username="facilitator")
        for title in ("Welcome", "Tour of the centre"):
            agenda.add_agenda_item(s, actor, workshop.id, title=title)
    return _live(AgendaItem, workshop.id)


@pytest.mark.parametrize(
    ("section", "key_prefix"),
    [("agenda", "agenda-remove"), ("attendance", "attend-remove"), ("outcome", "outcome-remove")],
)
def test_removing_asks_first_and_cancel_keeps_the_record(
    run_page, demo_db, section: str, key_prefix: str
) -> None:
    """Issue 17: attendance, agenda items and outcomes went on one click."""
    from cop.workshops import outcomes
    from cop.workshops.models import AgendaItem, Attendance, Outcome

    workshop = _workshop(HELD)
    model = {"agenda": AgendaItem, "attendance": Attendance, "outcome": Outcome}[section]
    if section == "agenda":
        _first_agenda_item(workshop)
    if section == "outcome" and not _live(Outcome, workshop.id):
        with write_session() as s:
            outcomes.add_outcome(s, SYSTEM, workshop.id, kind="insight", text="Mentors help.")
    before = _live(model, workshop.id)
    assert before, f"the demo workshop has no {section}"
    target = before[0]
    at, _ = _run(run_page, "facilitator", HELD)
    tab = {"agenda": "Agenda", "attendance": "Attendance", "outcome": "Outcomes"}[section]
    _open_tab(at, workshop, tab)
    key = f"{key_prefix}-{target.id}"
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    assert len(_live(model, workshop.id)) == len(before)  # nothing gone yet: a question
    assert any("Remove" in w.value for w in at.warning), [w.value for w in at.warning]
    at.button(key=f"{key}-no").click().run()
    assert len(_live(model, workshop.id)) == len(before)
    assert not [w for w in at.warning if "Remove" in w.value]
    at.button(key=key).click().run()
    at.button(key=f"{key}-yes").click().run()
    assert not at.exception, at.exception
    assert [r.id for r in _live(model, workshop.id)] == [r.id for r in before[1:]]


def test_agenda_items_move_up_and_down_from_the_page(run_page, demo_db) -> None:
    workshop = _workshop(HELD)
    items = _first_agenda_item(workshop)
    at, _ = _run(run_page, "facilitator", HELD)
    up = at.button(key=f"agenda-up-{items[-1].id}")
    assert up.label == "Move up" and up.help
    up.click().run()
    assert not at.exception, at.exception
    with read_session() as s:
        from cop.workshops import agenda

        titles = [i.title for i in agenda.agenda(s, workshop.id)]
    assert titles[-2:] == [items[-1].title, items[-2].title]
    assert at.button(key=f"agenda-down-{items[-1].id}").label == "Move down"


def test_a_visit_lists_and_links_the_practices_seen_there(run_page, demo_db) -> None:
    from cop.practices.models import Practice, PracticeWorkshop

    with read_session() as s:
        seen = s.exec(
            select(Practice, Workshop)
            .join(PracticeWorkshop, PracticeWorkshop.practice_id == Practice.id)
            .join(Workshop, Workshop.id == PracticeWorkshop.workshop_id)
            .where(Practice.deleted_at.is_(None), Workshop.deleted_at.is_(None))
        ).first()
    assert seen is not None, "the demo links no practice to a workshop"
    practice, workshop = seen
    at, _ = _run(run_page, "facilitator", workshop.title)
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Practices seen here" in shown
    assert f'href="./practices?id={practice.id}"' in shown
    assert practice.title.replace("&", "&amp;").replace("'", "&#x27;") in shown


def test_agenda_and_outcome_forms_keep_input_after_a_refusal_and_empty_after_a_save(
    run_page, demo_db
) -> None:
    """A refused item kept nothing (clear_on_submit); a saved one empties the form."""
    at, workshop = _run(run_page, "facilitator", HELD)
    presenter = next(t for t in at.text_input if t.label == "Presenter")
    presenter.input("Ana from the volunteer centre")
    _button(at, "Add to the agenda").click().run()
    assert "The title must not be empty." in texts(at)
    assert next(t for t in at.text_input if t.label == "Presenter").value == (
        "Ana from the volunteer centre"
    )
    next(t for t in at.text_input if t.label == "Agenda item").input("Welcome")
    _button(at, "Add to the agenda").click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.text_input if t.label in ("Agenda item", "Presenter")] == ["", ""]

    _open_tab(at, workshop, "Outcomes")
    outcome = next(t for t in at.text_area if t.label == "Outcome (Markdown)")
    outcome.input("x" * 100_001)
    _button(at, "Add outcome").click().run()
    assert "Nothing was saved" in texts(at)
    assert next(t for t in at.text_area if t.label == "Outcome (Markdown)").value == "x" * 100_001


def test_history_tab_names_the_facilitators_and_the_workshop(run_page) -> None:
    with read_session() as s:
        planned = s.exec(
            select(Workshop).where(Workshop.status == "planned").order_by(Workshop.id)  # type: ignore[arg-type]
        ).first()
        assert planned is not None
        person = s.exec(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)  # type: ignore[arg-type]
            .where(Membership.community_id == planned.community_id)
        ).first()
    assert person is not None
    with write_session() as s:
        workshops.update_workshop(
            s, SYSTEM, planned.id, planned.version, facilitator_ids=[person.id]
        )
    at = run_page("workshops", "facilitator", {"id": str(planned.id)})
    assert not at.exception, at.exception
    _open_tab(at, planned, "History")
    history = next(df.value for df in at.dataframe if "When" in df.value.columns)
    what, changes = " ".join(history["What"]), " ".join(history["Changes"])
    assert f"updated the workshop “{planned.title}”" in what, what
    assert f"created the workshop “{planned.title}”" in what, what
    assert "Facilitators:" in changes and person.name in changes, changes
    for raw in ("workshop.update", "workshop.create", "facilitator_ids", "[", "version"):
        assert raw not in what + changes, raw


def test_the_edit_form_is_drawn_only_once_opened_and_then_holds_the_stored_values(
    run_page,
) -> None:
    """A closed "Edit" costs the page nothing (issue 24: it was most of a workshop's run)."""
    at, workshop = _run(run_page, "facilitator", "Study visit to Lisbon: one-stop welcome centres")
    key = f"workshop-{workshop.id}"
    assert not at.exception, at.exception
    assert not [t for t in at.text_input if t.key == f"{key}-title"]
    at.session_state[f"ws_edit_open-{workshop.id}"] = True
    at = at.run()
    assert not at.exception, at.exception
    assert at.text_input(key=f"{key}-title").value == workshop.title
    assert at.text_area(key=f"{key}-objectives").value == workshop.objectives
    # Closed again, the form stays drawn: what was typed lives in the browser until "Save".
    at.session_state[f"ws_edit_open-{workshop.id}"] = False
    at = at.run()
    assert at.text_input(key=f"{key}-title").value == workshop.title


def test_the_record_form_stays_drawn_once_opened_so_typing_survives_closing_it(run_page) -> None:
    at = run_page("workshops", "facilitator")
    at.session_state["cop_community_id"] = _community_id("welcoming-culture")  # no community asked
    at = at.run()
    assert not [t for t in at.text_input if t.key == "workshop-new-title"]
    at.session_state["ws_new_open"] = True
    at = at.run()
    at.session_state["ws_new_open"] = False
    at = at.run()
    assert not at.exception, at.exception
    # Still drawn, so the browser keeps what was typed in it until "Save" sends it.
    assert [t for t in at.text_input if t.key == "workshop-new-title"]
