"""The order of results on both databases: title matches first, then the others, each newest first;
the kinds take turns; asking for more keeps the first ones; PostgreSQL's ways to the newest
matches (its newest records, further back, or GIN for a rare word) find the same."""

from __future__ import annotations

import pytest

from cop.core.db import read_session
from cop.core.permissions import Role
from cop.search import queries
from cop.search.index import KINDS
from cop.search.queries import search
from tests import factories


def _titles(engine, actor, text, **kw) -> list[str]:
    with read_session(engine) as s:
        return [h.title for h in search(s, actor, text, **kw)]


@pytest.fixture
def world(engine):
    return factories.world(engine)


def test_title_matches_come_first_then_the_others_each_newest_first(engine, world) -> None:
    add = lambda title, objectives="": factories.workshop(  # noqa: E731
        engine, world.facilitator, world.community.id, title=title, objectives=objectives
    )
    add("Harbour walk, the first")
    add("Market day, the first", "We walked to the harbour")
    add("Harbour walk, the second")
    add("Market day, the second", "The harbour again")
    assert _titles(engine, world.member, "harbour") == [
        "Harbour walk, the second",
        "Harbour walk, the first",
        "Market day, the second",
        "Market day, the first",
    ]
    assert _titles(engine, world.member, "harbour", limit=3) == [
        "Harbour walk, the second",
        "Harbour walk, the first",
        "Market day, the second",
    ]


def test_kinds_take_turns_so_many_workshops_leave_room_for_a_practice(engine, world) -> None:
    for number in range(6):
        factories.workshop(
            engine, world.facilitator, world.community.id, title=f"Welcome walk {number}"
        )
    factories.draft_and_approved_practice(engine, world, "Welcome walks")
    found = _titles(engine, world.observer, "welcome walk", limit=4)
    assert found[:2] == ["Welcome walk 5", "Welcome walks approved"] or found[:2] == [
        "Welcome walk 5",
        "Welcome walks draft",
    ]
    assert len(found) == 4 and sum(t.startswith("Welcome walks") for t in found) == 2


def test_asking_for_more_results_keeps_the_first_ones_in_their_places(engine, world) -> None:
    for number in range(5):
        factories.workshop(
            engine,
            world.facilitator,
            world.community.id,
            title=f"Harbour day {number}" if number % 2 else f"Day {number}",
            objectives="harbour",
        )
    factories.draft_and_approved_practice(engine, world, "Harbour guides")
    every = _titles(engine, world.observer, "harbour", limit=50)
    assert len(every) == 7
    for limit in range(1, 8):
        assert _titles(engine, world.observer, "harbour", limit=limit) == every[:limit]


def test_rare_words_are_found_the_same_through_gin_as_through_the_newest_records(
    engine, world, monkeypatch
) -> None:
    """On PostgreSQL a kind's newest records are read first; too few matches among them send the
    search further back or to the kind's GIN indexes. All give the same hits (SQLite reads its
    index alone; tests/search/test_search_strategies.py takes each way in turn)."""
    other = factories.community(engine, visibility="private")
    outsider_facilitator = factories.actor(engine, Role.FACILITATOR, other.id)
    for number in range(4):
        factories.workshop(
            engine, world.facilitator, world.community.id, title=f"Harbour walk {number}"
        )
        factories.workshop(engine, world.facilitator, world.community.id, title=f"Day {number}")
        factories.workshop(
            engine, world.facilitator, world.community.id, title="Day", objectives="harbour"
        )
        factories.workshop(engine, outsider_facilitator, other.id, title=f"Harbour {number}")
    factories.draft_and_approved_practice(engine, world, "Harbour guides")
    readers = (world.member, world.outsider, world.admin)
    whole = [_titles(engine, r, "harbour", limit=5) for r in readers]
    monkeypatch.setattr(queries, "RECENT", dict.fromkeys(KINDS, 2))  # two per kind, then more
    monkeypatch.setattr(queries, "FEW_COMMUNITIES_READ", 1)
    assert [_titles(engine, r, "harbour", limit=5) for r in readers] == whole
    member, outsider, admin = whole
    assert member[0] == "Harbour walk 3" and member[1].startswith("Harbour guides")
    assert "Harbour guides draft" not in outsider and "Harbour guides approved" in outsider
    assert admin[0] == "Harbour 3"  # the private community's, newer than the member's
