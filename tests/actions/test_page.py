"""The actions page on the demo workspace: table, city plan and detail (the board: test_board_page.py; the timeline: test_timeline_page.py)."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable
from typing import Any

from pypdf import PdfReader
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cop.accounts.models import Notification, User
from cop.actions.models import Action, ActionIndicator, ActionUpdate
from cop.communities.models import Community, Membership, Organisation, Person
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM
from cop.shell.forms import PAGE_SIZE
from tests.download_client import page_download
from tests.factories import zagreb_split_after_65_posted
from tests.page_fixtures import (
    as_shown,
    markdown_editor_element,
    markdown_shown,
    texts,
    type_markdown,
)

DEMO_ACTIONS = 30  # twenty-five from the actions section, five from workshop outcomes
PRIVATE_ACTIONS = 5  # young-migrants is private: the observer is not a member


def action(title: str) -> Action:
    with read_session() as session:
        return session.exec(select(Action).where(Action.title == title)).one()


def community_id(slug: str) -> int:
    with read_session() as session:
        return session.exec(select(Community.id).where(Community.slug == slug)).one()  # type: ignore[return-value]


def view(run_page: Callable[..., AppTest], username: str, tab: str, **state: Any) -> AppTest:
    at = run_page("actions", username)
    at.session_state["actions_view"] = tab
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def open_tab(at: AppTest, action_id: int | None, label: str) -> AppTest:
    """A click on one of the action's tabs: the page runs again with it open (only the open
    tab is drawn, cop.shell.lazy_tabs)."""
    from cop.actions.ui.detail import TAB_KEY

    at.session_state[f"{TAB_KEY}-{action_id}"] = label
    return at.run()


def button(at: AppTest, label: str, key: str | None = None) -> Any:
    return next(b for b in at.button if b.label == label and (key is None or b.key == key))


def test_table_lists_what_each_role_may_read_with_the_latest_update(run_page) -> None:
    at = run_page("actions", "facilitator")
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert f"{DEMO_ACTIONS} actions" in texts(at) and table.shape[0] == min(DEMO_ACTIONS, PAGE_SIZE)
    lisbon = table[table["Title"] == "Lisbon one-stop welcome centre with volunteer hosts"].iloc[0]
    assert (lisbon["Status"], lisbon["Progress"]) == ("Done", 100)
    assert lisbon["Latest update"].endswith("Opened on time; hosts cover every weekday.")
    observer = run_page("actions", "observer")
    assert observer.dataframe[0].value.shape[0] == DEMO_ACTIONS - PRIVATE_ACTIONS
    assert "Riga summer camp with young volunteers" not in set(observer.dataframe[0].value["Title"])


def test_filters_narrow_the_table(run_page) -> None:
    at = view(run_page, "facilitator", "Table")
    assert "act_status" not in [
        w.key for w in at.multiselect
    ]  # the panel is drawn only when opened
    at = view(run_page, "facilitator", "Table", act_filters_open=True)
    at.multiselect(key="act_status").set_value(["done"]).run()
    assert set(at.dataframe[0].value["Title"]) == {
        "Lisbon one-stop welcome centre with volunteer hosts",
        "Bologna neighbourhood pact for volunteer groups",
        "Welcome Points handbook for partner cities",
    }
    at.multiselect(key="act_status").set_value([]).run()
    at.toggle(key="act_overdue").set_value(True).run()
    overdue = set(at.dataframe[0].value["Title"])
    assert {
        "Barcelona recruitment campaign with refugee volunteers",
        "Describe the welcome points for the toolkit",
    } <= overdue
    assert "Lisbon one-stop welcome centre with volunteer hosts" not in overdue
    at.text_input(key="act_text").input("welcome points").run()
    assert set(at.dataframe[0].value["Title"]) == {"Describe the welcome points for the toolkit"}
    at.session_state["act_filters_open"] = False  # closed, the overdue filter still applies
    at.run()
    at.text_input(key="act_text").input("").run()
    assert "act_overdue" not in [w.key for w in at.toggle]
    assert set(at.dataframe[0].value["Title"]) == overdue


def test_city_plan_lists_the_organisations_actions_printably(run_page) -> None:
    with read_session() as session:
        dusseldorf = session.exec(
            select(Organisation.id).where(Organisation.name == "Düsseldorf")
        ).one()
    at = view(run_page, "member", "City plan", act_plan_org=dusseldorf)
    assert not at.exception, at.exception
    assert "Action plan: Düsseldorf" in texts(at)
    plan = at.table[0].value
    assert "Welcome points in two more Düsseldorf districts" in set(plan.iloc[:, 0])
    assert any("@media print" in m.value for m in at.markdown)
    assert "Prepare the PDF" not in [b.label for b in at.button]  # one click, no second step
    answer = page_download(at, "Download PDF")
    assert answer.status == 200 and answer.body.startswith(b"%PDF"), answer.body[:200]
    disposition = answer.headers["content-disposition"]
    assert disposition.endswith("filename*=UTF-8''action-plan-dusseldorf.pdf"), disposition
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.body)).pages)
    text = " ".join(text.replace("\x00", "").split())  # pypdf reads some glyphs as UTF-16
    assert "Action plan: Düsseldorf" in text and "Welcome points in two more" in text, text[:600]


def test_city_plan_and_its_pdf_speak_the_readers_language(run_page) -> None:
    """The German city plan said "1 actions: 1 idea; 0 overdue." and "2027-06-24" (make screens)."""
    from cop.core.i18n import translator
    from tests.page_fixtures import as_shown
    from tests.shell.test_german import choose_language

    choose_language("member", "de")
    with read_session() as session:
        dusseldorf = session.exec(
            select(Organisation.id).where(Organisation.name == "Düsseldorf")
        ).one()
    at = view(run_page, "member", translator("de")("City plan"), act_plan_org=dusseldorf)
    assert not at.exception, at.exception
    summary = as_shown(at.caption[0].value)
    assert re.fullmatch(r"\d+ Aktionen: .*; \d+ überfällig\..*", summary), summary
    assert "overdue" not in summary and "done on average" not in summary
    plan = at.table[0].value
    assert list(plan.columns)[:4] == ["Aktion", "Community", "Verantwortlich", "Status"]
    assert set(plan["Status"]) <= {"Idee", "Geplant", "In Arbeit", "Erledigt", "Verworfen"}
    for due in plan["Fällig"]:
        assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}( \(überfällig\))?", as_shown(due)), due
    # The page's link fetches the PDF, printed in the reader's language.
    answer = page_download(at, "PDF herunterladen")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.body)).pages)
    text = text.replace("\x00", "")  # pypdf reads some of the fonts' glyphs as UTF-16
    assert "Aktionsplan: Düsseldorf" in text and "Stand:" in text and "Aktionen:" in text
    assert "overdue" not in text and "Latest update" not in text


def test_detail_posts_an_update_that_moves_the_status(run_page) -> None:
    zagreb = action("Zagreb buddy programme in two districts")
    at = run_page("actions", "facilitator", {"id": str(zagreb.id)})
    assert not at.exception, at.exception
    assert "Overdue: it was due on" in texts(at)
    type_markdown(at, update_editor(zagreb), "Districts agreed at last 🎉")
    next(s for s in at.selectbox if s.label == "New status").set_value("in_progress")
    button(at, "Post update").click().run()
    assert not at.exception, at.exception
    moved = action(zagreb.title)
    assert (moved.status, moved.progress) == ("in_progress", 50)
    # The run the click caused shows the update and the new status, and an empty form.
    assert "Districts agreed at last 🎉" in texts(at) and "In progress" in texts(at)
    assert markdown_shown(at, update_editor(zagreb, 1)) == ""
    with read_session() as session:
        latest = session.exec(
            select(ActionUpdate)
            .where(ActionUpdate.action_id == zagreb.id)
            .order_by(ActionUpdate.id.desc())
        ).first()  # type: ignore[union-attr]
    assert latest.text == "Districts agreed at last 🎉" and latest.new_status == "in_progress"


def update_editor(a: Action, posted: int = 0) -> str:
    """The key of the action's "Update (Markdown)" editor (after ``posted`` updates posted)."""
    return f"action-update-{a.id}-{posted}-text"


