"""Export times for a large chapter, next to the underlying libraries, and the demo toolkit's whole PDF.

Method: a throwaway SQLite file gets one community with 20 cities, 200 held
or closed workshops (1,000 attendances, 150 insights), 100 approved
practices, 300 joint actions and 6 standards with shared scores (bulk
inserts of the real models, after the people were made through the
services). Its chapter has one section of every kind; the practices section
shows all 100 practices. The chapter's document is built once (one
snapshot); then each format is rendered ``RUNS`` times after a warm-up and
the median is kept:

- Markdown: ``cop.export.markdown`` (no library to compare with);
- DOCX: ``cop.export.docx`` next to python-docx writing the same blocks
  directly (headings, the Markdown source as plain paragraphs, tables, the
  picture): the price of styles, runs, lists, shading and the fields;
- PDF: ``cop.export.pdf`` next to WeasyPrint printing the very same HTML
  with its defaults: the price of the print stylesheet and the data-only
  fetcher. A 230-page print takes half a minute, so the warm-up is a
  one-page print through both (fonts and Pango loaded), and the two then
  take turns run by run, so the machine's drift hits both alike.

Then the demo workspace's whole toolkit (every chapter's draft, charts
included) is exported to PDF once, end to end, in seconds.
"""

from __future__ import annotations

import io
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import docx as python_docx
import weasyprint
from docx.shared import Cm
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cop.registry  # noqa: E402, F401  (every table; a benchmark is an entry point)
from cop.actions.models import Action
from cop.backup.demo import load_demo  # noqa: E402
from cop.communities import people
from cop.communities import service as communities
from cop.core import db, schema  # noqa: E402
from cop.core.permissions import SYSTEM  # noqa: E402
from cop.export import docx, html, markdown, pdf  # noqa: E402
from cop.export.document import Document, Figure, Heading, Paragraph, PracticeBox, Table  # noqa: E402
from cop.practices.models import Practice, SelfAssessment, Standard
from cop.toolkit import export as toolkit_export
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit  # noqa: E402
from cop.workshops.models import Attendance, Outcome, Workshop

RUNS = 3
RESULTS = ROOT / "benchmarks" / "results"
KINDS = [
    "free_text",
    "standards",
    "practices",
    "key_results",
    "workshop_timeline",
    "actions_summary",
    "lessons_learned",
]
TEXT = (
    "Volunteers meet newcomers **every week** in the district library; the city's contact person "
    "answers within a week. See [the guide](https://example.org/guide).\n\n- first step\n- second step"
)


