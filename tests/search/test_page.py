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
