"""Issue 23: the Word file is readable by screen readers: images carry alt text, headings use
Word's real heading styles, and a table's first row is marked as its header row."""

from __future__ import annotations

import base64
import io

from docx import Document as DocxDocument
from docx.oxml.ns import qn

from cop.export import docx
from cop.export.document import Document, Figure, Heading, Paragraph, Table

PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_images_have_alt_text_headings_their_styles_and_tables_a_header_row() -> None:
    document = Document(
        title="Toolkit",
        blocks=[
            Heading(1, "Welcoming culture"),
            Heading(2, "Joint actions"),
            Paragraph("Thirty actions in four cities."),
            Figure("Actions by status", "12 done, 10 in progress, 8 planned", PIXEL),
            Table(["Action", "City"], [["Language café", "Ghent"], ["Library desk", "Lyon"]]),
        ],
    )
    word = DocxDocument(io.BytesIO(docx.render(document)))
    styles = {p.text: p.style.name for p in word.paragraphs if p.text}
    assert styles["Welcoming culture"] == "Heading 1"
    assert styles["Joint actions"] == "Heading 2"
    pictures = word.element.body.findall(".//" + qn("wp:docPr"))
    assert [p.get("descr") for p in pictures] == ["12 done, 10 in progress, 8 planned"]
    (table,) = word.tables
    first, second = table.rows[0]._tr, table.rows[1]._tr
    assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
    assert second.trPr is None or second.trPr.find(qn("w:tblHeader")) is None
