"""PDF pages read back with pypdf: no page left nearly blank, a heading never alone at a page foot.

Issue 17, defect 11: nearly blank pages where a practice box did not fit on what was left of a
page, and the "Joint actions" heading printed apart from its table.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from cop.export import pdf
from cop.export.document import Document, Heading, Paragraph, PracticeBox, Table

FILLER = (
    "Volunteers who speak the newcomers' languages welcomed them at the library desks, "
    "and the city's staff learnt from them what a first week in a new city needs. "
)


def _pages(document: Document) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.render(document))).pages]


@pytest.mark.parametrize("paragraphs", [2, 6, 10])
def test_a_practice_box_taller_than_the_rest_of_a_page_leaves_no_page_nearly_blank(
    paragraphs: int,
) -> None:
    box = PracticeBox(
        "Library desks",
        [("City", "Ghent")],
        [(f"Field {n}", FILLER * 3) for n in range(12)],
    )
    document = Document(
        title="Toolkit",
        blocks=[
            Heading(1, "Welcoming culture"),
            *[Paragraph(FILLER * 2) for _ in range(paragraphs)],
            Heading(2, "Practice examples"),
            box,
        ],
    )
    pages = _pages(document)
    body = pages[1:-1]  # the cover and the last page may be short
    assert all(len(text) > 600 for text in body), [len(text) for text in pages]


@pytest.mark.parametrize("paragraphs", range(8, 16))
def test_the_joint_actions_heading_is_printed_with_its_table(paragraphs: int) -> None:
    document = Document(
        title="Toolkit",
        blocks=[
            Heading(1, "Welcoming culture"),
            *[Paragraph(FILLER * 2) for _ in range(paragraphs)],
            Heading(2, "Joint actions"),
            Paragraph("Joint actions: 30; cities and organisations leading them: 4; done: 12."),
            Table(
                ["Action", "City", "Status"], [[f"Action {n}", "Ghent", "done"] for n in range(30)]
            ),
        ],
    )
    for text in _pages(document):
        if "Joint actions" in text:
            assert "Action 0" in text, text[-300:]