def test_the_update_editor_offers_the_communitys_members_and_a_mention_notifies_one(
    run_page,
) -> None:
    zagreb = action("Zagreb buddy programme in two districts")
    with read_session() as session:
        members = session.exec(
            select(Person.name)
            .join(Membership, Membership.person_id == Person.id)  # type: ignore[arg-type]
            .where(Membership.community_id == zagreb.community_id)
            .where(Membership.deleted_at.is_(None))  # type: ignore[union-attr]
            .order_by(Person.name)
        ).all()
        mentioned, user_id = session.exec(
            select(Person.name, User.id)
            .join(User, User.person_id == Person.id)  # type: ignore[arg-type]
            .join(Membership, Membership.person_id == Person.id)  # type: ignore[arg-type]
            .where(Membership.community_id == zagreb.community_id)
            .where(Membership.deleted_at.is_(None))  # type: ignore[union-attr]
            .where(User.username != "facilitator")
            .order_by(User.id)
        ).first()  # type: ignore[misc]
    at = run_page("actions", "facilitator", {"id": str(zagreb.id)})
    shown = json.loads(markdown_editor_element(at, update_editor(zagreb)).proto.json)
    assert shown["label"] == "Update (Markdown)"
    others = [name for name in members if name != _facilitator_name()]  # not the writer
    assert shown["mentions"] == list(dict.fromkeys(others)) and mentioned in shown["mentions"]
    assert shown["placeholder"] == "What happened since the last update?"
    type_markdown(at, update_editor(zagreb), f"Walked the route with @{mentioned} today")
    button(at, "Post update").click().run()
    assert not at.exception, at.exception
    with read_session() as session:
        inbox = session.exec(
            select(Notification.kind, Notification.message).where(Notification.user_id == user_id)
        ).all()
    assert (
        "mention",
        f"{_facilitator_name()} mentioned you in an update of “{zagreb.title}”.",
    ) in [tuple(row) for row in inbox]


