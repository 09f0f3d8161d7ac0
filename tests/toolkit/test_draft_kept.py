"""The draft's records are the same for every reader who may see the draft (issue 24): the
second member of a community to open the Toolkit finds them kept, and a reader who may not
see the draft is refused though they are."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from cop.toolkit import sections as toolkit_sections


@pytest.fixture
def practice_reads() -> Iterator[list[str]]:
    """The draft's records read the community's practices (its practice examples section)."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT") and "FROM practice" in statement:
            seen.append(statement)

    event.listen(sa.engine.Engine, "before_cursor_execute", note)
    yield seen
    event.remove(sa.engine.Engine, "before_cursor_execute", note)


def _draft_heading(at) -> list[str]:  # noqa: ANN001
    return [m.value for m in at.markdown if "<h4>3. " in m.value]


def test_a_second_reader_of_the_draft_finds_its_records_kept(run_page, practice_reads) -> None:
    first = run_page("toolkit", "member")
    assert not first.exception, first.exception
    assert practice_reads, "the first reader reads the practices"
    practice_reads.clear()
    second = run_page("toolkit", "facilitator")
    assert not second.exception, second.exception
    assert _draft_heading(second) == _draft_heading(first)  # the same chapter, drawn
    assert practice_reads == [], "the draft's records were read again for another reader"


def test_a_reader_who_may_not_see_the_draft_is_refused_though_it_is_kept(run_page) -> None:
    member = run_page("toolkit", "member")
    assert _draft_heading(member)
    observer = run_page("toolkit", "observer")
    assert not observer.exception, observer.exception
    assert not _draft_heading(observer), "an observer saw the draft"


def test_the_key_names_the_chapter_and_the_language_after_checking_the_reader(engine) -> None:
    from cop.core.db import read_session, write_session
    from cop.core.errors import PermissionDenied
    from cop.toolkit import service as toolkit
    from tests import factories

    w = factories.world(engine)
    with write_session(engine) as s:
        edition = toolkit.create_toolkit(s, w.admin, title="Toolkit", year=2027)
        chapter = toolkit.add_chapter(s, w.admin, edition.id, w.community.id)
    with read_session(engine) as s:
        assert toolkit_sections.draft_audience(s, w.member, chapter.id) == (chapter.id, "en")
        for refused in (w.observer, w.outsider):
            with pytest.raises(PermissionDenied):
                toolkit_sections.draft_audience(s, refused, chapter.id)
