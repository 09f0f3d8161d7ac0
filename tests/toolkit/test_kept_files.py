"""Issue 24: a chapter's file and its infographic are drawn once per state of the database.

The Toolkit page's one-click download built the chapter's file again on every click (the
capacity journey's dearest step), and the draft page drew the infographic on every run.
The same state gives the same file, so it is kept until anything is written; each reader's
right is still checked before a kept file is handed out.
"""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from cop.core.db import read_session, write_session
from cop.core.errors import PermissionDenied
from cop.export import charts
from cop.export.key_results import KeyResults
from cop.toolkit import export as toolkit_export
from cop.toolkit import key_results
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from cop.toolkit.models import Section
from tests import factories
from tests.factories import World


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


def _chapter_with_text(engine: Engine, w: World, body: str) -> tuple[int, int]:
    with write_session(engine) as s:
        edition = toolkit.create_toolkit(s, w.admin, title="Toolkit", year=2021)
        chapter = toolkit.add_chapter(s, w.admin, edition.id, w.community.id)
        section = toolkit_sections.add_section(
            s, w.member, chapter.id, "free_text", title="Text", body=body
        )
        return chapter.id, section.id  # type: ignore[return-value]


def _counting_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    rendered: list[str] = []
    render = toolkit_export.render

    def counted(document, fmt: str) -> bytes:  # noqa: ANN001
        rendered.append(fmt)
        return render(document, fmt)

    monkeypatch.setattr(toolkit_export, "render", counted)
    return rendered


def test_a_chapter_file_is_built_once_until_something_is_written(
    engine: Engine, w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    chapter_id, section_id = _chapter_with_text(engine, w, "Wording one.")
    rendered = _counting_renders(monkeypatch)
    first = toolkit_export.export_chapter(w.member, chapter_id, "md", draft=True, engine=engine)
    again = toolkit_export.export_chapter(
        w.facilitator, chapter_id, "md", draft=True, engine=engine
    )
    assert again.data == first.data and again.filename == first.filename
    assert rendered == ["md"]  # the second reader got the file built for the first
    with read_session(engine) as s:
        version = s.get(Section, section_id).version  # type: ignore[union-attr]
    with write_session(engine) as s:
        toolkit_sections.update_section(s, w.member, section_id, version, body="Wording two.")
    changed = toolkit_export.export_chapter(w.member, chapter_id, "md", draft=True, engine=engine)
    assert "Wording two." in changed.data.decode() and "Wording one." not in changed.data.decode()
    assert rendered == ["md", "md"]


def test_a_posted_update_keeps_the_chapters_file(
    engine: Engine, w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An action's update writes only the journals (cop.core.db): no chapter shows it, so the
    file is not built again (under load, an update every few seconds rebuilt it each time)."""
    from cop.actions import service as actions
    from cop.actions import updates

    chapter_id, _section_id = _chapter_with_text(engine, w, "Wording one.")
    with write_session(engine) as s:
        action = actions.create_action(
            s,
            w.member,
            community_id=w.community.id,
            title="Library volunteers",
            owner_person_id=w.member.person_id,
            due_date="2031-06-30",
        )
    rendered = _counting_renders(monkeypatch)
    first = toolkit_export.export_chapter(w.member, chapter_id, "md", draft=True, engine=engine)
    with write_session(engine) as s:
        updates.post_update(s, w.member, action.id, text="Met the volunteers.")
    again = toolkit_export.export_chapter(w.member, chapter_id, "md", draft=True, engine=engine)
    assert again.data == first.data
    assert rendered == ["md"]


def test_a_kept_file_is_handed_only_to_who_may_have_it(engine: Engine, w: World) -> None:
    chapter_id, _section_id = _chapter_with_text(engine, w, "Draft words.")
    assert toolkit_export.export_chapter(w.member, chapter_id, "md", draft=True, engine=engine)
    with pytest.raises(PermissionDenied):
        toolkit_export.export_chapter(w.observer, chapter_id, "md", draft=True, engine=engine)
    with pytest.raises(PermissionDenied):
        toolkit_export.export_chapter(w.outsider, chapter_id, "md", draft=True, engine=engine)


def test_the_infographic_is_drawn_once_for_the_same_figures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn: list[str] = []
    draw = charts.infographic_svg

    def counted(results: KeyResults, language: str, outline=None) -> str:  # noqa: ANN001
        drawn.append(language)
        return draw(results, language, outline)

    monkeypatch.setattr(charts, "infographic_svg", counted)
    figures = KeyResults(community="Kept figures", community_id=424242, workshops_held=3)
    first = key_results.infographic_for_screen(figures, "en")
    same = KeyResults(community="Kept figures", community_id=424242, workshops_held=3)
    assert key_results.infographic_for_screen(same, "en") == first
    assert drawn == ["en"]
    key_results.infographic_for_screen(same, "de")  # another language: another picture
    more = KeyResults(community="Kept figures", community_id=424242, workshops_held=4)
    assert key_results.infographic_for_screen(more, "en") != first  # other figures: drawn anew
    assert drawn == ["en", "de", "en"]
