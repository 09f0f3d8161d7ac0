"""Search on both databases: ranking, snippets, accents, query syntax, permissions, index in step."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop.core.db import read_session, write_session
from cop.core.permissions import Role
from cop.search.queries import _first_match, _fold, _marked, parse_query, search, snippet
from cop.workshops import outcomes
from cop.workshops import service as workshops
from tests import factories


def _workshop(engine, actor, community_id, title, objectives="", **extra):
    with write_session(engine) as s:
        return workshops.record_workshop(
            s,
            actor,
            community_id=community_id,
            title=title,
            kind="workshop",
            format="online",
            meeting_link="https://meet.example.org/x",
            starts_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
            ends_at=datetime(2026, 3, 2, 12, tzinfo=UTC),
            time_zone="Europe/Berlin",
            objectives=objectives,
            **extra,
        )


def _find(engine, actor, text, **kw):
    with read_session(engine) as s:
        return search(s, actor, text, **kw)


@pytest.fixture
def world(engine):
    return factories.world(engine)


def test_accent_insensitive_search_finds_dusseldorf(engine, world) -> None:
    _workshop(engine, world.facilitator, world.community.id, "Study visit to Düsseldorf")
    hits = _find(engine, world.member, "Dusseldorf")
    assert [h.title for h in hits] == ["Study visit to Düsseldorf"]
    assert "<mark>Düsseldorf</mark>" in hits[0].snippet_html


def test_prefix_and_phrase_matching(engine, world) -> None:
    _workshop(
        engine,
        world.facilitator,
        world.community.id,
        "Neighbourhood welcome points",
        "Local contact persons in every district",
    )
    _workshop(
        engine,
        world.facilitator,
        world.community.id,
        "Contact with schools",
        "Persons local to the school",
    )
    assert len(_find(engine, world.member, "neighbour")) == 1
    assert len(_find(engine, world.member, "local persons")) == 2
    phrase = _find(engine, world.member, '"local contact persons"')
    assert [h.title for h in phrase] == ["Neighbourhood welcome points"]


def test_title_matches_rank_above_body_matches(engine, world) -> None:
    _workshop(
        engine,
        world.facilitator,
        world.community.id,
        "Mentoring circles",
        "We talked about volunteers",
    )
    _workshop(
        engine,
        world.facilitator,
        world.community.id,
        "Volunteers in sport clubs",
        "A day with clubs",
    )
    hits = _find(engine, world.member, "volunteers")
    assert hits[0].title == "Volunteers in sport clubs"


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "*",
        "AND OR NOT",
        "NEAR(a b)",
        "title:x",
        "%_\\",
        "a) OR (b",
        "-",
        "^",
        "'; DROP TABLE workshop; --",
        "{{7*7}}",
    ],
)
def test_query_syntax_characters_never_break_the_engine(engine, world, query) -> None:
    _workshop(engine, world.facilitator, world.community.id, "Welcome café")
    _find(engine, world.member, query)  # must not raise


def test_member_never_finds_another_private_community(engine, world) -> None:
    private = factories.community(engine, visibility="private")
    other_facilitator = factories.actor(engine, Role.FACILITATOR, private.id)
    _workshop(engine, other_facilitator, private.id, "Secret planning session")
    assert _find(engine, world.member, "secret") == []
    assert len(_find(engine, other_facilitator, "secret")) == 1
    assert len(_find(engine, world.admin, "secret")) == 1


def test_best_matches_hidden_from_the_member_do_not_crowd_out_theirs(engine, world) -> None:
    """Each kind's newest matches are taken: only those the reader may see count among them."""
    private = factories.community(engine, visibility="private")
    other_facilitator = factories.actor(engine, Role.FACILITATOR, private.id)
    for number in range(12):
        _workshop(engine, other_facilitator, private.id, f"Harbour harbour harbour {number}")
    _workshop(engine, world.facilitator, world.community.id, "Visit", "A walk to the harbour")
    assert [h.title for h in _find(engine, world.member, "harbour", limit=1)] == ["Visit"]
    assert len(_find(engine, world.member, "harbour", limit=5)) == 1
    assert len(_find(engine, other_facilitator, "harbour", limit=50)) == 13  # theirs and the visit


def test_index_follows_edit_soft_delete_and_restore(engine, world) -> None:
    w = _workshop(engine, world.facilitator, world.community.id, "Tandem programme")
    with write_session(engine) as s:
        workshops.update_workshop(s, world.facilitator, w.id, w.version, title="Buddy programme")
    assert _find(engine, world.member, "tandem") == []
    assert len(_find(engine, world.member, "buddy")) == 1
    with write_session(engine) as s:
        workshops.delete_workshop(s, world.facilitator, w.id)
    assert _find(engine, world.member, "buddy") == []
    with write_session(engine) as s:
        workshops.restore_workshop(s, world.facilitator, w.id)
    assert len(_find(engine, world.member, "buddy")) == 1


