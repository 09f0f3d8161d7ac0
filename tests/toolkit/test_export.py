"""Exports read back: the same sections in every format, hostile text inert, nothing fetched, limits held."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
from html.parser import HTMLParser
from pathlib import Path

import docx as python_docx
import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from cop.backup.demo import load_demo
from cop.core.db import get_engine, write_session
from cop.core.permissions import SYSTEM
from cop.export import docx, html, limiter, pdf
from cop.export.document import TOC, Document, Figure, Heading, Paragraph, PracticeBox, Table
from cop.practices import service as practices
from cop.toolkit import export as toolkit_export
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from tests import factories

PAYLOAD = (
    '<script>alert("x")</script> and [click me](javascript:alert(1)) and [me too](jav&#x61;script:alert(2)) '
    'and <javascript:alert(3)> and =HYPERLINK("http://evil.example/","open")'
)
TITLES = [
    "Welcoming newcomers",
    "Über uns: Ελληνικά и кириллица",
    "What the records say",
    "Lessons learned",
]
PRACTICE = "Buddy programme"


class _Tags(HTMLParser):
    """Every start tag with its attributes, every heading's text, and all text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.headings: list[str] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("h1", "h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def _parse(source: str) -> _Tags:
    parser = _Tags()
    parser.feed(source)
    return parser


def _assert_inert_html(source: str) -> None:
    parsed = _parse(source)
    assert "script" not in [tag for tag, _ in parsed.tags]
    for _tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs)
        for name in ("href", "src"):
            value = "".join(attrs.get(name, "").split()).lower()
            assert not value.startswith(("javascript:", "vbscript:", "data:text")), value
            assert "evil.example" not in value
    text = "".join(parsed.text)
    assert (
        '<script>alert("x")</script>' in text
        and '=HYPERLINK("http://evil.example/","open")' in text
    )


@pytest.fixture
def exported(engine: Engine) -> dict[str, bytes]:
    """A chapter whose practice summary carries a script, a javascript: link and a formula, in all formats."""
    w = factories.world(engine)
    city = factories.organisation(engine, "Ghent")
    with write_session(engine) as s:
        practice = practices.create_practice(
            s, w.facilitator, w.community.id, title=PRACTICE, organisation_id=city, summary=PAYLOAD
        )
        practices.approve_practice(s, w.facilitator, practice.id, practice.version)
        edition = toolkit.create_toolkit(s, w.admin, title="Toolkit", year=2021)
        chapter = toolkit.add_chapter(
            s, w.admin, edition.id, w.community.id, title="Chapter of the community"
        )
        toolkit_sections.add_section(
            s, w.member, chapter.id, "free_text", title=TITLES[0], body="Text with a bell\x07."
        )
        toolkit_sections.add_section(
            s,
            w.member,
            chapter.id,
            "practices",
            title=TITLES[1],
            settings={"practice_ids": [practice.id]},
        )
        toolkit_sections.add_section(s, w.member, chapter.id, "key_results", title=TITLES[2])
        toolkit_sections.add_section(
            s, w.member, chapter.id, "lessons_learned", title=TITLES[3], body=PAYLOAD
        )
        chapter_id = chapter.id
    return {
        fmt: toolkit_export.export_chapter(
            w.member, chapter_id, fmt, draft=True, engine=engine
        ).data
        for fmt in toolkit_export.FORMATS
    }


def _docx_headings(data: bytes) -> list[str]:
    document = python_docx.Document(io.BytesIO(data))
    return [
        p.text
        for p in document.paragraphs
        if p.style.name in ("Heading 1", "Heading 2", "Heading 3")
    ]


def _pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


def test_every_format_carries_the_same_section_titles(exported: dict[str, bytes]) -> None:
    expected = ["Chapter of the community", *TITLES[:2], PRACTICE, *TITLES[2:]]
    markdown_headings = [
        line.lstrip("#").strip()
        for line in exported["md"].decode().splitlines()
        if line.startswith(("# ", "## ", "### "))
    ]
    assert markdown_headings[1:] == expected  # the first is the edition's title
    assert _parse(exported["html"].decode()).headings == expected
    assert _docx_headings(exported["docx"]) == expected
    text = _pdf_text(exported["pdf"])
    assert all(title in text for title in expected)
    assert (
        text.rindex(TITLES[0]) < text.rindex(PRACTICE) < text.rindex(TITLES[3])
    )  # after the contents


