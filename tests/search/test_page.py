"""The search page shows the first results and more at each "Show more", in the reader's language."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from cop.search.ui import page
from tests.page_fixtures import texts
from tests.shell.test_german import choose_language


def _search(run_page: Callable[..., AppTest], words: str) -> AppTest:
    at = run_page("search", "facilitator")
    at.text_input(key="search_query").input(words).run()
    assert not at.exception, at.exception
    return at


def _snippets(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("<div>")]


def test_show_more_adds_results_below_the_first_ones(
    run_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page, "PAGE", 2)
    at = _search(run_page, "the")
    assert "The first 2 results are shown; there are more." in texts(at)
    first = _snippets(at)
    assert len(first) == 2
    at.button(key="search_more").click().run()
    assert not at.exception, at.exception
    assert len(_snippets(at)) == 4 and set(first) <= set(_snippets(at))
    assert "The first 4 results are shown; there are more." in texts(at)
    at.text_input(key="search_query").input("and").run()  # another search starts again
    assert len(_snippets(at)) == 2


def test_show_more_reads_german(
    run_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page, "PAGE", 2)
    choose_language("facilitator", "de")
    at = _search(run_page, "the")
    assert "Die ersten 2 Treffer werden gezeigt; es gibt weitere." in texts(at)
    assert at.button(key="search_more").label == "2 weitere Treffer zeigen"


def test_a_search_with_few_results_shows_them_all_and_no_button(
    run_page: Callable[..., AppTest],
) -> None:
    at = _search(run_page, "welcome points")
    count = len(_snippets(at))
    assert 0 < count < page.PAGE
    assert f"{count} results" in texts(at)
    assert not [b for b in at.button if b.key == "search_more"]


def test_a_search_shows_twenty_results_at_first(run_page: Callable[..., AppTest]) -> None:
    """Twenty results, each one card, one link and one block: fifty of four elements each made
    the search the slowest click after the toolkit (issue 24)."""
    at = _search(run_page, "the")
    assert len(_snippets(at)) == 20
    assert "The first 20 results are shown; there are more." in texts(at)
    assert at.button(key="search_more").label == "Show 20 more results"


def test_the_community_under_a_result_is_shown_as_text(
    run_page: Callable[..., AppTest], demo_db: str
) -> None:
    from sqlmodel import select

    from cop.communities.models import Community
    from cop.core.db import write_session

    with write_session() as s:
        for community in s.exec(select(Community)):
            community.name = f"<b>{community.name}</b> & [link](https://example.org)"
            s.add(community)
    at = _search(run_page, "welcome points")
    blocks = _snippets(at)
    assert blocks
    assert all("<small>&lt;b&gt;" in b and "</b>" not in b.split("<small>")[1] for b in blocks)