def _facilitator_name() -> str:
    with read_session() as session:
        return session.exec(
            select(Person.name)
            .join(User, User.person_id == Person.id)  # type: ignore[arg-type]
            .where(User.username == "facilitator")
        ).one()


def test_an_empty_update_is_refused_under_its_field(run_page) -> None:
    zagreb = action("Zagreb buddy programme in two districts")
    at = run_page("actions", "facilitator", {"id": str(zagreb.id)})
    button(at, "Post update").click().run()
    assert "The update must not be empty." in texts(at)
    assert action(zagreb.title).version == zagreb.version


def test_detail_is_read_only_for_an_observer_and_private_actions_do_not_exist_for_outsiders(
    run_page,
) -> None:
    lisbon = action("Lisbon one-stop welcome centre with volunteer hosts")
    at = run_page("actions", "observer", {"id": str(lisbon.id)})
    assert not at.exception, at.exception
    assert "Opened on time; hosts cover every weekday." in texts(at)
    assert not [
        b
        for b in at.button
        if b.label in ("Post update", "Add milestone", "Save", "Delete this action")
    ]
    hidden = action("Riga summer camp with young volunteers")
    at = run_page("actions", "observer", {"id": str(hidden.id)})
    assert "There is no action" in texts(at) and "Riga" not in " ".join(t.value for t in at.title)


