"""The toolkit: editions, chapters, sections (text and record blocks, settings) and comments."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from cop.core.errors import ConflictError
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from cop.toolkit.models import Chapter, Section, Toolkit

from .inputs import CHOICE, COUNT, FLAG, LINE, LONG, REFERENCE, VERSION, as_lists, sample
from .rule import Target, as_id, as_whole, attribute, trimmed
from .world import HostileWorld, serial


def _edition(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Toolkit:
        values = {"title": f"Toolkit {serial()}", "year": 2021, field: v}
        return toolkit.create_toolkit(s, w.admin, **values)

    return call


def _update_edition(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Toolkit:
        return toolkit.update_toolkit(
            s, w.admin, w.toolkit, w.version(s, Toolkit, w.toolkit), **{field: v}
        )

    return call


def _chapter(s: Session, w: HostileWorld, v: Any) -> Chapter:
    edition = toolkit.create_toolkit(s, w.admin, title=f"Toolkit {serial()}", year=2021)
    return toolkit.add_chapter(s, w.admin, edition.id, w.community.id, title=v)


def _rename(s: Session, w: HostileWorld, v: Any) -> Chapter:
    return toolkit.rename_chapter(s, w.member, w.chapter, w.version(s, Chapter, w.chapter), v)


def _section(field: str, kind: str = "free_text") -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Section:
        values = {"title": f"Section {serial()}", "body": "Text.", field: v}
        return toolkit_sections.add_section(
            s, w.member, w.chapter, values.pop("kind", kind), **values
        )

    return call


def _settings(kind: str, name: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Section:
        return toolkit_sections.add_section(s, w.member, w.chapter, kind, settings={name: v})

    return call


def _update_section(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Section:
        return toolkit_sections.update_section(
            s, w.member, w.section, w.version(s, Section, w.section), **{field: v}
        )

    return call


def _section_at_version(s: Session, w: HostileWorld, v: Any) -> Section:
    return toolkit_sections.update_section(s, w.member, w.section, v, title=f"Section {serial()}")


def _comment(s: Session, w: HostileWorld, v: Any) -> Any:
    return toolkit_sections.add_comment(s, w.member, w.section, v)


def _setting(name: str) -> Any:
    def read(s: Session, section: Section) -> Any:
        return s.get(Section, section.id).settings[name]  # type: ignore[union-attr]

    return read


def _ids(value: Any) -> list[int]:
    return [as_id(v) for v in value]  # type: ignore[misc]


TARGETS: list[Target] = [
    Target("create_toolkit", "title", LINE, _edition("title"), attribute("title"), trimmed),
    Target("create_toolkit", "year", COUNT, _edition("year"), attribute("year"), as_whole),
    Target(
        "create_toolkit", "introduction", LONG, _edition("introduction"), attribute("introduction")
    ),
    Target("create_toolkit", "licence", LINE, _edition("licence"), attribute("licence"), trimmed),
    Target("create_toolkit", "language", CHOICE, _edition("language"), attribute("language")),
    Target(
        "update_toolkit",
        "title",
        sample(LINE),
        _update_edition("title"),
        attribute("title"),
        trimmed,
    ),
    Target(
        "update_toolkit",
        "introduction",
        sample(LONG),
        _update_edition("introduction"),
        attribute("introduction"),
    ),
    Target("add_chapter", "title", LINE, _chapter, attribute("title"), trimmed),
    Target("rename_chapter", "title", sample(LINE), _rename, attribute("title"), trimmed),
    Target("add_section", "kind", CHOICE, _section("kind"), attribute("kind")),
    Target("add_section", "title", LINE, _section("title"), attribute("title"), trimmed),
    Target("add_section", "body", LONG, _section("body"), attribute("body")),
    Target(
        "add_section",
        "practice_ids",
        as_lists(REFERENCE),
        _settings("practices", "practice_ids"),
        _setting("practice_ids"),
        _ids,
    ),
    Target(
        "add_section",
        "standard_ids",
        as_lists(REFERENCE),
        _settings("standards", "standard_ids"),
        _setting("standard_ids"),
        _ids,
    ),
    Target("add_section", "chart", FLAG, _settings("key_results", "chart"), _setting("chart")),
    Target(
        "update_section",
        "title",
        sample(LINE),
        _update_section("title"),
        attribute("title"),
        trimmed,
    ),
    Target("update_section", "body", sample(LONG), _update_section("body"), attribute("body")),
    Target(
        "update_section",
        "version",
        VERSION,
        _section_at_version,
        attribute("title"),
        refusals=(ConflictError,),
    ),
    Target("add_comment", "text", LONG, _comment, attribute("text")),
]
