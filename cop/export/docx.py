"""The document as a Word file: real Heading 1-3 styles, a table of contents field, tables, images.

Word builds the table of contents from the heading styles when the field is
updated (the file asks to update fields on opening). Authors' Markdown is
written as runs and list/quote styles from ``mdtree``, so a ``<script>`` tag
or a ``javascript:`` link is plain text, and links keep their address in
brackets rather than becoming live hyperlinks. Characters XML cannot hold
(NUL and other control characters, lone surrogates) are dropped instead of
failing the whole export.
"""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from cop.export.document import (
    TOC,
    Document,
    Figure,
    Heading,
    Paragraph,
    PracticeBox,
    Table,
    xml_safe,
)
from cop.export.mdtree import Node, Span, parse

USER_HEADING_SHIFT = 3
MONOSPACE = "DejaVu Sans Mono"
BOX_SHADING = "EEF3F8"


def _field(paragraph: Any, instruction: str, result: list[str]) -> None:
    """A Word field (TOC, PAGE, ...) as begin / instruction / separate / result / end runs.

    ``result`` is what shows until the field is updated, one line each.
    """

    def char(kind: str) -> Any:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        run._r.append(element)
        return run

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    for index, line in enumerate(result):
        if index:
            paragraph.add_run().add_break(WD_BREAK.LINE)
        paragraph.add_run(xml_safe(line))
    char("end")


def _shade(cell: Any, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _rule(paragraph: Any) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "9FB3C8")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


