"""Issue 23, "content in another language is marked": a German edition's documents say
lang="de", so the words the workspace adds to them (section titles, practice facts, table
columns, the contents) are German too, not English inside a German document."""

from __future__ import annotations

import re

from sqlmodel import select

from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM
from cop.toolkit import sections as toolkit_sections
from cop.toolkit.export import export_chapter
from cop.toolkit.models import Chapter, Toolkit

ENGLISH_LABELS = ("Contents", "About this chapter", "Practice examples", "City", "Period")


def _chapter(language: str) -> int:
    with read_session() as s:
        chapter = s.exec(
            select(Chapter)
            .join(Toolkit, Toolkit.id == Chapter.toolkit_id)  # type: ignore[arg-type]
            .where(Toolkit.language == language, Chapter.approved_number > 0)
        ).first()
        assert chapter is not None
        return chapter.id  # type: ignore[return-value]


def _words(html: str) -> str:
    return re.sub(r"<[^>]+>", "\n", html)


def test_a_german_edition_s_chapter_is_exported_with_german_labels(demo_db: str) -> None:
    german = export_chapter(SYSTEM, _chapter("de"), "html").data.decode("utf-8")
    assert '<html lang="de">' in german
    lines = {line.strip() for line in _words(german).splitlines()}
    for label in ("Inhalt", "Über dieses Kapitel", "Praxisbeispiele", "Stadt", "Zeitraum"):
        assert label in lines, f"{label!r} missing from the German export"
    assert not lines & set(ENGLISH_LABELS), lines & set(ENGLISH_LABELS)
    english = export_chapter(SYSTEM, _chapter("en"), "html").data.decode("utf-8")
    assert set(ENGLISH_LABELS) <= {line.strip() for line in _words(english).splitlines()}


def test_a_new_section_takes_its_usual_title_in_the_edition_s_language(demo_db: str) -> None:
    titles = {}
    for language in ("de", "en"):
        with write_session() as s:
            section = toolkit_sections.add_section(s, SYSTEM, _chapter(language), "practices")
            titles[language] = section.title
    assert titles == {"de": "Praxisbeispiele", "en": "Practice examples"}
