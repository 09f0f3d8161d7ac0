"""The actions board on the demo workspace (AppTest): columns and counts, full cards, the owner
filter, moves through the service (dropped, stale, refused, not allowed), opening a card and
user text handed over as data.

AppTest does not run the component's script: it reads what the page hands the component and
sends the events the browser would send (``send``). Chromium drags the cards in
tests/browser/test_board_journey.py.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from typing import Any

from sqlmodel import Session, select
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.testing.v1 import AppTest

from cop.accounts.models import User
from cop.actions import service as actions
from cop.actions.models import Action
from cop.actions.ui.board.component import NAME
from cop.communities.models import Person
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM
from tests.actions.test_page import action, view
from tests.page_fixtures import texts

ZAGREB = "Zagreb buddy programme in two districts"
MEMBER_OWNS = {
    "Welcome points in two more Düsseldorf districts",
    "Training day for volunteers at welcome points",
    "Describe the welcome points for the toolkit",
    "Describe the contact-person model as a practice example for the toolkit.",
}
PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def board(at: AppTest) -> Any:
    """The board component's element (what the browser receives)."""
    found = [e for e in at.get("bidi_component") if e.proto.component_name == NAME]
    assert len(found) == 1, found
    return found[0]


def data(at: AppTest) -> dict[str, Any]:
    return json.loads(board(at).proto.json)


def columns(at: AppTest) -> dict[str, dict[str, Any]]:
    return {c["label"]: c for c in data(at)["columns"]}


def cards(at: AppTest) -> dict[str, dict[str, Any]]:
    return {card["title"]: card for c in data(at)["columns"] for card in c["cards"]}


def send(at: AppTest, event: str, value: Any) -> AppTest:
    """What the browser does when a card is dropped or a title clicked: the component's event, then a run.

    AppTest has no interaction for components, so the event goes in as the browser sends
    it: a trigger next to the other widgets' values.
    """
    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(board(at).proto.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": event, "value": value}])
    return at._run(states)


def move(at: AppTest, title: str, status: str, version: int | None = None) -> AppTest:
    card = cards(at)[title]
    return send(
        at, "move", {"id": card["id"], "version": version or card["version"], "status": status}
    )


def test_board_shows_every_status_with_its_count_and_full_cards(run_page) -> None:
    at = view(run_page, "facilitator", "Board")
    assert not at.exception, at.exception
    shown = columns(at)
    assert list(shown) == ["Idea", "Planned", "In progress", "Done", "Dropped"]
    assert (shown["Planned"]["count"], shown["Planned"]["count_text"]) == ("10", "10 actions")
    assert sum(len(c["cards"]) for c in shown.values()) == sum(
        int(c["count"]) for c in shown.values()
    )  # every card fits: the columns scroll
    long_title = "Describe the contact-person model as a practice example for the toolkit."
    card = cards(at)[long_title]  # the whole title, never cut
    assert card["href"] == f"actions?id={card['id']}"
    assert card["owner"] and card["due"].startswith(("due ", "overdue since "))
    assert card["progress_text"] == f"{card['progress']} %"
    late = cards(at)["Barcelona recruitment campaign with refugee volunteers"]
    assert late["overdue"] and late["due"].startswith("overdue since ")
    assert not re.search(r"\d{4}-\d{2}-\d{2}", json.dumps(data(at)))  # dates as people write them
    assert data(at)["labels"]["move"] == "Move to…"


def test_board_speaks_german(run_page) -> None:
    from cop.core.i18n import translator
    from tests.shell.test_german import choose_language

    choose_language("facilitator", "de")
    at = view(run_page, "facilitator", translator("de")("Board"))
    assert not at.exception, at.exception
    assert list(columns(at)) == ["Idee", "Geplant", "In Arbeit", "Erledigt", "Verworfen"]
    assert data(at)["labels"]["move"] != "Move to…"
    assert all(c["due"].startswith(("fällig", "überfällig")) for c in cards(at).values())


def test_a_dropped_card_moves_through_the_service(run_page) -> None:
    zagreb = action(ZAGREB)
    at = view(run_page, "facilitator", "Board")
    move(at, ZAGREB, "in_progress")
    assert not at.exception, at.exception
    moved = action(ZAGREB)
    assert (moved.status, moved.progress, moved.version) == ("in_progress", 50, zagreb.version + 1)
    shown = columns(at)
    assert (shown["Planned"]["count"], shown["In progress"]["count"]) == ("9", "14")
    assert cards(at)[ZAGREB]["status"] == "in_progress"
    assert data(at)["announce"] == f"“{ZAGREB}” moved to In progress."
    with read_session() as session:  # audited like every move
        assert session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "action.move", AuditEvent.record_id == zagreb.id
            )
        ).first()


def test_a_stale_move_shows_the_other_change_and_the_card_stays_where_it_is(run_page) -> None:
    zagreb = action(ZAGREB)
    at = view(run_page, "facilitator", "Board")
    with write_session() as session:  # someone else moves the card meanwhile
        actions.move_action(session, SYSTEM, zagreb.id, zagreb.version, "done")
    move(at, ZAGREB, "dropped", version=zagreb.version)
    assert not at.exception, at.exception
    assert "Someone else saved this in the meantime" in texts(at)
    assert action(ZAGREB).status == "done"
    shown = columns(at)
    assert (shown["Done"]["count"], shown["Planned"]["count"]) == ("4", "9")
    assert cards(at)[ZAGREB]["status"] == "done"
    assert data(at)["announce"].startswith("The card was not moved")