def test_detail_shows_milestones_sub_actions_and_the_origin_workshop(run_page) -> None:
    parent = action("Welcome points in two more Düsseldorf districts")
    at = run_page("actions", "member", {"id": str(parent.id)})
    assert not at.exception, at.exception
    shown = texts(at)
    assert "From the workshop: Study visit to Düsseldorf" in shown
    assert "The progress is the mean of its open and done sub-actions" in shown
    open_tab(at, parent.id, "Milestones")
    ticks = {c.label.split(" (")[0]: c.value for c in at.checkbox}
    assert ticks == {
        "Agree rooms with the district libraries": True,
        "Recruit eight volunteers": True,
        "Train the volunteers": False,
        "Open both welcome points": False,
    }
    open_tab(at, parent.id, "Sub-actions")
    sub_actions = next(df.value for df in at.dataframe if "Title" in df.value.columns)
    assert list(sub_actions["Title"]) == ["Training day for volunteers at welcome points"]
    open_tab(at, parent.id, "Indicators")
    indicators = next(df.value for df in at.dataframe if "Indicator" in df.value.columns)
    assert list(indicators["Indicator"]) == ["Volunteers active", "Newcomers helped per month"]


def test_only_the_open_tab_is_drawn_and_a_tab_with_a_form_stays_drawn_once_opened(
    run_page,
) -> None:
    """Issue 24: opening an action drew all five tabs (114 messages for the admin). Now the
    Updates tab is drawn alone; a tab whose form the person may fill stays drawn after they
    move on (typing not yet sent lives in the browser), one without a form does not, and
    the next visit starts again from the Updates tab alone."""
    parent = action("Welcome points in two more Düsseldorf districts")
    at = run_page("actions", "facilitator", {"id": str(parent.id)})
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == [
        "Updates",
        "Milestones",
        "Indicators",
        "Sub-actions",
        "History",
    ]
    assert "Post update" in [b.label for b in at.button]
    assert not at.checkbox and not at.dataframe  # milestones, indicators, sub-actions, history
    open_tab(at, parent.id, "Milestones")
    assert at.checkbox and "Add milestone" in [b.label for b in at.button]
    open_tab(at, parent.id, "History")
    assert next(df.value for df in at.dataframe if "When" in df.value.columns).shape[0] > 0
    open_tab(at, parent.id, "Updates")
    shown = [b.label for b in at.button]
    assert "Post update" in shown and "Add milestone" in shown  # the milestone form stayed
    assert not [df for df in at.dataframe if "When" in df.value.columns]  # history did not
    button(at, "Back to the list").click().run()
    assert not at.tabs or "Updates" not in [t.label for t in at.tabs]
    at.query_params["id"] = str(parent.id)  # the same action again
    at.run()
    assert not at.exception, at.exception
    assert "Add milestone" not in [b.label for b in at.button]


def test_a_member_creates_an_action_in_the_chosen_community(run_page) -> None:
    at = run_page("actions", "member")
    at.session_state["cop_community_id"] = community_id("welcoming-culture")
    at.session_state["act_new_open"] = True
    at.run()
    with read_session() as session:
        lena = session.exec(
            select(Action.owner_person_id).where(
                Action.title == "Describe the welcome points for the toolkit"
            )
        ).one()
    at.text_input(key="action-new-title").input("Recruit volunteer hosts for the café")
    at.selectbox(key="action-new-owner_person_id").set_value(lena)
    at.date_input(key="action-new-due_date").set_value("2027-03-01")
    at.text_input(key="action-new-tags").input("Language, Volunteers")
    button(at, "Save").click().run()
    assert not at.exception, at.exception
    created = action("Recruit volunteer hosts for the café")
    assert (created.owner_person_id, created.tags, created.status) == (
        lena,
        ["Language", "Volunteers"],
        "planned",
    )
    assert at.query_params["id"] == [str(created.id)] or at.query_params["id"] == str(created.id)