def test_outcomes_are_found_through_their_workshop(engine, world) -> None:
    w = _workshop(engine, world.facilitator, world.community.id, "Planning day")
    with write_session(engine) as s:
        outcomes.add_outcome(
            s,
            world.facilitator,
            w.id,
            kind="insight",
            text="Volunteer passports motivate newcomers",
        )
    hits = _find(engine, world.member, "passports")
    assert [h.record_id for h in hits] == [w.id]


def test_rolled_back_write_leaves_no_index_entry(engine, world) -> None:
    with pytest.raises(RuntimeError):
        with write_session(engine) as s:
            workshops.record_workshop(
                s,
                world.facilitator,
                community_id=world.community.id,
                title="Phantom workshop",
                kind="workshop",
                format="online",
                meeting_link="https://x.example",
                starts_at=datetime(2026, 1, 1, 9, tzinfo=UTC),
                ends_at=datetime(2026, 1, 1, 10, tzinfo=UTC),
                time_zone="UTC",
            )
            raise RuntimeError("abort")
    assert _find(engine, world.member, "phantom") == []


def test_snippet_escapes_text_before_highlighting() -> None:
    html = snippet("<script>alert('volunteer')</script> volunteers welcome", [["volunteer"]])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>volunteers</mark>" in html


def test_snippet_of_long_minutes_shows_plain_words_around_a_late_match() -> None:
    """Only the blocks around the match are read as Markdown; the snippet is what the whole text gives."""
    table = "| city | people |\n|---|---|\n" + "".join(f"| City {i} | {i} |\n" for i in range(40))
    filler = "\n\n".join(f"Paragraph {i} about welcome points and libraries." for i in range(80))
    body = f"## Minutes\n\n{filler}\n\n{table}\nThe group met in **Düsseldorf** at the town hall.\n\n{filler}"
    html = snippet(body, [["dusseldorf"]])
    assert "<mark>Düsseldorf</mark>" in html
    assert "town hall" in html
    assert html.startswith("…") and html.endswith("…")
    assert "|" not in html and "**" not in html and "##" not in html
    assert html == snippet_of_whole_text(body, [["dusseldorf"]])


def snippet_of_whole_text(body: str, phrases: list[list[str]]) -> str:
    """The snippet as it was computed before windowing: the whole body read as Markdown."""
    from cop.search import queries

    saved = queries.SNIPPET_SOURCE_BEFORE, queries.SNIPPET_SOURCE_AFTER
    queries.SNIPPET_SOURCE_BEFORE = queries.SNIPPET_SOURCE_AFTER = 10**9
    try:
        return snippet(body, phrases)
    finally:
        queries.SNIPPET_SOURCE_BEFORE, queries.SNIPPET_SOURCE_AFTER = saved


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=80))
def test_parsed_query_holds_only_word_characters(text: str) -> None:
    for phrase in parse_query(text):
        for word in phrase:
            assert word and all(ch.isalnum() or ch == "_" for ch in word)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(max_codepoint=127), max_size=60),
    st.lists(st.text(alphabet="abcKkıſé_1", min_size=1, max_size=3), min_size=1, max_size=3),
)
def test_snippet_finds_the_same_first_match_in_plain_ascii_text_as_word_by_word(
    text: str, typed: list[str]
) -> None:
    """ASCII text is searched with one regular expression; the words found are those folded one by one."""
    words = tuple({_fold(w) for w in typed})
    by_word = next(
        (t.start() for t in re.finditer(r"\w+", text) if _fold(t.group()).startswith(words)), None
    )
    found = _first_match(text, words)
    assert (found.start() if found else None) == by_word


def test_a_search_word_folded_to_begin_with_a_bracket_is_found_after_a_space_as_before() -> None:
    """ASCII text's first match is found from a word boundary when every search word begins
    with a letter, digit or underscore (faster); "⑴" folds to "(1)", found where it was."""
    assert _fold("⑴") == "(1)"
    assert _first_match("a (1) b", ("(1)",)).start() == 2  # type: ignore[union-attr]
    assert _first_match("a city, b", ("cit",)).start() == 2  # type: ignore[union-attr]
    assert _first_match("a bcity", ("cit",)) is None


