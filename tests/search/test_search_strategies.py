"""PostgreSQL's ways to a kind's newest matches (migration 0018's function) find what reading
every record would: the first window alone, then further back along the index, or GIN; for a
search in one community (read in order along its index), in a few (listed) and in many
(flags by community). SQLite reads its index alone: there the same hits are checked too."""

from __future__ import annotations

import pytest

from cop.core.db import read_session, write_session
from cop.core.permissions import Actor, Role
from cop.search import queries
from cop.search.index import KINDS
from cop.search.queries import search
from tests import factories

WAYS = {
    # the first window holds every record: the reference
    "all read first": {"RECENT": dict.fromkeys(KINDS, 10_000)},
    # two records read, then the rest found further back (reading costs nothing next to GIN)
    "further back": {"RECENT": dict.fromkeys(KINDS, 2), "GIN_MATCH_COST": 10**9},
    # two records read, then GIN (costs nothing next to reading)
    "GIN": {"RECENT": dict.fromkeys(KINDS, 2), "GIN_MATCH_COST": 0},
}
WORDS = ("harbour", '"harbour walk"', "walk", "market", "nothing-like-it")


def _practice(engine, facilitator: Actor, community_id: int, title: str, approve: bool) -> None:
    from cop.practices import service as practices

    city = factories.organisation(engine)
    with write_session(engine) as s:
        practice = practices.create_practice(
            s,
            facilitator,
            community_id,
            title=title,
            organisation_id=city,
            summary="A walk to the harbour market",
        )
        if approve:
            practices.submit_practice(s, facilitator, practice.id, practice.version)
            practices.approve_practice(s, facilitator, practice.id, practice.version)


def _found(engine, actor: Actor, text: str, limit: int, **kw) -> list[tuple]:
    with read_session(engine) as s:
        return [
            (h.kind, h.record_id, h.community_id, h.title, h.snippet_html, h.rank)
            for h in search(s, actor, text, limit=limit, **kw)
        ]


@pytest.mark.parametrize("communities", [3, 10])  # a few are listed, more than eight are flags
def test_every_way_to_the_newest_matches_finds_the_same(engine, monkeypatch, communities) -> None:
    made = [factories.community(engine) for _ in range(communities)]
    facilitators = [factories.actor(engine, Role.FACILITATOR, c.id) for c in made]
    for number in range(3):  # newest last: title matches, other matches and others mixed
        for c, facilitator in zip(made, facilitators, strict=True):
            title, objectives = [
                (f"Harbour walk {c.id}.{number}", "A morning at the market"),
                (f"Market day {c.id}.{number}", "We walked to the harbour"),
                (f"Choir {c.id}.{number}", "Singing"),
            ][(c.id + number) % 3]
            factories.workshop(engine, facilitator, c.id, title=title, objectives=objectives)
    for c, facilitator in list(zip(made, facilitators, strict=True))[:2]:
        _practice(engine, facilitator, c.id, f"Harbour guides {c.id} draft", approve=False)
        _practice(engine, facilitator, c.id, f"Harbour guides {c.id} approved", approve=True)
    readers = {
        "member": factories.actor(engine, Role.MEMBER, made[0].id),  # drafts of its community
        "outsider": factories.actor(engine),  # approved practices only
        "admin": factories.actor(engine, admin=True),
    }
    searches = [
        (name, text, limit, where)
        for name in readers
        for text in WORDS
        for limit in (3, 50)
        for where in (None, made[0].id, made[1].id)
    ]
    found = {}
    for way, settings in WAYS.items():
        with monkeypatch.context() as patch:
            patch.setattr(queries, "FEW_COMMUNITIES_READ", 1)
            for name, value in settings.items():
                patch.setattr(queries, name, value)
            found[way] = [
                _found(engine, readers[name], text, limit, community_id=where)
                for name, text, limit, where in searches
            ]
    reference = found.pop("all read first")
    for way, hits in found.items():
        for search_, expected, got in zip(searches, reference, hits, strict=True):
            assert got == expected, (way, search_)
    member_harbour = reference[searches.index(("member", "harbour", 50, None))]
    titles = [hit[3] for hit in member_harbour]
    assert f"Harbour guides {made[0].id} draft" in titles  # its own community's draft
    assert f"Harbour guides {made[1].id} draft" not in titles  # another's stays inside it
    assert f"Harbour guides {made[1].id} approved" in titles
    assert sum(hit[0] == "workshop" for hit in member_harbour) == 2 * communities