def test_a_filter_that_matches_nothing_says_so_instead_of_an_empty_grid(run_page) -> None:
    at = view(run_page, "facilitator", "Table", act_text="no action is called this")
    assert not at.exception, at.exception
    assert not at.dataframe  # no grid labelled "empty"
    assert "No action matches these filters: change the search or clear the filters." in texts(at)


def test_the_latest_update_shows_as_plain_text_in_the_table_and_on_the_board(run_page) -> None:
    from cop.actions import updates as action_updates

    zagreb = action("Zagreb buddy programme in two districts")
    with write_session() as session:
        action_updates.post_update(
            session,
            SYSTEM,
            zagreb.id,
            text="## Minutes\n\n| District | Buddies |\n|---|---|\n| Trešnjevka | **8** |",
        )
    at = view(run_page, "facilitator", "Table")
    table = at.dataframe[0].value
    latest = table[table["Title"] == zagreb.title].iloc[0]["Latest update"]
    assert latest.endswith("Minutes District Buddies Trešnjevka 8"), latest
    from tests.actions.test_board_page import cards

    card = cards(view(run_page, "facilitator", "Board"))[zagreb.title]["latest"]
    assert card.endswith("Minutes District Buddies Trešnjevka 8"), card


def test_a_parent_says_its_progress_comes_from_its_sub_actions_on_every_view(run_page) -> None:
    """Issue 17 item 14: 65 % posted, then three sub-actions at 10 %: the page says 10 % comes
    from them, and the 65 % is shown as what was posted, not as the progress."""
    zagreb = zagreb_split_after_65_posted()
    assert action(zagreb.title).progress == 10
    at = run_page("actions", "facilitator", {"id": str(zagreb.id)})
    assert not at.exception, at.exception
    shown = texts(at)
    assert ("Progress (from 3 sub-actions)", "10 %") in [(m.label, m.value) for m in at.metric]
    assert "Last posted: 65 % on" in shown
    assert "posted 65 %" in shown  # the update's own percentage, labelled as posted
    progress_input = next(n for n in at.number_input if n.label == "New progress (%)")
    assert progress_input.disabled
    table = view(run_page, "facilitator", "Table").dataframe[0].value
    row = table[table["Title"] == zagreb.title].iloc[0]
    assert (row["Progress"], row["Progress from"]) == (10, "3 sub-actions")
    from tests.actions.test_board_page import cards

    card = cards(view(run_page, "facilitator", "Board"))[zagreb.title]
    assert card["progress_text"] == "10 % (from 3 sub-actions)"


def test_history_tab_tells_what_happened_in_sentences(run_page) -> None:
    with read_session() as session:
        event = next(
            e
            for e in session.exec(
                select(AuditEvent).where(AuditEvent.action == "action.post_update")
            )
            if "progress" in e.changes
        )
        moved = session.get(Action, event.record_id)
        assert moved is not None
    old, new = event.changes["progress"]
    at = run_page("actions", "facilitator", {"id": str(moved.id)})
    assert not at.exception, at.exception
    open_tab(at, moved.id, "History")
    history = next(df.value for df in at.dataframe if "When" in df.value.columns)
    what = " ".join(history["What"])
    changes = " ".join(history["Changes"])
    assert f"the action “{moved.title}”" in what
    assert f"Progress (%): {old} → {new}" in changes, changes
    for raw in ("action.post_update", "action_update", "action.create", "progress_mode", "version"):
        assert raw not in what + changes


