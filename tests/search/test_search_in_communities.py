"""Search in one community or all: the hits, their order and their scores in one community are
those of the search in all of them filtered to it, and nobody finds what they may not read."""

from __future__ import annotations

import sqlalchemy as sa

from cop.core.db import read_session, write_session
from cop.core.permissions import Role
from cop.search.queries import search
from cop.workshops.models import Workshop
from tests import factories


def _find(engine, actor, text, **kw):
    with read_session(engine) as s:
        return [
            (h.kind, h.record_id, h.community_id, h.title, h.rank)
            for h in search(s, actor, text, **kw)
        ]


def test_one_community_gives_the_hits_order_and_scores_of_a_search_filtered_to_it(engine) -> None:
    communities = [factories.community(engine) for _ in range(3)]
    for index, c in enumerate(communities):
        facilitator = factories.actor(engine, Role.FACILITATOR, c.id)
        for repeats in range(1, 6):
            factories.workshop(
                engine,
                facilitator,
                c.id,
                title=f"Harbour day {index}{repeats}",
                objectives=" ".join(["harbour walk"] * repeats) + " " + "and more " * index,
            )
            factories.workshop(engine, facilitator, c.id, title=f"Market {index}{repeats}")
    reader = factories.actor(engine)  # open communities: readable by anyone signed in
    everywhere = _find(engine, reader, "harbour", limit=100)
    assert len(everywhere) == 15
    for c in communities:
        alone = _find(engine, reader, "harbour", community_id=c.id, limit=100)
        assert alone == [hit for hit in everywhere if hit[2] == c.id]
        assert len(alone) == 5
        assert _find(engine, reader, "harbour", community_id=c.id, limit=2) == alone[:2]
    member = factories.actor(engine, Role.MEMBER, communities[1].id)
    everywhere = _find(engine, member, "harbour walk")
    for c in communities:
        alone = _find(engine, member, "harbour walk", community_id=c.id)
        assert alone == [hit for hit in everywhere if hit[2] == c.id]
        assert len(alone) == 5


def test_a_community_the_person_cannot_read_gives_nothing_even_when_asked_for(engine) -> None:
    open_one = factories.community(engine)
    private = factories.community(engine, visibility="private")
    for c in (open_one, private):
        facilitator = factories.actor(engine, Role.FACILITATOR, c.id)
        factories.workshop(engine, facilitator, c.id, title=f"Harbour walk {c.id}")
    member = factories.actor(engine, Role.MEMBER, open_one.id)
    assert _find(engine, member, "harbour", community_id=private.id) == []
    assert [h[2] for h in _find(engine, member, "harbour", community_id=open_one.id)] == [
        open_one.id
    ]
    assert [h[2] for h in _find(engine, member, "harbour")] == [open_one.id]
    insider = factories.actor(engine, Role.MEMBER, private.id)
    assert [h[2] for h in _find(engine, insider, "harbour", community_id=private.id)] == [
        private.id
    ]


def test_drafts_stay_inside_their_community_when_one_community_is_searched(engine) -> None:
    world = factories.world(engine)
    factories.draft_and_approved_practice(engine, world, "Welcome walks")
    in_it = {"community_id": world.community.id}
    assert {h[3] for h in _find(engine, world.outsider, "welcome walks", **in_it)} == {
        "Welcome walks approved"
    }
    assert {h[3] for h in _find(engine, world.observer, "welcome walks", **in_it)} == {
        "Welcome walks draft",
        "Welcome walks approved",
    }


def test_a_record_moved_to_another_community_is_found_only_there(engine) -> None:
    first, second = factories.community(engine), factories.community(engine)
    facilitator = factories.actor(engine, Role.FACILITATOR, first.id)
    workshop = factories.workshop(engine, facilitator, first.id, title="Harbour walk")
    with write_session(engine) as s:  # no service moves a record; the index must follow anyway
        s.get(Workshop, workshop.id).community_id = second.id
    reader = factories.actor(engine)
    assert _find(engine, reader, "harbour", community_id=first.id) == []
    assert [h[2] for h in _find(engine, reader, "harbour", community_id=second.id)] == [second.id]
    assert [h[2] for h in _find(engine, reader, "harbour")] == [second.id]
    with read_session(engine) as s:
        if s.connection().dialect.name == "sqlite":
            entries = s.connection().execute(sa.text("SELECT count(*) FROM search_fts")).scalar()
            assert entries == 1


def test_an_outsider_finds_a_practice_only_while_it_is_approved(engine) -> None:
    """Its approval changes through the services, and the index follows (on PostgreSQL the entry's
    approved flag, kept by the flush hook)."""
    from cop.practices import service as practices
    from cop.practices.models import Practice

    world = factories.world(engine)
    _draft, approved = factories.draft_and_approved_practice(engine, world, "Welcome walks")
    found = {"Welcome walks approved"}
    assert {h[3] for h in _find(engine, world.outsider, "welcome walks")} == found
    with write_session(engine) as s:  # a member's edit sends it back to review
        version = s.get(Practice, approved).version
        practices.update_practice(s, world.member, approved, version, summary="Every Friday")
    assert _find(engine, world.outsider, "welcome walks") == []
    assert len(_find(engine, world.member, "welcome walks")) == 2
    with write_session(engine) as s:
        version = s.get(Practice, approved).version
        practices.approve_practice(s, world.facilitator, approved, version)
    assert {h[3] for h in _find(engine, world.outsider, "welcome walks")} == found
