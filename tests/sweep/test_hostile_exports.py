"""Every export format carries hostile text verbatim and inert.

A community whose workshops, guests, actions, practices, standards, insights
and toolkit chapter carry each payload the services accept (scripts, event
handlers, ``javascript:`` links, templates, formulas, right-to-left and
emoji text, zero-width and control characters), exported as workshop CSV
and iCalendar, attendance CSV, actions CSV (which must also import back
unchanged) and the chapter and edition as Markdown, HTML, DOCX and PDF.
Inert means: no script element, event handler or script link in any HTML
(the Markdown as the most permissive viewer renders it), no CSV cell that
starts like a formula, a DOCX that python-docx opens without hyperlinks,
and a PDF that pypdf opens without script actions.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import docx as python_docx
import pytest
from icalendar import Calendar
from markdown_it import MarkdownIt
from pypdf import PdfReader

from cop.actions import io as action_io
from cop.actions import service as actions
from cop.core.db import read_session, write_session
from cop.core.markdown import to_html
from cop.practices import service as practices
from cop.practices import standards
from cop.toolkit import export as toolkit_export
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from cop.workshops import attendance, outcomes
from cop.workshops import io as workshop_io
from cop.workshops import service as workshops

from .inputs import PWNED, TEXT
from .rule import FORMULA_STARTS, assert_inert_html, assert_no_formula, csv_cells
from .world import HostileWorld

# What the services store (see the sweep): single lines for titles and names, any text as long text.
UNSTORABLE = {"empty", "whitespace", "one-megabyte", "nul", "lone-surrogate"}
LONG_PAYLOADS = [b.value for b in TEXT if b.label not in UNSTORABLE] + [
    PWNED,
    "[click me](javascript:alert(1)) [x](data:text/html,hi)",
    "<div onclick=alert(1)>\n\n<script>x</script>\n\n</div>",
    "line one\r\nline two\x0b\x1f",
]
LINE_PAYLOADS = [p.strip() for p in LONG_PAYLOADS if p.isprintable() and p.strip()] + [
    "\u202eevil\u202c",
    PWNED,
]
FORMATS = list(toolkit_export.FORMATS)


@dataclass
class Exported:
    world: HostileWorld
    workshop_ids: list[int]
    guests_workshop: int
    chapter: int


def _in_cell(cell: str, text: str) -> bool:
    """The cell shows ``text`` as typed, with an apostrophe first where it would be a formula."""
    return cell == ("'" + text if text.startswith((*FORMULA_STARTS, "'")) else text) or cell == text


@pytest.fixture(scope="module")
def exported(hostile_world: HostileWorld) -> Iterator[Exported]:
    w = hostile_world
    start = datetime(2024, 5, 6, 10, 0)
    workshop_ids: list[int] = []
    with write_session(w.engine) as s:
        for number, text in enumerate(LINE_PAYLOADS):
            held = workshops.record_workshop(
                s,
                w.member,
                community_id=w.community.id,
                title=text,
                kind="workshop",
                format="hybrid",
                place=text,
                meeting_link="https://meet.example/room",
                starts_at=start + timedelta(days=number),
                ends_at=start + timedelta(days=number, hours=2),
                time_zone="Europe/Berlin",
                objectives=LONG_PAYLOADS[number % len(LONG_PAYLOADS)],
            )
            workshop_ids.append(held.id)  # type: ignore[arg-type]
            actions.create_action(
                s,
                w.member,
                community_id=w.community.id,
                title=text,
                owner_person_id=w.member.person_id,
                due_date=date(2026, 12, 31),  # type: ignore[arg-type]
                objective=text,
            )
        guests = workshops.record_workshop(
            s,
            w.member,
            community_id=w.community.id,
            title="Guests",
            kind="workshop",
            format="in_person",
            place="Hall",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            time_zone="Europe/Berlin",
        )
        for text in LINE_PAYLOADS:
            attendance.add_guest(
                s, w.member, guests.id, name=text, organisation=text, attended=True
            )  # type: ignore[arg-type]
        held = workshops.mark_held(s, w.member, guests.id, guests.version)  # type: ignore[arg-type]
        for text in LONG_PAYLOADS:
            outcomes.add_outcome(s, w.member, guests.id, kind="insight", text=text)  # type: ignore[arg-type]
        workshops.close_workshop(
            s, w.member, held.id, held.version, minutes="\n\n".join(LONG_PAYLOADS)
        )  # type: ignore[arg-type]
        for text in workshop_ids:
            workshops.mark_held(
                s, w.member, text, workshops.get_workshop(s, w.member, text).version
            )
        chosen = []
        for number, text in enumerate(LINE_PAYLOADS):
            long = LONG_PAYLOADS[number % len(LONG_PAYLOADS)]
            practice = practices.create_practice(
                s,
                w.facilitator,
                w.community.id,
                title=text,
                organisation_id=w.city,
                summary=long,
                contact=text,  # type: ignore[arg-type]
                themes=text[:60].replace(",", " "),
                links=["https://example.org/<script>alert(1)</script>"],
            )
            practices.approve_practice(s, w.facilitator, practice.id, practice.version)  # type: ignore[arg-type]
            chosen.append(practice.id)
            standard = standards.create_standard(
                s,
                w.facilitator,
                w.community.id,
                title=text,
                statement=long,  # type: ignore[arg-type]
                indicators=long,
            )
            standards.approve_standard(s, w.facilitator, standard.id, standard.version)  # type: ignore[arg-type]
        edition = toolkit.update_toolkit(
            s,
            w.admin,
            w.toolkit,
            toolkit.get_toolkit(s, w.toolkit).version,
            introduction="\n\n".join(LONG_PAYLOADS),
            licence=LINE_PAYLOADS[0],
        )
        assert edition.licence == LINE_PAYLOADS[0]
        for text in LINE_PAYLOADS:
            toolkit_sections.add_section(s, w.member, w.chapter, "free_text", title=text, body=text)
        toolkit_sections.add_section(
            s, w.member, w.chapter, "free_text", title="All", body="\n\n".join(LONG_PAYLOADS)
        )
        for kind, settings in (
            ("standards", {}),
            ("practices", {"practice_ids": chosen}),
            ("key_results", {}),
            ("workshop_timeline", {}),
            ("actions_summary", {}),
            ("lessons_learned", {}),
        ):
            toolkit_sections.add_section(s, w.member, w.chapter, kind, settings=settings)
    yield Exported(w, workshop_ids, guests.id, w.chapter)  # type: ignore[arg-type]


def test_workshop_csv_keeps_every_title_and_place_and_starts_no_formula(exported: Exported) -> None:
    w = exported.world
    with read_session(w.engine) as s:
        rows = csv_cells(workshop_io.export_workshops_csv(s, w.member, community_id=w.community.id))
    assert_no_formula(rows)
    header, body = rows[0], rows[1:]
    titles, places = (
        [r[header.index("title")] for r in body],
        [r[header.index("place")] for r in body],
    )
    for text in LINE_PAYLOADS:
        assert any(_in_cell(cell, text) for cell in titles), text
        assert any(_in_cell(cell, text) for cell in places), text


def test_icalendar_parses_back_with_every_title_verbatim(exported: Exported) -> None:
    w = exported.world
    with read_session(w.engine) as s:
        data = workshop_io.export_workshops_ics(s, w.member, community_id=w.community.id)
    events = Calendar.from_ical(data).walk("VEVENT")
    summaries = {str(e.get("summary")) for e in events}
    locations = {str(e.get("location")) for e in events}
    assert set(LINE_PAYLOADS) <= summaries and set(LINE_PAYLOADS) <= locations
    assert all(
        line.startswith((b" ", b"\t")) or b":" in line or b";" in line
        for line in data.splitlines()
        if line
    )


def test_attendance_csv_keeps_guest_names_and_starts_no_formula(exported: Exported) -> None:
    w = exported.world
    with write_session(w.engine) as s:
        rows = csv_cells(
            workshop_io.export_attendance_csv(s, w.facilitator, exported.guests_workshop)
        )
    assert_no_formula(rows)
    names = [r[0] for r in rows[1:]]
    organisations = [r[1] for r in rows[1:]]
    for text in LINE_PAYLOADS:
        assert any(_in_cell(cell, text) for cell in names) and any(
            _in_cell(c, text) for c in organisations
        ), text


def test_actions_csv_starts_no_formula_and_imports_back_unchanged(exported: Exported) -> None:
    w = exported.world
    with read_session(w.engine) as s:
        data = action_io.export_actions_csv(s, w.member, w.community.id)
        preview = action_io.preview_actions_import(s, w.facilitator, data)
    rows = csv_cells(data)
    assert_no_formula(rows)
    titles = [r[rows[0].index("title")] for r in rows[1:]]
    for text in LINE_PAYLOADS:
        assert any(_in_cell(cell, text) for cell in titles), text
    assert preview.ok and not preview.changed, preview.problems()[:3]


def test_markdown_rendered_on_pages_is_inert() -> None:
    for text in LONG_PAYLOADS:
        assert_inert_html(to_html(text))


@pytest.fixture(scope="module")
def documents(exported: Exported) -> dict[tuple[str, str], bytes]:
    """The draft chapter in every format, the whole edition (with drafts) as Markdown, HTML, DOCX.

    Each document is read once and rendered by the exports' own ``render``;
    the edition's PDF would print the same HTML again, slowly.
    """
    w = exported.world
    with toolkit_export.snapshot_session(w.engine) as s:
        chapter = toolkit_export.chapter_export_document(s, w.member, exported.chapter, draft=True)
        edition = toolkit_export.toolkit_export_document(s, w.member, w.toolkit, drafts=True)
    files = {("chapter", fmt): toolkit_export.render(chapter, fmt) for fmt in FORMATS}
    files |= {
        ("edition", fmt): toolkit_export.render(edition, fmt) for fmt in ("md", "html", "docx")
    }
    return files


@pytest.mark.parametrize("which", ["chapter", "edition"])
def test_html_export_is_inert_and_shows_every_title(
    documents: dict[tuple[str, str], bytes], which: str
) -> None:
    text = assert_inert_html(documents[which, "html"].decode("utf-8"))
    for title in LINE_PAYLOADS:
        assert title in text, title


@pytest.mark.parametrize("which", ["chapter", "edition"])
def test_markdown_export_is_inert_in_the_most_permissive_viewer(
    documents: dict[tuple[str, str], bytes], which: str
) -> None:
    viewer = MarkdownIt("commonmark", {"html": True})
    viewer.validateLink = lambda url: True  # type: ignore[method-assign]
    text = assert_inert_html(viewer.render(documents[which, "md"].decode("utf-8")))
    for title in LINE_PAYLOADS:
        assert title in text, title


@pytest.mark.parametrize("which", ["chapter", "edition"])
def test_docx_export_opens_with_plain_text_and_no_hyperlinks(
    documents: dict[tuple[str, str], bytes], which: str
) -> None:
    document = python_docx.Document(io.BytesIO(documents[which, "docx"]))
    assert not [r for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    xml = document.element.xml
    assert "<script" not in xml and "&lt;script&gt;" in xml
    shown = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    for title in LINE_PAYLOADS:
        assert title in shown, title


def test_pdf_export_opens_without_script_actions_or_script_links(
    documents: dict[tuple[str, str], bytes],
) -> None:
    reader = PdfReader(io.BytesIO(documents["chapter", "pdf"]))
    assert len(reader.pages) > 1
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/JavaScript" not in root.get("/Names", {})
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A", {})
            assert action.get("/S") not in ("/JavaScript", "/Launch")
            uri = "".join(str(action.get("/URI", "")).split()).lower()
            assert not uri.startswith(("javascript:", "data:", "file:")), uri
    assert "alert(1)" in " ".join(page.extract_text() for page in reader.pages).replace("\x00", "")