def test_a_refused_move_shows_the_message_and_redraws_the_board(run_page) -> None:
    at = view(run_page, "facilitator", "Board")
    before = data(at)["attempt"]
    move(at, ZAGREB, "archived")  # not a status: only a forged event sends it
    assert not at.exception, at.exception
    assert action(ZAGREB).status == "planned"
    assert "The status" in texts(at)
    assert data(at)["attempt"] == before + 1  # new data: the browser puts the card back


def test_only_the_cards_a_person_may_move_are_movable_and_the_service_decides(run_page) -> None:
    member = view(run_page, "member", "Board")
    assert not member.exception, member.exception
    assert {t for t, c in cards(member).items() if c["movable"]} == MEMBER_OWNS
    observer = view(run_page, "observer", "Board")
    assert not [c for c in cards(observer).values() if c["movable"]]
    assert not [c for c in observer.caption if "Drag a card" in c.value]
    move(observer, ZAGREB, "done")  # a forged event: refused by the service
    assert not observer.exception, observer.exception
    assert action(ZAGREB).status == "planned"
    assert observer.error


def test_the_owner_filter_narrows_the_board(run_page) -> None:
    at = view(run_page, "member", "Board")
    owner = at.selectbox(key="board_owner")
    assert owner.options[:2] == ["Everyone", "Me"]
    all_cards = cards(at)
    with read_session() as session:
        me = session.exec(select(User.person_id).where(User.username == "member")).one()
    owner.select(me).run()
    assert not at.exception, at.exception
    mine = cards(at)
    assert set(mine) < set(all_cards) and MEMBER_OWNS <= set(mine)
    assert "Zagreb buddy programme in two districts" not in mine


def test_the_owner_filter_offers_the_owners_of_the_cards_on_the_board(
    run_page, monkeypatch
) -> None:
    """Issue 24: it offered every owner of any action the filters leave, 4,000 names and a
    query of their own in every run of the large workspace's board."""
    from cop.actions.ui.board import view as board

    monkeypatch.setattr(board, "BOARD_CARDS", 1)  # a column shows its most urgent card
    at = view(run_page, "facilitator", "Board")
    assert not at.exception, at.exception
    on_cards = {c["owner"] for c in cards(at).values()}
    owner = at.selectbox(key="board_owner")
    offered = owner.options[1:]  # the labels after "Everyone"
    with read_session() as session:
        every_owner = set(
            session.exec(
                select(Person.name)
                .join(Action, Action.owner_person_id == Person.id)
                .where(Action.deleted_at.is_(None))
            ).all()
        )
    assert len(every_owner) > len(on_cards), "the demo has owners off the board"
    assert {o for o in offered if o != "Me"} <= on_cards


def test_a_clicked_title_opens_the_action_in_this_session(run_page) -> None:
    at = view(run_page, "facilitator", "Board")
    zagreb = cards(at)[ZAGREB]
    send(at, "open", zagreb["id"])
    assert not at.exception, at.exception
    assert at.query_params["id"] == str(zagreb["id"])
    assert ZAGREB in [t.value for t in at.title]


def add_action_beside_zagreb(session: Session, title: str) -> Action:
    """An action titled ``title`` in the Zagreb action's community, with the same owner."""
    zagreb = session.exec(select(Action).where(Action.title == ZAGREB)).one()
    return actions.create_action(
        session,
        SYSTEM,
        community_id=zagreb.community_id,
        title=title,
        owner_person_id=zagreb.owner_person_id,
        due_date="2027-06-30",
    )


def test_user_text_reaches_the_board_as_data_never_as_markup(run_page) -> None:
    with write_session() as session:
        hostile = add_action_beside_zagreb(session, PAYLOAD)
    at = view(run_page, "facilitator", "Board")
    element = board(at).proto
    assert cards(at)[PAYLOAD]["id"] == hostile.id  # the title as typed, to be set as text
    assert "pwned" not in element.html_content + element.js_content + element.css_content
    ours = (files("cop.actions.ui.board") / "board.js").read_text(encoding="utf-8")
    assert ours in element.js_content
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", ours)


def test_board_counts_a_column_beyond_its_cards(run_page, monkeypatch) -> None:
    from cop.actions.ui.board import view as board_view

    monkeypatch.setattr(board_view, "BOARD_CARDS", 2)
    at = view(run_page, "facilitator", "Board")
    planned = columns(at)["Planned"]
    assert (planned["count"], len(planned["cards"])) == ("10", 2)
    assert planned["more"] == "The 2 due first are shown; the table lists them all."


def test_a_column_shows_its_25_most_urgent_cards_and_the_table_the_rest(run_page) -> None:
    """Issue 24: fifty cards a column, 250 on a large workspace's board (160 kB and the
    browser's drawing of every card on each run). At 1,400 px a column shows four cards;
    twenty-five are six screens of it, and past that the table sorts and pages them."""
    with write_session() as session:
        for number in range(30):
            add_action_beside_zagreb(session, f"Welcome desk shift plan {number:02d} – Zagreb")
    at = view(run_page, "facilitator", "Board")
    assert not at.exception, at.exception
    planned = columns(at)["Planned"]
    assert (planned["count"], len(planned["cards"])) == ("40", 25)
    assert planned["more"] == "The 25 due first are shown; the table lists them all."