class _Writer:
    """Writes blocks into a container (the document body or a table cell).

    Styles are set by their ids, looked up once per file: python-docx looks a
    style name up by scanning every style each time, which made a long
    chapter several times slower than writing it without styles.
    """

    def __init__(
        self, container: Any, styles: Any, style_ids: dict[str, str] | None = None
    ) -> None:
        self.container = container
        self.styles = styles
        self.style_ids = {} if style_ids is None else style_ids
        self.reuse: Any = None  # a cell's initial empty paragraph, used for its first line

    def style_id(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.styles[name].style_id
        return self.style_ids[name]

    def paragraph(self, style: str | None = None, text: str = "") -> Any:
        if self.reuse is not None:
            paragraph, self.reuse = self.reuse, None
        else:
            paragraph = self.container.add_paragraph()
        if style:
            paragraph._p.style = self.style_id(style)
        if text:
            paragraph.add_run(xml_safe(text))
        return paragraph

    def spans(self, paragraph: Any, spans: list[Span]) -> None:
        for span in spans:
            if span.line_break:
                paragraph.add_run().add_break(WD_BREAK.LINE)
                continue
            run = paragraph.add_run(xml_safe(span.text))
            if span.bold:
                run.bold = True
            if span.italic:
                run.italic = True
            if span.strike:
                run.font.strike = True
            if span.code:
                run.font.name = MONOSPACE
            if span.href and span.href != span.text:
                paragraph.add_run(f" ({xml_safe(span.href)})")

    def nodes(self, tree: list[Node], style: str | None = None, depth: int = 0) -> None:
        for node in tree:
            if node.kind == "para":
                self.spans(self.paragraph(style), node.spans)
            elif node.kind == "heading":
                level = min(node.level + USER_HEADING_SHIFT, 6)
                self.spans(self.paragraph(f"Heading {level}"), node.spans)
            elif node.kind == "list":
                self._list(node, depth)
            elif node.kind == "quote":
                self.nodes(node.children, "Quote", depth)
            elif node.kind == "code":
                paragraph = self.paragraph(style)
                for index, line in enumerate(node.text.split("\n")):
                    if index:
                        paragraph.add_run().add_break(WD_BREAK.LINE)
                    paragraph.add_run(xml_safe(line)).font.name = MONOSPACE
            elif node.kind == "rule":
                _rule(self.paragraph())
            elif node.kind == "table" and node.rows:
                table = self._grid(len(node.rows[0]))
                for number, row in enumerate(node.rows):
                    cells = table.rows[0].cells if number == 0 else table.add_row().cells
                    for cell, spans in zip(cells, row, strict=False):
                        self.spans(
                            cell.paragraphs[0],
                            [
                                Span(
                                    s.text,
                                    number == 0 or s.bold,
                                    s.italic,
                                    s.strike,
                                    s.code,
                                    s.href,
                                )
                                for s in spans
                            ],
                        )

    def _list(self, node: Node, depth: int) -> None:
        base = "List Number" if node.ordered else "List Bullet"
        style = base if depth == 0 else f"{base} {min(depth + 1, 3)}"
        for item in node.children:
            for child in item.children:
                if child.kind == "para":
                    self.spans(self.paragraph(style), child.spans)
                elif child.kind == "list":
                    self._list(child, depth + 1)
                else:
                    self.nodes([child], None, depth + 1)

    def _grid(self, columns: int) -> Any:
        table = self.container.add_table(rows=1, cols=max(columns, 1))
        table._tbl.tblStyle_val = self.style_id("Table Grid")
        return table

    def markdown(self, text: str) -> None:
        self.nodes(parse(xml_safe(text)))

    def table(self, block: Table) -> None:
        if block.caption:
            self.paragraph("Caption").add_run(xml_safe(block.caption))
        table = self._grid(len(block.columns))
        _mark_header_row(table.rows[0])
        for cell, name in zip(table.rows[0].cells, block.columns, strict=False):
            cell.paragraphs[0].add_run(xml_safe(name)).bold = True
        for row in block.rows:
            for cell, value in zip(table.add_row().cells, row, strict=False):
                cell.text = xml_safe(value)
        _set_widths(table, column_widths([block.columns, *block.rows], TEXT_WIDTH_CM))

    def practice(self, box: PracticeBox) -> None:
        self.paragraph("Heading 3").add_run(xml_safe(box.title))
        table = self._grid(1)
        cell = table.rows[0].cells[0]
        _shade(cell, BOX_SHADING)
        inner = _Writer(cell, self.styles, self.style_ids)
        inner.reuse = cell.paragraphs[0]
        for label, value in box.facts:
            paragraph = inner.paragraph()
            paragraph.add_run(xml_safe(label) + ": ").bold = True
            paragraph.add_run(xml_safe(value))
        for label, markdown in box.fields:
            inner.paragraph().add_run(xml_safe(label)).bold = True
            inner.markdown(markdown)
        self.paragraph()

    def figure(self, block: Figure) -> None:
        run = self.paragraph().add_run()
        shape = run.add_picture(io.BytesIO(block.png), width=Cm(16))
        shape._inline.docPr.set("descr", xml_safe(block.alt))
        self.paragraph("Caption").add_run(xml_safe(block.caption))


def _mark_header_row(row: Any) -> None:
    """The column names as the table's header row (w:tblHeader): read as headers by screen
    readers, repeated on every page a long table spans (issue 23)."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _page_setup(document: Any) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(22), Mm(24)
        footer = section.footer.paragraphs[0]
        footer.alignment = 1
        _field(footer, "PAGE", ["1"])
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)


def render(document: Document) -> bytes:
    out = docx.Document()
    _page_setup(out)
    out.core_properties.title = xml_safe(document.title)[:255]
    out.core_properties.language = xml_safe(document.language)[:16]
    writer = _Writer(out, out.styles)
    writer.paragraph("Title", document.title)
    if document.subtitle:
        writer.paragraph("Subtitle", document.subtitle)
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            paragraph = writer.paragraph(f"Heading {max(1, min(block.level, 6))}", block.text)
            if block.level == 1 and index > 0:
                paragraph.paragraph_format.page_break_before = True
        elif isinstance(block, Paragraph):
            writer.markdown(block.markdown)
        elif isinstance(block, PracticeBox):
            writer.practice(block)
        elif isinstance(block, Table):
            writer.table(block)
        elif isinstance(block, Figure):
            writer.figure(block)
        elif isinstance(block, TOC):
            writer.paragraph("TOC Heading", block.title)
            entries = ["    " * (h.level - 1) + h.text for h in document.headings(max_level=2)]
            _field(writer.paragraph(), 'TOC \\o "1-2" \\h \\z \\u', entries)
    if document.licence:
        licence = out.add_paragraph(xml_safe(document.licence))
        licence.runs[0].font.color.rgb = RGBColor(0x4A, 0x55, 0x68)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


TEXT_WIDTH_CM = 17.0  # A4 less two 20 mm margins
CM_PER_CHARACTER = 0.2  # 10 pt body text, an average character


def column_widths(rows: list[list[str]], total_cm: float) -> list[float]:
    """Column widths (cm) in proportion to their text, each wide enough for its longest word.

    Equal widths broke titles mid-word ("neighbourhoo d") in LibreOffice and Word.
    """
    count = max((len(r) for r in rows), default=1)
    texts = [[str(r[i]) if i < len(r) else "" for r in rows] for i in range(count)]
    longest_word = [max((len(w) for t in col for w in t.split()), default=1) for col in texts]
    typical = [max((min(len(t), 60) for t in col), default=1) for col in texts]
    floor = [w * CM_PER_CHARACTER + 0.4 for w in longest_word]
    if sum(floor) >= total_cm:  # too many long words: share in proportion to them
        return [total_cm * f / sum(floor) for f in floor]
    spare = total_cm - sum(floor)
    extra = [max(t * CM_PER_CHARACTER + 0.4 - f, 0.0) for t, f in zip(typical, floor, strict=True)]
    share = sum(extra)
    return [
        f + (spare * e / share if share else spare / count)
        for f, e in zip(floor, extra, strict=True)
    ]


def _set_widths(table: Any, widths_cm: list[float]) -> None:
    """Fixed column widths: the grid (LibreOffice reads it) and every cell (Word reads those)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
