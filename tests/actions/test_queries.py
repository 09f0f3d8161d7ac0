"""The actions table's filters, the board, the timeline and a city's action plan, all in SQL."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from cop.actions import service as actions
from cop.actions import updates as action_updates
from cop.actions.plan import city_plan_pdf
from cop.actions.queries import board, city_plan, find_actions, known_tags, timeline
from cop.core import clock
from cop.core.db import read_session, write_session
from cop.core.errors import NotFound, ValidationError
from cop.core.permissions import Role
from cop.export import pdf
from tests import factories
from tests.actions.test_service import make_action


@pytest.fixture(autouse=True)
def _frozen() -> None:
    clock.freeze(datetime(2026, 4, 1, 12, tzinfo=UTC))


def test_filters_combine_and_page_in_sql(engine: Engine) -> None:
    w = factories.world(engine)
    ghent, lisbon = (
        factories.organisation(engine, "Ghent"),
        factories.organisation(engine, "Lisbon"),
    )
    other = factories.actor(engine, Role.MEMBER, w.community.id)
    make_action(
        engine,
        w.member,
        w.community.id,
        w.member,
        title="Buddy pilot",
        organisation_id=ghent,
        tags=["Buddies"],
        due_date=date(2026, 5, 1),
    )
    make_action(
        engine,
        w.member,
        w.community.id,
        other,
        title="Welcome guide 100%_done",
        organisation_id=lisbon,
        objective="Translate into Arabic",
        co_owner_ids=[w.member.person_id],
        due_date=date(2026, 3, 1),
    )
    make_action(
        engine,
        w.member,
        w.community.id,
        other,
        title="Sport clubs",
        organisation_id=ghent,
        status="idea",
        tags=["buddies", "Sport"],
        due_date=date(2027, 1, 1),
    )
    with read_session(engine) as s:

        def titles(**filters: object) -> list[str]:
            return [r.title for r in find_actions(s, w.observer, **filters)[0]]

        assert titles() == ["Welcome guide 100%_done", "Buddy pilot", "Sport clubs"]
        assert titles(organisation_id=ghent) == ["Buddy pilot", "Sport clubs"]
        assert titles(owner_person_id=w.member.person_id) == [
            "Welcome guide 100%_done",
            "Buddy pilot",
        ]
        assert titles(status=["idea", "done"]) == ["Sport clubs"]
        assert titles(tag=" BUDDIES ") == ["Buddy pilot", "Sport clubs"]
        assert titles(text="arabic") == ["Welcome guide 100%_done"]
        assert titles(text="%_") == ["Welcome guide 100%_done"]
        assert titles(text="_") == ["Welcome guide 100%_done"]
        assert titles(due_from="2026-04-01", due_to=date(2026, 12, 31)) == ["Buddy pilot"]
        assert titles(overdue=True) == ["Welcome guide 100%_done"]
        assert titles(community_id=w.community.id, sort="title", descending=True) == [
            "Welcome guide 100%_done",
            "Sport clubs",
            "Buddy pilot",
        ]
        rows, total = find_actions(s, w.observer, limit=2, offset=2)
        assert ([r.title for r in rows], total) == (["Sport clubs"], 3)
        assert sorted(known_tags(s, w.observer, w.community.id)) == ["Buddies", "Sport"]
        for bad in (
            {"status": "finished"},
            {"due_from": "2026-13-01"},
            {"owner_person_id": "1 OR 1=1"},
            {"due_from": "2026-05-01", "due_to": "2026-04-01"},
            {"sort": "owner; DROP"},
        ):
            with pytest.raises(ValidationError):
                find_actions(s, w.observer, **bad)  # type: ignore[arg-type]


def test_board_has_a_column_per_status_with_counts_and_the_latest_update(engine: Engine) -> None:
    w = factories.world(engine)
    for n in range(3):
        make_action(engine, w.member, w.community.id, w.member, title=f"Planned {n}")
    started = make_action(engine, w.member, w.community.id, w.member, title="Started")
    with write_session(engine) as s:
        action_updates.post_update(
            s, w.member, started.id, text="First volunteers on board", new_status="in_progress"
        )
    with read_session(engine) as s:
        columns = board(s, w.observer, per_column=2, community_id=w.community.id)
    assert [(c.status, c.total, len(c.rows)) for c in columns] == [
        ("idea", 0, 0),
        ("planned", 3, 2),
        ("in_progress", 1, 1),
        ("done", 0, 0),
        ("dropped", 0, 0),
    ]
    assert columns[2].rows[0].latest_update.text == "First volunteers on board"


def test_timeline_groups_sub_actions_under_their_parent_and_stops_at_the_limit(
    engine: Engine,
) -> None:
    w = factories.world(engine)
    parent = make_action(
        engine,
        w.member,
        w.community.id,
        w.member,
        title="Parent",
        start_date="2026-02-01",
        due_date="2026-09-01",
    )
    make_action(engine, w.member, w.community.id, w.member, title="Alone", due_date="2026-05-01")
    child = make_action(
        engine,
        w.member,
        w.community.id,
        w.member,
        title="Child",
        due_date="2026-03-01",
        parent_id=parent.id,
    )
    make_action(
        engine,
        w.member,
        w.community.id,
        w.member,
        title="Grandchild",
        due_date="2026-04-01",
        parent_id=child.id,
    )
    with read_session(engine) as s:
        limited = timeline(s, w.member, limit=2)
        everything = timeline(s, w.member)
    assert limited.total == 4 and len(limited.rows) == 2
    # The soonest due first, each parent followed by its sub-actions (deeper ones indented).
    assert [(r.action.title, r.level) for r in everything.rows] == [
        ("Alone", 0),
        ("Parent", 0),
        ("Child", 1),
        ("Grandchild", 2),
    ]
    # Shown without its parent (filtered out), a sub-action stands on its own.
    with read_session(engine) as s:
        alone = timeline(s, w.member, due_to="2026-04-30")
    assert [(r.action.title, r.level) for r in alone.rows] == [("Child", 0), ("Grandchild", 1)]


def test_timeline_carries_dated_milestones_and_keeps_the_actions_of_a_window(
    engine: Engine,
) -> None:
    w = factories.world(engine)
    long = make_action(
        engine,
        w.member,
        w.community.id,
        w.member,
        title="Long",
        start_date="2026-01-01",
        due_date="2026-12-01",
    )
    make_action(engine, w.member, w.community.id, w.member, title="Early", due_date="2026-02-01")
    with write_session(engine) as s:
        done = action_updates.add_milestone(
            s, w.member, long.id, title="Kick-off", due_date="2026-01-15"
        )
        action_updates.update_milestone(s, w.member, done.id, done.version, done=True)
        action_updates.add_milestone(s, w.member, long.id, title="Review", due_date="2026-06-01")
        action_updates.add_milestone(s, w.member, long.id, title="Someday")  # no date: not drawn
    with read_session(engine) as s:
        found = timeline(s, w.member)
        april = timeline(s, w.member, window=(date(2026, 3, 1), date(2026, 5, 31)))
    assert [(m.title, m.due_date, m.done) for m in found.milestones] == [
        ("Kick-off", date(2026, 1, 15), True),
        ("Review", date(2026, 6, 1), False),
    ]
    assert {m.action_id for m in found.milestones} == {long.id}
    assert [r.action.title for r in april.rows] == ["Long"] and april.total == 1


def test_a_city_plan_lists_what_it_leads_in_every_community_the_reader_may_see(
    engine: Engine,
) -> None:
    ghent = factories.organisation(engine, "Ghent")
    open_one, private = factories.world(engine), factories.world(engine, visibility="private")
    make_action(
        engine,
        open_one.member,
        open_one.community.id,
        open_one.member,
        title="Open plan",
        organisation_id=ghent,
        due_date="2026-01-01",
    )
    done = make_action(
        engine,
        private.member,
        private.community.id,
        private.member,
        title="Private plan",
        organisation_id=ghent,
    )
    make_action(
        engine, private.member, private.community.id, private.member, title="Someone else's"
    )
    with write_session(engine) as s:
        actions.move_action(s, private.member, done.id, done.version, "done")
    with read_session(engine) as s:
        outsider_view = city_plan(s, open_one.member, ghent)
        member_view = city_plan(s, private.member, ghent)
        with pytest.raises(NotFound):
            city_plan(s, private.member, "999999")
    assert [r.title for r in outsider_view.rows] == ["Open plan"]
    assert (outsider_view.total, outsider_view.overdue, outsider_view.average_open_progress) == (
        1,
        1,
        10.0,
    )
    assert sorted(r.title for r in member_view.rows) == ["Open plan", "Private plan"]
    assert member_view.by_status == {"planned": 1, "done": 1}
    assert member_view.organisation.name == "Ghent"


def test_the_city_plan_prints_to_pdf_with_user_text_as_text_and_no_url_fetched(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched: list[str] = []
    original = pdf.DataOnlyFetcher.fetch
    monkeypatch.setattr(
        pdf.DataOnlyFetcher,
        "fetch",
        lambda self, url, headers=None: fetched.append(url) or original(self, url, headers),
    )
    ghent = factories.organisation(engine, "Ghent")
    w = factories.world(engine)
    title = '<img src="http://127.0.0.1:9/x.png"> Buddy pilot'
    make_action(engine, w.member, w.community.id, w.member, title=title, organisation_id=ghent)
    with read_session(engine) as s:
        data = city_plan_pdf(s, w.observer, ghent)
    text = "".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )
    assert data.startswith(b"%PDF") and fetched == []
    assert "Actionplan:Ghent" in text and "".join(title.split()) in text


def test_a_city_plan_averages_each_open_action_once_not_a_roll_up_beside_its_sub_actions(
    engine: Engine,
) -> None:
    """Issue 17 item 14: a parent's percentage is its sub-actions' mean; counting it beside them
    would count the same work twice. Its row still says where its percentage comes from."""
    ghent = factories.organisation(engine, "Ghent")
    w = factories.world(engine)

    def led(**fields):  # noqa: ANN003, ANN202
        return make_action(
            engine, w.member, w.community.id, w.member, organisation_id=ghent, **fields
        )

    parent = led(title="Parent")
    for status in ("in_progress", "idea", "idea"):
        led(title=f"Step {status}", parent_id=parent.id, status=status)
    led(title="Other", status="in_progress")
    led(title="Planned beside the parent", status="planned")
    with read_session(engine) as s:
        plan = city_plan(s, w.member, ghent)
    row = next(r for r in plan.rows if r.id == parent.id)
    assert (row.progress, row.progress_from) == (17, ("sub-actions", 3))
    # 50, 0, 0, 50 and 10: not the parent's 17 again, nor the parent weighing in its status.
    assert plan.average_open_progress == 22.0