def _median(work: Callable[[], object], runs: int = RUNS) -> float:
    work()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def build_workspace(url: str, rng: random.Random) -> tuple[int, int]:
    """The large chapter's workspace; returns (toolkit id, chapter id)."""
    engine = db.get_engine(url)
    schema.upgrade(engine)
    with db.write_session(engine) as s:
        community = communities.create_community(s, SYSTEM, name="Large community", slug="large")
        cities = [
            people.create_organisation(s, SYSTEM, name=f"City {i:02d}", country="BE").id
            for i in range(20)
        ]
        persons = []
        for i in range(40):
            person = people.create_person(
                s, SYSTEM, name=f"Person {i:02d}", organisation_id=cities[i % 20]
            )
            communities.add_member(s, SYSTEM, community.id, person.id, "member")  # type: ignore[arg-type]
            persons.append(person.id)
        start = datetime(2019, 1, 7, 9, tzinfo=UTC)
        workshops = [
            Workshop(
                community_id=community.id,
                title=f"Workshop {i:03d} on welcome points",
                kind="workshop",
                format="in_person",
                place="Town hall",
                starts_at=start + timedelta(days=9 * i),
                ends_at=start + timedelta(days=9 * i, hours=4),
                time_zone="Europe/Brussels",
                host_organisation_id=cities[i % 20],
                status="closed" if i < 150 else "held",
                minutes=TEXT,
            )
            for i in range(200)
        ]
        s.add_all(workshops)
        s.flush()
        s.add_all(
            Attendance(workshop_id=w.id, person_id=persons[(i + k) % 40], attended=True)
            for i, w in enumerate(workshops)
            for k in range(5)
        )
        s.add_all(
            Outcome(
                workshop_id=w.id,
                kind="insight",
                text=f"Insight {i}: volunteers stay when they have one contact.",
            )
            for i, w in enumerate(workshops[:150])
        )
        practices = [
            Practice(
                community_id=community.id,
                title=f"Practice {i:03d}: buddies for newcomers",
                organisation_id=cities[i % 20],
                started_on=date(2018, 1 + i % 12, 1),
                status="approved",
                summary=TEXT,
                challenge=TEXT,
                goals=TEXT,
                how_it_works=TEXT,
                results=TEXT,
                evaluation=TEXT,
                beneficiaries="Newcomers and residents.",
                funding="City budget.",
                transfer_needs=TEXT,
                themes=["Mentoring"],
                target_groups=["Newcomers"],
                people_reached=100 + i,
            )
            for i in range(100)
        ]
        s.add_all(practices)
        statuses = ["idea", "planned", "in_progress", "done", "dropped"]
        s.add_all(
            Action(
                community_id=community.id,
                title=f"Action {i:03d}: open a welcome point",
                owner_person_id=persons[i % 40],
                due_date=date(2024, 1, 1) + timedelta(days=3 * i),
                status=statuses[i % 5],
                progress=rng.randrange(0, 101),
            )
            for i in range(300)
        )
        standards = [
            Standard(
                community_id=community.id,
                position=i,
                title=f"Standard {i}",
                statement=TEXT,
                success_factors=TEXT,
                status="approved",
            )
            for i in range(6)
        ]
        s.add_all(standards)
        s.flush()
        s.add_all(
            SelfAssessment(
                community_id=community.id,
                standard_id=st.id,
                organisation_id=city,
                score=rng.randrange(0, 5),
                assessed_on=date(2024, 6, 1),
                shared_beyond_community=True,
            )
            for st in standards
            for city in cities
        )
        edition = toolkit.create_toolkit(s, SYSTEM, title="Benchmark toolkit", year=2024)
        chapter = toolkit.add_chapter(s, SYSTEM, edition.id, community.id)
        for kind in KINDS:
            settings = {"practice_ids": [p.id for p in practices]} if kind == "practices" else {}
            toolkit_sections.add_section(s, SYSTEM, chapter.id, kind, body=TEXT, settings=settings)
        return edition.id, chapter.id  # type: ignore[return-value]


def _pdf_medians(document: Document, source: str) -> dict[str, float]:
    """Ours and direct WeasyPrint on the same chapter, in turns; the page count read back from our file."""
    tiny = Document(title="Warm-up", blocks=[Paragraph(markdown="One page.")])
    pdf.render(tiny)
    weasyprint.HTML(string=html.render(tiny)).write_pdf(pdf_variant="pdf/ua-1")
    ours, direct, data = [], [], b""
    for _ in range(RUNS):
        started = time.perf_counter()
        data = pdf.render(document)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        weasyprint.HTML(string=source).write_pdf(pdf_variant="pdf/ua-1")
        direct.append(time.perf_counter() - started)
    return {
        "pdf_s": statistics.median(ours),
        "pdf_direct_s": statistics.median(direct),
        "pdf_pages": len(PdfReader(io.BytesIO(data)).pages),
    }