def test_script_javascript_link_and_formula_are_inert_in_every_format(
    exported: dict[str, bytes],
) -> None:
    _assert_inert_html(exported["html"].decode())
    # Markdown: render it as the most permissive viewer would (raw HTML on, any link scheme).
    viewer = MarkdownIt("commonmark", {"html": True})
    viewer.validateLink = lambda url: True  # type: ignore[method-assign]
    _assert_inert_html(viewer.render(exported["md"].decode()))
    # DOCX: the words are plain text; no hyperlink and no field but the contents and page number.
    document = python_docx.Document(io.BytesIO(exported["docx"]))
    xml = document.element.xml
    assert "<script>" not in xml and "&lt;script&gt;alert" in xml
    instructions = [
        node.text.strip() for node in document.element.iter() if node.tag.endswith("}instrText")
    ]
    assert instructions and all(i.startswith(("TOC", "PAGE")) for i in instructions)
    assert not [r for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert "=HYPERLINK(" in "\n".join(p.text for p in document.paragraphs)
    # PDF: no script actions, no link annotation to the payload's targets.
    reader = PdfReader(io.BytesIO(exported["pdf"]))
    assert "/JavaScript" not in reader.trailer["/Root"].get("/Names", {})
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A", {})
            assert action.get("/S") != "/JavaScript"
            uri = str(action.get("/URI", "")).lower()
            assert not uri.startswith("javascript:") and "evil.example" not in uri
    assert '=HYPERLINK("http://evil.example/","open")' in "".join(
        _pdf_text(exported["pdf"]).split()
    )


def test_control_characters_are_dropped_from_docx_instead_of_failing() -> None:
    document = Document(
        "Title\x00",
        blocks=[
            Heading(1, "Bad\x01title"),
            Paragraph("a\x00b\x07c \ud800end"),
            Table(["col\x0b"], [["cell\x1f"]]),
            PracticeBox("Box\x02", [("City\x03", "Ghent\x04")], [("Summary", "text\x05")]),
        ],
    ).number_anchors()
    data = docx.render(document)
    read = python_docx.Document(io.BytesIO(data))
    assert _docx_headings(data)[:2] == ["Badtitle", "Box"]
    assert any(p.text == "abc end" for p in read.paragraphs)
    assert read.tables[0].rows[1].cells[0].text == "cell"


def test_pdf_rendering_fetches_nothing_outside_the_document() -> None:
    pixel = Document("x", blocks=[Figure("A chart", "alt", _png())]).number_anchors()
    source = (
        html.render(pixel)
        .replace(
            "</body>",
            '<img src="http://127.0.0.1:9/tracker.png"><img src="file:///etc/hostname">'
            '<link rel="stylesheet" href="https://example.org/style.css"></body>',
        )
        .replace("<style>", "<style>@import url('https://example.org/more.css');")
    )
    fetcher = pdf.DataOnlyFetcher()
    data = pdf.render_html(source, fetcher)
    assert data.startswith(b"%PDF")
    refused = " ".join(fetcher.refused)
    assert "127.0.0.1:9" in refused and "etc/hostname" in refused and "example.org" in refused
    assert not any(url.startswith("data:") for url in fetcher.refused)


def test_html_allow_list_keeps_only_own_images_and_safe_links() -> None:
    cleaned = html.sanitise(
        '<img src="http://example.org/x.png"><img src="data:image/png;base64,AAAA">'
        '<a href="data:text/html,hi">d</a><a href=" javascript:alert(1)">j</a><a href="https://ok.example">ok</a>'
        '<iframe src="https://x"></iframe><p onclick="x()" style="color:red">p</p>'
    )
    assert "example.org/x.png" not in cleaned and 'src="data:image/png;base64,AAAA"' in cleaned
    assert (
        "data:text" not in cleaned
        and "javascript" not in cleaned
        and "https://ok.example" in cleaned
    )
    assert "iframe" not in cleaned and "onclick" not in cleaned and "style" not in cleaned


def test_a_frozen_document_comes_back_exactly_from_json() -> None:
    document = Document(
        "T",
        "2021",
        "de",
        "CC BY",
        [
            TOC(),
            Heading(1, "Kapitel"),
            Paragraph("**fett**"),
            PracticeBox("P", [("City", "Graz")], [("S", "x")]),
            Table(["a", "b"], [["1", "2"]], "caption"),
            Figure("c", "alt", b"\x89PNG...", b"<svg/>"),
        ],
    ).number_anchors()
    assert Document.from_json(document.to_json()) == document


def test_two_exports_run_at_once_and_a_third_waits_with_a_message() -> None:
    holding, release = threading.Barrier(3), threading.Event()

    def hold() -> None:
        with limiter.export_slot():
            holding.wait()
            release.wait(10)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for thread in threads:
        thread.start()
    holding.wait()
    messages: list[str] = []
    with pytest.raises(limiter.ExportBusy):
        with limiter.export_slot(messages.append, timeout=0.2):
            pass
    assert messages and "Waiting for a free export slot" in messages[0]
    release.set()
    for thread in threads:
        thread.join()
    with limiter.export_slot(messages.append, timeout=1):
        assert len(messages) == 1  # a free slot: no waiting message this time


def test_the_key_results_infographic_downloads_as_png_and_svg(engine: Engine) -> None:
    w = factories.world(engine)
    with write_session(engine) as s:
        edition = toolkit.create_toolkit(s, w.admin, title="Toolkit", year=2021)
        chapter_id = toolkit.add_chapter(s, w.admin, edition.id, w.community.id).id
    with toolkit_export.snapshot_session(engine) as s:
        png, svg = toolkit_export.chapter_infographic(s, w.member, chapter_id, draft=True)  # type: ignore[misc]
        assert (
            toolkit_export.chapter_infographic(s, w.observer, chapter_id) is None
        )  # nothing approved yet
    assert png.startswith(b"\x89PNG") and b"<svg" in svg[:200]


def _png() -> bytes:
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )


