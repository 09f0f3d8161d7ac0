"""Home's reads: my due actions and the workshops per month, as typed rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from cop.actions import service as actions
from cop.core import clock
from cop.core.db import read_session, write_session
from cop.home.queries import DueAction, MonthCount, my_due_actions, workshops_per_month
from tests import factories


def test_my_due_actions_are_the_open_ones_due_soon_most_urgent_first(engine: Engine) -> None:
    clock.freeze(datetime(2026, 6, 1, 12, tzinfo=UTC))
    w = factories.world(engine)
    owner = w.member.person_id
    assert owner is not None
    with write_session(engine) as s:
        made = {
            title: actions.create_action(
                s,
                w.member,
                community_id=w.community.id,
                title=title,
                owner_person_id=owner,
                due_date=due,
            ).id
            for title, due in (
                ("Soon", "2026-06-10"),
                ("Late", "2026-05-20"),
                ("Later", "2026-09-01"),
            )
        }
    with read_session(engine) as s:
        due = my_due_actions(s, w.member)

    def row(title: str, due_date: date, overdue: bool) -> DueAction:
        return DueAction(
            id=made[title],
            title=title,
            due_date=due_date,
            status="planned",
            progress=10,  # a planned action in status mode
            progress_mode="status",
            sub_actions=0,
            community_id=w.community.id,
            community=w.community.name,
            overdue=overdue,
            progress_from=None,
        )

    assert due == [row("Late", date(2026, 5, 20), True), row("Soon", date(2026, 6, 10), False)]


def test_workshops_per_month_count_each_community_month_by_month(engine: Engine) -> None:
    clock.freeze(datetime(2026, 6, 1, 12, tzinfo=UTC))
    w = factories.world(engine)
    for day in (datetime(2026, 3, 10, 10), datetime(2026, 3, 20, 10), datetime(2026, 5, 4, 10)):
        factories.workshop(
            engine, w.member, w.community.id, starts_at=day, ends_at=day.replace(hour=16)
        )
    with read_session(engine) as s:
        counts = workshops_per_month(s, w.admin)
    assert counts == [
        MonthCount(month="2026-03", community=w.community.name, workshops=2),
        MonthCount(month="2026-05", community=w.community.name, workshops=1),
    ]


def test_the_overview_counts_each_of_my_communities_figures(engine: Engine) -> None:
    from cop.home.queries import CommunityFigures, HomeOverview, home_overview

    clock.freeze(datetime(2026, 6, 1, 12, tzinfo=UTC))
    w = factories.world(engine)
    owner = w.member.person_id
    assert owner is not None
    with write_session(engine) as s:
        for status in ("idea", "idea", "done"):
            actions.create_action(
                s,
                w.member,
                community_id=w.community.id,
                title=f"An action that is {status}",
                owner_person_id=owner,
                due_date="2026-06-10",
                status=status,
            )
    with read_session(engine) as s:
        overview = home_overview(s, w.member)
    assert isinstance(overview, HomeOverview)
    assert [c.id for c in overview.mine] == [w.community.id]
    figures = overview.figures[w.community.id]
    assert isinstance(figures, CommunityFigures)
    assert figures.actions_by_status == {"idea": 2, "done": 1}
    assert (figures.workshops_held, figures.practices, figures.chapter_status) == (0, 0, "")
    assert figures.people >= 1 and overview.names[w.community.id] == w.community.name
    assert [row.title for row in overview.due] == [
        "An action that is idea",
        "An action that is idea",
    ]
    assert overview.per_month == []  # admins only


def test_recent_activity_asks_for_the_readers_communities_once(engine: Engine) -> None:
    """Home's activity lines name each event's community and keep to the reader's communities:
    both asked for the communities the reader may read, one query twice per activity read,
    which every posted update makes anew (issue 24)."""
    import sqlalchemy as sa
    from sqlalchemy import event

    from cop.home.ui.page import activity_view

    w = factories.world(engine)
    asked: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if "FROM community" in statement and "ORDER BY community.name" in statement:
            asked.append(statement)  # the reader's communities, not the events' record names

    event.listen(sa.engine.Engine, "before_cursor_execute", note)
    try:
        with read_session(engine) as s:
            lines = activity_view(s, w.member)
    finally:
        event.remove(sa.engine.Engine, "before_cursor_execute", note)
    assert w.community.name in lines
    assert len(asked) == 1, asked


def test_the_readers_communities_are_asked_anew_in_a_write(engine: Engine) -> None:
    """Kept only while nothing can change them: a write session asks each time."""
    from cop.communities.service import create_community, visible_communities

    w = factories.world(engine)
    with write_session(engine) as s:
        before = [c.name for c in visible_communities(s, w.admin)]
        create_community(s, w.admin, name="Öffentliche Räume", slug="oeffentliche-raeume")
        after = [c.name for c in visible_communities(s, w.admin)]
    assert "Öffentliche Räume" in after and "Öffentliche Räume" not in before