FOLDING = "abcKkıſéÉßẞ_1 .,()ℂ⒈⑴ﬁİ²ÅåΣσςǅ\u0301\u0308"  # case, accents, ligatures, marks alone


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=FOLDING, max_size=60),
    st.lists(st.text(alphabet="abcKkıſéßℂ⒈ﬁİ1_Σ⑴", min_size=1, max_size=3), min_size=1, max_size=3),
    st.booleans(),
)
def test_the_words_marked_are_those_that_begin_with_a_search_word_folded_one_by_one(
    text: str, typed: list[str], ascii_only: bool
) -> None:
    """ASCII text is marked by one regular expression, other text by one that finds the words
    whose first letter may begin a search word: both mark what folding each word marks."""
    if ascii_only:
        text = text.encode("ascii", "ignore").decode()
    words = tuple({_fold(w) for w in typed})
    by_word = [t.span() for t in re.finditer(r"\w+", text) if _fold(t.group()).startswith(words)]
    assert [m.span() for m in _marked(text, words)] == by_word
    if not text.isascii():  # (ASCII text keeps its case-blind first match, tested above)
        found = _first_match(text, words)
        assert (found.span() if found else None) == (by_word[0] if by_word else None)


def test_outsider_finds_only_approved_practices_of_a_workspace_community(engine, world) -> None:
    draft, approved = factories.draft_and_approved_practice(engine, world, "Welcome walks")
    assert {h.title for h in _find(engine, world.outsider, "welcome walks")} == {
        "Welcome walks approved"
    }
    assert {h.title for h in _find(engine, world.observer, "welcome walks")} == {
        "Welcome walks draft",
        "Welcome walks approved",
    }
    assert draft != approved


def test_full_reindex_finds_the_same_as_the_incremental_index(engine, world) -> None:
    from cop.search.index import reindex_all

    w = _workshop(
        engine,
        world.facilitator,
        world.community.id,
        "Café conversations",
        "Sprachcafé in Düsseldorf",
    )
    with write_session(engine) as s:
        outcomes.add_outcome(
            s, world.facilitator, w.id, kind="decision", text="Open a second café in Flingern"
        )
    before = [
        (h.kind, h.record_id, h.snippet_html) for h in _find(engine, world.member, "flingern")
    ]
    with write_session(engine) as s:
        assert reindex_all(s.connection()) >= 1
    after = [(h.kind, h.record_id, h.snippet_html) for h in _find(engine, world.member, "flingern")]
    assert before == after and before


MARKDOWN_MINUTES = (
    "## Minutes\n\n| City | Volunteers |\n|---|---|\n| Ghent | 12 |\n\n"
    "**Decided:** a [buddy scheme](https://example.org) for *volunteers*."
)


def _has_no_markdown(snippet_html: str) -> None:
    for mark in ("##", "|", "**", "](", "---"):
        assert mark not in snippet_html, (mark, snippet_html)


def test_workshop_and_practice_snippets_show_plain_text_not_markdown(engine, world) -> None:
    from cop.practices import service as practices

    _workshop(engine, world.facilitator, world.community.id, "Planning day", MARKDOWN_MINUTES)
    city = factories.organisation(engine, "Ghent")
    with write_session(engine) as s:
        practices.create_practice(
            s,
            world.facilitator,
            world.community.id,
            title="Buddy programme",
            organisation_id=city,
            summary=MARKDOWN_MINUTES,
        )
    hits = _find(engine, world.member, "volunteers")
    assert {h.kind for h in hits} == {"workshop", "practice"}
    for hit in hits:
        _has_no_markdown(hit.snippet_html)
        assert "Minutes City <mark>Volunteers</mark> Ghent 12 Decided:" in hit.snippet_html


def test_a_full_reindex_on_postgresql_analyses_its_index_and_no_other_schema(pg_url: str) -> None:
    """A bare ANALYZE after the rebuild read every table of every schema in the database: in
    CI two workers' schemas deadlocked on the catalog (tests/backup/test_seed.py), and a
    deployment sharing its database would wait for every other schema's tables."""
    import uuid

    import sqlalchemy as sa

    from cop.core import db
    from cop.search.index import reindex_all
    from tests.conftest import PG_URL

    engine = db.get_engine(pg_url)
    other = f"cop_bystander_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{other}"')
        conn.exec_driver_sql(f'CREATE TABLE "{other}".bystander (id integer)')
    try:
        with write_session(engine) as s:
            reindex_all(s.connection())
            own = s.connection().exec_driver_sql("SELECT current_schema()").scalar_one()
        with admin.connect() as conn:
            analysed = dict(
                conn.exec_driver_sql(
                    "SELECT schemaname || '.' || relname, last_analyze IS NOT NULL "
                    "FROM pg_stat_user_tables WHERE schemaname IN (%s, %s)",
                    (own, other),
                ).all()
            )
        assert analysed[f"{own}.search_document"] is True
        assert analysed[f"{other}.bystander"] is False
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{other}" CASCADE')
        admin.dispose()