def test_demo_toolkit_docx_opens_in_libreoffice(sqlite_url: str, tmp_path: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                "CI=true but LibreOffice is not installed (make system-packages installs it)"
            )
        pytest.skip("LibreOffice is not installed; `make system-packages` (as root) installs it")
    engine = get_engine(sqlite_url)
    load_demo(engine)
    with toolkit_export.snapshot_session(engine) as s:
        # The English edition: a German one's section titles are German (Zentrale Ergebnisse).
        edition_id = next(t.id for t in toolkit.list_toolkits(s) if t.language == "en")
    exported = toolkit_export.export_toolkit(SYSTEM, edition_id, "docx", drafts=True, engine=engine)
    source = tmp_path / "toolkit.docx"
    source.write_bytes(exported.data)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    converted = PdfReader(tmp_path / "toolkit.pdf")
    text = " ".join(page.extract_text() for page in converted.pages)
    assert len(converted.pages) > 5
    for title in (
        "Key results",
        "Workshops and visits",
        "Joint actions",
        "Lessons learned",
        "Practice examples",
    ):
        assert title in text


def test_download_file_names_keep_whole_words(engine: Engine) -> None:
    """A long title is shortened at a word boundary: "...-for-the-integration", never "...-for-the-inte"."""
    w = factories.world(engine)
    edition_title = "Volunteering for the integration of migrants and refugees in European cities"
    chapter_title = "Welcoming newcomers through neighbourhood mentoring programmes"
    with write_session(engine) as s:
        edition = toolkit.create_toolkit(s, w.admin, title=edition_title, year=2021)
        chapter = toolkit.add_chapter(s, w.admin, edition.id, w.community.id, title=chapter_title)
        toolkit_sections.add_section(s, w.member, chapter.id, "free_text", title="Intro", body="x")
        chapter_id, edition_id = chapter.id, edition.id
    chapter_file = toolkit_export.export_chapter(
        w.member, chapter_id, "md", draft=True, engine=engine
    )
    edition_file = toolkit_export.export_toolkit(
        SYSTEM, edition_id, "md", drafts=True, engine=engine
    )
    words = set(f"{edition_title} {chapter_title}".lower().split()) | {"draft", "drafts", "2021"}
    for name in (chapter_file.filename, edition_file.filename):
        stem = name.rsplit(".", 1)[0]
        assert len(stem) <= 100, name
        assert set(stem.split("-")) <= words, name
    assert chapter_file.filename.startswith("volunteering-for-the-integration")
    assert "welcoming-newcomers" in chapter_file.filename
