"""The key-results infographic read back: its figures and text alternative, labels that never
overlap, whole counts, the cluster's colour (the same in every file, legible at 4.5:1), and the
same picture in the PDF (after its cover page), the DOCX, the HTML, the Markdown and the site.

Issue 17, defect 10: the status names overlapped, the headline captions ran into each other,
and a count of one workshop showed a tick at 0.5. Issue 21, item 3: one designed infographic.
"""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
import zipfile

import docx as python_docx
from pypdf import PdfReader
from sqlmodel import select

from cop.core.db import read_session
from cop.core.permissions import SYSTEM
from cop.export import charts
from cop.export.key_results import KeyResults
from cop.map.chart import outline
from cop.publishing import service as publishing
from cop.toolkit import export as toolkit_export
from cop.toolkit.models import Chapter

SVG = "{http://www.w3.org/2000/svg}"
WHITE = "#ffffff"


def _results(**changes: object) -> KeyResults:
    values: dict[str, object] = {
        "community": "Welcoming newcomers in the neighbourhoods of European cities",
        "community_id": 3,
        "workshops_held": 14,
        "study_visits": 4,
        "cities": 6,
        "actions": 23,
        "actions_done": 9,
        "practices": 7,
        "held_by_year": [(2024, 3, 1), (2025, 5, 2), (2026, 2, 1)],
        "actions_by_status": [
            ("idea", 1),
            ("planned", 5),
            ("in_progress", 6),
            ("done", 9),
            ("dropped", 2),
        ],
        "scores_by_standard": [
            ("Newcomers are welcomed from their first week in the city and beyond", 2.4, 5),
            ("Volunteers are trained", 3.1, 4),
        ],
        "first_scores": [1.2, None],
        "city_places": [
            ("Düsseldorf", 51.22, 6.78),
            ("Oslo", 59.91, 10.75),
            ("Thessaloniki", 40.64, 22.94),
            ("Lisbon", 38.72, -9.14),
            ("Helsinki", 60.17, 24.94),
            ("Nowhere yet", None, None),
        ],
    }
    values.update(changes)
    return KeyResults(**values)  # type: ignore[arg-type]


def _svg(results: KeyResults, language: str = "en") -> ET.Element:
    return ET.fromstring(charts.infographic_svg(results, language, outline()).encode())