def direct_docx(document: Document) -> bytes:
    """The same blocks written straight with python-docx, without our styling and Markdown runs."""
    out = python_docx.Document()
    out.add_paragraph(document.title, style="Title")
    for block in document.blocks:
        if isinstance(block, Heading):
            out.add_heading(block.text, min(block.level, 6))
        elif isinstance(block, Paragraph):
            out.add_paragraph(block.markdown)
        elif isinstance(block, PracticeBox):
            out.add_heading(block.title, 3)
            for label, value in block.facts + block.fields:
                out.add_paragraph(f"{label}: {value}")
        elif isinstance(block, Table):
            table = out.add_table(rows=1, cols=len(block.columns))
            for cell, name in zip(table.rows[0].cells, block.columns, strict=False):
                cell.text = name
            for row in block.rows:
                for cell, value in zip(table.add_row().cells, row, strict=False):
                    cell.text = value
        elif isinstance(block, Figure):
            out.add_picture(io.BytesIO(block.png), width=Cm(16))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def large_chapter(workdir: Path) -> dict[str, float]:
    url = f"sqlite:///{workdir / 'large.db'}"
    started = time.perf_counter()
    _toolkit_id, chapter_id = build_workspace(url, random.Random(1))
    setup = time.perf_counter() - started
    engine = db.get_engine(url)

    def build() -> Document:
        with toolkit_export.snapshot_session(engine) as session:
            return toolkit_export.chapter_export_document(session, SYSTEM, chapter_id, draft=True)

    document = build()
    source = html.render(document)
    figures = {
        "setup_s": setup,
        "document_s": _median(build),
        "markdown_s": _median(lambda: markdown.render(document)),
        "html_s": _median(lambda: html.render(document)),
        "docx_s": _median(lambda: docx.render(document)),
        "docx_direct_s": _median(lambda: direct_docx(document)),
        **_pdf_medians(document, source),
        "blocks": len(document.blocks),
        "markdown_chars": len(markdown.render(document)),
    }
    figures["docx_ratio"] = figures["docx_s"] / figures["docx_direct_s"]
    figures["pdf_ratio"] = figures["pdf_s"] / figures["pdf_direct_s"]
    db.dispose_engines()
    return figures


def demo_toolkit_pdf(workdir: Path) -> dict[str, float]:
    url = f"sqlite:///{workdir / 'demo.db'}"
    engine = db.get_engine(url)
    schema.upgrade(engine)
    load_demo(engine)
    with toolkit_export.snapshot_session(engine) as session:
        edition_id = toolkit.list_toolkits(session)[0].id
    started = time.perf_counter()
    exported = toolkit_export.export_toolkit(SYSTEM, edition_id, "pdf", drafts=True, engine=engine)
    seconds = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(exported.data)).pages)
    db.dispose_engines()
    return {
        "demo_toolkit_pdf_s": seconds,
        "demo_toolkit_pdf_bytes": len(exported.data),
        "demo_toolkit_pdf_pages": pages,
    }


def main() -> dict:
    with tempfile.TemporaryDirectory(prefix="cop-bench-exports-") as tmp:
        large = large_chapter(Path(tmp))
        demo = demo_toolkit_pdf(Path(tmp))
    result = {
        "runs": RUNS,
        "chapter": {"workshops": 200, "practices": 100, "actions": 300, **large},
        **demo,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "exports.json").write_text(json.dumps(result, indent=2))
    print(
        f"Large chapter: {large['blocks']} blocks, {large['markdown_chars']:,} characters of Markdown, "
        f"{large['pdf_pages']} PDF pages (median of {RUNS} runs after a warm-up)"
    )
    print(f"{'step':<24}{'ours s':>10}{'direct s':>10}{'ratio':>8}")
    print(f"{'document (records)':<24}{large['document_s']:>10.3f}")
    print(f"{'Markdown':<24}{large['markdown_s']:>10.3f}")
    print(f"{'HTML':<24}{large['html_s']:>10.3f}")
    print(
        f"{'DOCX (python-docx)':<24}{large['docx_s']:>10.3f}{large['docx_direct_s']:>10.3f}{large['docx_ratio']:>8.2f}"
    )
    print(
        f"{'PDF (WeasyPrint)':<24}{large['pdf_s']:>10.3f}{large['pdf_direct_s']:>10.3f}{large['pdf_ratio']:>8.2f}"
    )
    print(
        f"Demo toolkit, whole PDF with drafts and charts: {demo['demo_toolkit_pdf_s']:.1f} s "
        f"({demo['demo_toolkit_pdf_pages']} pages, {demo['demo_toolkit_pdf_bytes']:,} bytes)"
    )
    return result


if __name__ == "__main__":
    main()
