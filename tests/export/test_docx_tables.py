"""DOCX tables read back with python-docx: columns sized to their text, no word broken.

Issue 17, defect 12: equal column widths broke titles mid-word ("neighbourhoo d") when the
file was opened in LibreOffice or Word.
"""

from __future__ import annotations

import io

from docx import Document as DocxDocument
from docx.shared import Cm

from cop.export import docx
from cop.export.document import Document, Table

ROWS = [
    ["Welcoming neighbourhoods through volunteer-led language cafés", "Ghent", "2026", "done"],
    ["Buddy programme", "Zagreb", "2027", "in progress"],
]


def _grid_widths(data: bytes) -> list[float]:
    table = DocxDocument(io.BytesIO(data)).tables[0]
    return [column.width / Cm(1) for column in table.columns]


def test_columns_follow_their_text_and_every_word_fits() -> None:
    document = Document(
        title="Plan",
        blocks=[Table(["Title", "City", "Year", "Status"], [list(r) for r in ROWS])],
    )
    widths = _grid_widths(docx.render(document))
    assert len(widths) == 4
    assert abs(sum(widths) - docx.TEXT_WIDTH_CM) < 0.1
    assert widths[0] > 2 * widths[2], widths  # the title column gets the room
    for index, width in enumerate(widths):
        longest = max(
            len(word)
            for row in [["Title", "City", "Year", "Status"], *ROWS]
            for word in row[index].split()
        )
        assert width >= longest * docx.CM_PER_CHARACTER, (index, width, longest)


def test_every_cell_carries_its_width_for_word() -> None:
    document = Document(
        title="Plan", blocks=[Table(["Title", "Year"], [["Neighbourhood pacts", "2026"]])]
    )
    table = DocxDocument(io.BytesIO(docx.render(document))).tables[0]
    for column in table.columns:
        assert {cell.width for cell in column.cells} == {column.width}