def _texts(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{SVG}text")]


def _words(root: ET.Element) -> list[str]:
    return [t.text or "" for t in _texts(root)]


def test_the_svg_shows_every_headline_figure_and_carries_its_text_alternative() -> None:
    root = _svg(_results())
    words = _words(root)
    for value, label in [
        ("14", "workshops and"),
        ("4", "of them study"),
        ("6", "cities taking"),
        ("9", "of 23 joint"),
        ("7", "practice"),
    ]:
        assert value in words and any(w.startswith(label) for w in words), (value, label, words)
    assert {"Idea", "Planned", "In progress", "Done", "Dropped"} <= set(words)
    assert {"2024", "2025", "2026"} <= set(words)
    assert "Member cities (5 of 6 on the map)" in words
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == "ig-title ig-desc"
    alternative = desc.text or ""
    assert alternative == charts.text_alternative(_results())
    for said in (
        "Workshops and visits held: 14 (study visits among them: 4)",
        "Cities taking part: 6",
        "Joint actions done: 9 of 23",
        "Practice examples: 7",
    ):
        assert said in alternative
    assert "2025: workshops 5, study visits 2" in alternative
    assert "in the city and beyond 2.4 (first 1.2)" in alternative
    assert "Volunteers are trained 3.1" in alternative
    assert "Düsseldorf" in alternative and "Nowhere yet" in alternative


def test_the_member_cities_are_drawn_inside_the_small_map() -> None:
    root = _svg(_results())
    maps = [s for s in root.iter(f"{SVG}svg") if s is not root]
    assert len(maps) == 1
    box = maps[0]
    width, height = float(box.get("width", 0)), float(box.get("height", 0))
    cities = [c for c in box.iter(f"{SVG}circle")]
    assert [c.find(f"{SVG}title").text for c in cities] == [  # type: ignore[union-attr]
        "Düsseldorf",
        "Oslo",
        "Thessaloniki",
        "Lisbon",
        "Helsinki",
    ]
    for city in cities:
        assert 0 < float(city.get("cx", -1)) < width and 0 < float(city.get("cy", -1)) < height
    # Oslo lies north of Düsseldorf, Lisbon west of it: the projection is the right way up.
    at = {c.find(f"{SVG}title").text: c for c in cities}  # type: ignore[union-attr]
    assert float(at["Oslo"].get("cy", 0)) < float(at["Düsseldorf"].get("cy", 0))
    assert float(at["Lisbon"].get("cx", 0)) < float(at["Düsseldorf"].get("cx", 0))
    assert box.find(f"{SVG}path") is not None  # the outline of Europe


def _box(node: ET.Element) -> tuple[float, float, float, float]:
    size = float(node.get("font-size", 12))
    width = charts.text_width(node.text or "", size, node.get("font-weight") == "bold")
    x, y = float(node.get("x", 0)), float(node.get("y", 0))
    anchor = node.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return left, y - size * 0.8, left + width, y + size * 0.2


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_no_label_runs_into_another_in_english_or_german_nor_leaves_the_picture() -> None:
    crowded = _results(
        held_by_year=[(year, 3, 1) for year in range(2015, 2027)],
        actions=12345,
        scores_by_standard=[
            (f"Standard number {n} with a long title " * 3, 2.0, 3) for n in range(12)
        ],
    )
    for language in ("en", "de"):
        for results in (_results(), crowded, _results(held_by_year=[], actions_by_status=[])):
            root = _svg(results, language)
            width = float(root.get("width", 0))
            boxes = [(_box(t), t.text) for t in _texts(root)]
            for box, text in boxes:
                assert 0 <= box[0] and box[2] <= width, (language, text, box)
            for index, (box, text) in enumerate(boxes):
                for other, other_text in boxes[index + 1 :]:
                    assert not _overlaps(box, other), (language, text, other_text)


def test_count_axes_show_whole_numbers_only() -> None:
    root = _svg(_results(held_by_year=[(2025, 1, 0)]))
    ticks = [t.text for t in _texts(root) if t.get("text-anchor") == "end" and t.text]
    numbers = [t for t in ticks if re.fullmatch(r"[\d.]+", t) and "." not in t]
    assert numbers and not [t for t in ticks if re.fullmatch(r"\d+\.\d+", t) and float(t) < 1]
    assert not [w for w in _words(root) if w in ("0.5", "1.5")]


def test_a_community_keeps_its_colour_everywhere_and_every_colour_reads_at_4_5_to_1() -> None:
    assert charts.cluster_colour(3) == charts.cluster_colour(3)
    assert len({charts.cluster_colour(n) for n in range(1, len(charts.PALETTE) + 1)}) == len(
        charts.PALETTE
    )
    for colour in charts.PALETTE:
        assert charts.contrast(colour, WHITE) >= 4.5, colour  # the band's white text
        assert charts.contrast(colour, charts.tint(colour)) >= 4.5, colour  # figures on tiles
        assert charts.contrast(charts.INK, charts.tint(colour)) >= 4.5, colour
    assert charts.contrast(charts.MUTED, WHITE) >= 4.5
    colour = charts.cluster_colour(3)
    english, german = _svg(_results()), _svg(_results(), "de")
    assert english.get("data-cluster-colour") == german.get("data-cluster-colour") == colour
    fills = {t.get("fill") for t in _texts(english)}
    assert fills <= {charts.INK, charts.MUTED, WHITE, colour}, fills
    other = _svg(_results(community_id=4))
    assert other.get("data-cluster-colour") != colour


def test_the_infographic_speaks_the_documents_language() -> None:
    root = _svg(_results(), "de")
    words = _words(root)
    assert "ZENTRALE ERGEBNISSE" in words
    assert "Workshops und Besuche pro Jahr" in words
    assert "In Arbeit" in words
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    assert "Abgehaltene Workshops und Besuche: 14" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_the_png_is_drawn_from_the_svg() -> None:
    png, svg = charts.infographic(_results(), "en", outline())
    assert png.startswith(b"\x89PNG") and b"data-cluster-colour" in svg


# --- the same picture in every file ------------------------------------------------------------


def _approved_chapter() -> tuple[Chapter, str]:
    with read_session() as s:
        chapter = s.exec(select(Chapter).where(Chapter.approved_number > 0)).first()
        assert chapter is not None, "the demo has an approved chapter"
        return chapter, charts.cluster_colour(chapter.community_id)


def _svg_in(data: str) -> ET.Element:
    found = re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", data)
    assert found, "an SVG data image"
    return ET.fromstring(base64.b64decode(found.group(1)))


def test_the_pdf_opens_with_a_cover_page_then_carries_the_infographic(demo_db: str) -> None:
    chapter, _colour = _approved_chapter()
    made = toolkit_export.export_chapter(SYSTEM, chapter.id, "pdf")
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(made.data)).pages]
    with read_session() as s:
        document = toolkit_export.chapter_export_document(s, SYSTEM, chapter.id)
    cover = " ".join(pages[0].split())
    assert " ".join(document.title.split()) in cover
    assert document.clusters[0][0] in cover  # the cluster, beside its colour
    assert "Made on" in cover and document.licence in cover
    assert chapter.title not in cover.replace(document.clusters[0][0], "")  # no chapter text yet
    shown = [n for n, text in enumerate(pages) if "KEY RESULTS" in text]
    assert shown and shown[0] > 0
    assert "workshops and" in pages[shown[0]] and "Joint actions by status" in pages[shown[0]]