def test_an_updates_author_and_an_indicators_name_written_as_markdown_stay_text(run_page) -> None:
    """Issue 18, finding 1: an update's caption printed its author's name as Markdown (a live
    link) and an indicator's name became Markdown in its "Current value of" field label."""
    trap = " [Reset your password](http://127.0.0.1:9/reset)"
    welcome = action("Welcome points in two more Düsseldorf districts")
    with write_session() as session:
        for person in session.exec(select(Person).where(Person.name == "Lena Schäfer")):
            person.name += trap
            session.add(person)
        for indicator in session.exec(
            select(ActionIndicator).where(ActionIndicator.action_id == welcome.id)
        ):
            indicator.name += trap
            session.add(indicator)
    at = run_page("actions", "facilitator", {"id": str(welcome.id)})
    assert not at.exception, at.exception
    # The updates are one HTML block (issue 24): the name is HTML-escaped text in it.
    updates = [
        m.value for m in at.markdown if m.value.startswith("<div>") and "Reset your" in m.value
    ]
    assert updates and "<a " not in updates[0]
    assert html.escape(trap.strip(), quote=False) in updates[0]  # it reads as typed
    open_tab(at, welcome.id, "Indicators")
    labels = [t.label for t in at.text_input if t.label.startswith("Current value of")]
    assert labels
    for shown in labels:
        assert "[Reset your password](" not in shown, shown  # escaped: shown, not linked
        assert trap.strip() in as_shown(shown)  # and it reads as typed


def _drawn(node: Any) -> int:
    """How many elements and blocks are drawn under ``node`` (each one a message per run)."""
    children = getattr(node, "children", None) or {}
    return sum(1 + _drawn(child) for child in children.values())


def test_an_actions_updates_are_one_element_however_many_there_are(run_page) -> None:
    """Issue 24: each update was a bordered box, a caption and its text, three elements on
    every run and after every posted update, so a year of updates cost a hundred. All of
    them are now one block, newest first, each text through the safe renderer."""
    from cop.actions import updates as action_updates

    zagreb = action("Zagreb buddy programme in two districts")
    before = run_page("actions", "facilitator", {"id": str(zagreb.id)})
    assert not before.exception, before.exception
    with write_session() as session:
        for n in range(1, 6):
            action_updates.post_update(session, SYSTEM, zagreb.id, text=f"Week {n}: **met** them")
    at = run_page("actions", "facilitator", {"id": str(zagreb.id)})
    assert not at.exception, at.exception
    assert _drawn(at.main) == _drawn(before.main)
    block = next(m.value for m in at.markdown if "Week 1:" in m.value)
    assert [block.index(f"Week {n}:") for n in (5, 4, 3, 2, 1)] == sorted(
        block.index(f"Week {n}:") for n in range(1, 6)
    )
    assert "<strong>met</strong>" in block and "**met**" not in block


def test_the_edit_form_is_drawn_from_its_first_opening_and_typed_input_survives_closing_it(
    run_page,
) -> None:
    """Issue 24: the never-opened Edit panel costs no form and no queries; once opened the
    form stays drawn (typed input lives in the browser until sent), the person's path the same."""
    lisbon = action("Lisbon one-stop welcome centre with volunteer hosts")
    key = f"action-{lisbon.id}"
    at = run_page("actions", "facilitator", {"id": str(lisbon.id)})
    assert not at.exception, at.exception
    assert not [t for t in at.text_input if t.key == f"{key}-title"]
    at.session_state[f"{key}-open"] = True
    at.run()
    at.text_input(key=f"{key}-title").input("")
    at.text_input(key=f"{key}-tags").input("Kept, Tags")
    button(at, "Save").click().run()
    assert "Nothing was saved. Please correct:" in " ".join(e.value for e in at.error)
    at.session_state[f"{key}-open"] = False
    at.run()
    assert at.text_input(key=f"{key}-tags").value == "Kept, Tags"
    at.session_state[f"{key}-open"] = True
    at.run()
    at.text_input(key=f"{key}-title").input("Lisbon welcome centre with volunteer hosts")
    button(at, "Save").click().run()
    assert not at.exception, at.exception
    with read_session() as session:
        saved = session.get(Action, lisbon.id)
        assert saved is not None and (saved.title, saved.tags) == (
            "Lisbon welcome centre with volunteer hosts",
            ["Kept", "Tags"],
        )