def test_the_docx_holds_the_infographic_as_an_image_with_its_text_alternative(demo_db: str) -> None:
    chapter, _colour = _approved_chapter()
    made = toolkit_export.export_chapter(SYSTEM, chapter.id, "docx")
    document = python_docx.Document(io.BytesIO(made.data))
    described = [shape._inline.docPr.get("descr") or "" for shape in document.inline_shapes]
    assert any(
        d.startswith("Key results of") and "Workshops and visits held:" in d for d in described
    )


def test_html_markdown_and_the_site_carry_the_same_svg_and_its_alternative(demo_db: str) -> None:
    chapter, colour = _approved_chapter()
    page = toolkit_export.export_chapter(SYSTEM, chapter.id, "html").data.decode()
    image = re.search(r'<img src="data:image/svg\+xml[^"]*" alt="([^"]+)"', page)
    assert image and image.group(1).startswith("Key results of")
    assert "Workshops and visits held:" in image.group(1)
    html_svg = _svg_in(page)
    assert html_svg.get("data-cluster-colour") == colour
    assert html_svg.find(f"{SVG}desc") is not None
    text = toolkit_export.export_chapter(SYSTEM, chapter.id, "md").data.decode()
    assert re.search(r"!\[Key results of [^\]]+\]\(data:image/svg\+xml;base64,", text)
    assert _svg_in(text).get("data-cluster-colour") == colour

    publishing.publish(SYSTEM, chapter.toolkit_id)
    with read_session() as s:
        archive = publishing.site_archive(s, chapter.toolkit_id)
    assert archive is not None
    site = zipfile.ZipFile(io.BytesIO(archive))
    figures = [n for n in site.namelist() if n.endswith(".svg") and "/figures/" in f"/{n}"]
    assert figures, site.namelist()
    site_svg = ET.fromstring(site.read(figures[0]))
    assert site_svg.get("data-cluster-colour") == colour
    assert site_svg.find(f"{SVG}desc") is not None
    pages = [site.read(n).decode() for n in site.namelist() if n.endswith(".html")]
    name = figures[0].rsplit("/", 1)[1]
    shown = [p for p in pages if name in p]
    assert shown and re.search(rf'<img src="[^"]*{re.escape(name)}" alt="Key results of', shown[0])


def test_the_figures_table_writes_numbers_as_the_readers_language_does() -> None:
    results = KeyResults("Welcome", attendances=12345, average_score=2.7, average_progress=28.4)
    english = dict(results.figures(str, "en"))
    german = dict(results.figures(str, "de"))
    score = "Average self-assessment score (0-4, shared scores)"
    assert (english["Attendances"], english[score]) == ("12,345", "2.7")
    assert (german["Attendances"], german[score]) == ("12.345", "2,7")
    assert german["Average progress of open actions"] == "28 %"


def test_the_german_infographic_writes_scores_with_a_decimal_comma() -> None:
    results = _results()
    mean = results.scores_by_standard[0][1]
    german, english = f"{mean:.1f}".replace(".", ","), f"{mean:.1f}"
    root = _svg(results, "de")
    assert german in _words(root) and english not in _words(root)
    desc = root.find(f"{SVG}desc")
    assert desc is not None and german in (desc.text or "")
    assert english in _words(_svg(results, "en"))
