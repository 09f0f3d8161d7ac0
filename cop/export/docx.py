"""The document as a Word file: real Heading 1-3 styles, a table of contents field, tables, images.

Word builds the table of contents from the heading styles when the field is
updated (the file asks to update fields on opening). Authors' Markdown is
written as runs and list/quote styles from ``mdtree``, so a ``<script>`` tag
or a ``javascript:`` link is plain text, and links keep their address in
brackets rather than becoming live hyperlinks. Characters XML cannot hold
(NUL and other control characters, lone surrogates) are dropped instead of
failing the whole export.

The body is written as WordprocessingML elements with lxml straight away:
python-docx's proxies (``add_paragraph``, ``add_run``, ``cell.text``) look
up where each child goes by schema order on every call, which made a long
chapter twice as slow as python-docx writing it plainly. python-docx still
makes the package, the styles, the page set-up and the pictures, and is
imported only when a DOCX is made.
"""

from __future__ import annotations

import io
from typing import Any

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

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
P, PPR, PSTYLE, R, RPR, T, BR, TAB = (
    _W + n for n in ("p", "pPr", "pStyle", "r", "rPr", "t", "br", "tab")
)
RFONTS, BOLD, ITALIC, STRIKE, COLOR = (_W + n for n in ("rFonts", "b", "i", "strike", "color"))
TBL, TBLPR, TBLSTYLE, TBLW, TBLLAYOUT, TBLLOOK = (
    _W + n for n in ("tbl", "tblPr", "tblStyle", "tblW", "tblLayout", "tblLook")
)
TBLGRID, GRIDCOL, TR, TC, TCPR, TCW, SHD = (
    _W + n for n in ("tblGrid", "gridCol", "tr", "tc", "tcPr", "tcW", "shd")
)
TRPR, TBLHEADER = _W + "trPr", _W + "tblHeader"
VAL, TYPE, WIDTH = _W + "val", _W + "type", _W + "w"
EMU_PER_CM, EMU_PER_TWIP = 360000, 635


def _twips(cm: float) -> str:
    return str(round(int(cm * EMU_PER_CM) / EMU_PER_TWIP))


def _sub(parent: Any, tag: str, **attributes: str) -> Any:
    from lxml.etree import SubElement

    return SubElement(parent, tag, {_W + k: v for k, v in attributes.items()})


def _text(run: Any, text: str) -> None:
    """Text into a run as python-docx's ``run.text`` writes it: tabs and line breaks as elements."""
    from lxml.etree import SubElement

    if "\t" not in text and "\n" not in text and "\r" not in text:
        element = SubElement(run, T)
        element.text = text
        if text != text.strip():
            element.set(_SPACE, "preserve")
        return
    chunk = ""
    for character in text + "\0":
        if character in "\t\n\r\0":
            if chunk:
                _text(run, chunk)
                chunk = ""
            if character == "\t":
                SubElement(run, TAB)
            elif character != "\0":
                SubElement(run, BR)
        else:
            chunk += character


def _run(
    paragraph: Any,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    strike: bool = False,
    mono: bool = False,
    colour: str | None = None,
) -> Any:
    from lxml.etree import SubElement

    run = SubElement(paragraph, R)
    if bold or italic or strike or mono or colour:
        properties = SubElement(run, RPR)
        if mono:
            SubElement(properties, RFONTS, {_W + "ascii": MONOSPACE, _W + "hAnsi": MONOSPACE})
        if bold:
            SubElement(properties, BOLD)
        if italic:
            SubElement(properties, ITALIC)
        if strike:
            SubElement(properties, STRIKE)
        if colour:
            SubElement(properties, COLOR, {VAL: colour})
    if text:
        _text(run, text)
    return run


def _field(paragraph: Any, instruction: str, result: list[str]) -> None:
    """A Word field (TOC, PAGE, ...) as begin / instruction / separate / result / end runs.

    ``result`` is what shows until the field is updated, one line each.
    """

    def char(kind: str) -> None:
        attributes = {"fldCharType": kind, **({"dirty": "true"} if kind == "begin" else {})}
        _sub(_sub(paragraph, R), _W + "fldChar", **attributes)

    char("begin")
    instr = _sub(_sub(paragraph, R), _W + "instrText")
    instr.set(_SPACE, "preserve")
    instr.text = f" {instruction} "
    char("separate")
    for index, line in enumerate(result):
        if index:
            _sub(_sub(paragraph, R), BR)
        _run(paragraph, xml_safe(line))
    char("end")


def _rule(paragraph: Any) -> None:
    properties = paragraph.find(PPR)
    if properties is None:
        properties = _sub(paragraph, PPR)
    borders = _sub(properties, _W + "pBdr")
    _sub(borders, _W + "bottom", val="single", sz="6", space="1", color="9FB3C8")


def _table(container: Any, widths_twips: list[str], style_id: str) -> Any:
    """An empty table with its grid (``w:tblGrid``); rows come from ``_row``."""
    table = _sub(container, TBL)
    properties = _sub(table, TBLPR)
    _sub(properties, TBLSTYLE, val=style_id)
    _sub(properties, TBLW, type="auto", w="0")
    _sub(properties, TBLLAYOUT, type="fixed")
    _sub(
        properties,
        TBLLOOK,
        firstColumn="1",
        firstRow="1",
        lastColumn="0",
        lastRow="0",
        noHBand="0",
        noVBand="1",
        val="04A0",
    )
    grid = _sub(table, TBLGRID)
    for width in widths_twips:
        _sub(grid, GRIDCOL, w=width)
    return table


def _row(table: Any, widths_twips: list[str], *, header: bool = False) -> list[Any]:
    """A row of empty cells, each with its width (Word reads those); returns the cells.

    A ``header`` row is marked ``w:tblHeader``: screen readers read its cells as the
    columns' names, and Word repeats it on every page a long table spans (issue 23).
    """
    from lxml.etree import SubElement

    row = SubElement(table, TR)
    if header:
        _sub(_sub(row, TRPR), TBLHEADER, val="true")
    cells = []
    for width in widths_twips:
        cell = SubElement(row, TC)
        SubElement(SubElement(cell, TCPR), TCW, {TYPE: "dxa", WIDTH: width})
        cells.append(cell)
    return cells


class _Writer:
    """Writes blocks into a container element (the document body or a table cell).

    Styles are set by their ids, looked up once per file: python-docx looks a
    style name up by scanning every style each time.
    """

    def __init__(
        self, container: Any, styles: Any, style_ids: dict[str, str] | None = None
    ) -> None:
        self.container = container
        self.styles = styles
        self.style_ids = {} if style_ids is None else style_ids

    def style_id(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.styles[name].style_id
        return self.style_ids[name]

    def paragraph(self, style: str | None = None, text: str = "") -> Any:
        paragraph = _sub(self.container, P)
        if style:
            _sub(_sub(paragraph, PPR), PSTYLE, val=self.style_id(style))
        if text:
            _run(paragraph, xml_safe(text))
        return paragraph

    def spans(self, paragraph: Any, spans: list[Span], bold: bool = False) -> None:
        for span in spans:
            if span.line_break:
                _sub(_sub(paragraph, R), BR)
                continue
            _run(
                paragraph,
                xml_safe(span.text),
                bold=bold or span.bold,
                italic=span.italic,
                strike=span.strike,
                mono=span.code,
            )
            if span.href and span.href != span.text:
                _run(paragraph, f" ({xml_safe(span.href)})")

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
                        _sub(_sub(paragraph, R), BR)
                    _run(paragraph, xml_safe(line), mono=True)
            elif node.kind == "rule":
                _rule(self.paragraph())
            elif node.kind == "table" and node.rows:
                widths = self._even(len(node.rows[0]))
                table = _table(self.container, widths, self.style_id("Table Grid"))
                for number, row in enumerate(node.rows):
                    for cell, spans in zip(_row(table, widths), row, strict=False):
                        self.spans(_sub(cell, P), spans, bold=number == 0)
                    # a row shorter than the header still needs a paragraph in every cell
                    for cell in table[-1]:
                        if cell.find(P) is None:
                            _sub(cell, P)

    def _even(self, columns: int) -> list[str]:
        columns = max(columns, 1)
        return [_twips(TEXT_WIDTH_CM / columns)] * columns

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

    def markdown(self, text: str) -> None:
        self.nodes(parse(xml_safe(text)))

    def table(self, block: Table) -> None:
        if block.caption:
            self.paragraph("Caption", block.caption)
        widths = [_twips(w) for w in column_widths([block.columns, *block.rows], TEXT_WIDTH_CM)]
        table = _table(self.container, widths, self.style_id("Table Grid"))
        for cell, name in zip(_row(table, widths, header=True), block.columns, strict=True):
            _run(_sub(cell, P), xml_safe(name), bold=True)
        for row in block.rows:
            cells = _row(table, widths)
            for cell, value in zip(cells, row, strict=False):
                _run(_sub(cell, P), xml_safe(value))
            for cell in cells[len(row) :]:
                _sub(cell, P)

    def practice(self, box: PracticeBox) -> None:
        self.paragraph("Heading 3", box.title)
        widths = self._even(1)
        (cell,) = _row(_table(self.container, widths, self.style_id("Table Grid")), widths)
        _sub(cell.find(TCPR), SHD, val="clear", color="auto", fill=BOX_SHADING)
        inner = _Writer(cell, self.styles, self.style_ids)
        for label, value in box.facts:
            paragraph = inner.paragraph()
            _run(paragraph, xml_safe(label) + ": ", bold=True)
            _run(paragraph, xml_safe(value))
        for label, markdown in box.fields:
            _run(inner.paragraph(), xml_safe(label), bold=True)
            inner.markdown(markdown)
        if cell[-1].tag != P:  # Word wants every cell to end with a paragraph
            _sub(cell, P)
        self.paragraph()


def _page_setup(document: Any) -> None:
    from docx.shared import Mm, Pt

    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(22), Mm(24)
        footer = section.footer.paragraphs[0]
        footer.alignment = 1
        _field(footer._p, "PAGE", ["1"])
    _sub(document.settings.element, _W + "updateFields", val="true")
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)


def _figure(out: Any, writer: _Writer, block: Figure) -> None:
    """A picture through python-docx (it adds the image part and its relationship)."""
    from docx.shared import Cm
    from docx.text.paragraph import Paragraph as DocxParagraph

    paragraph = DocxParagraph(writer.paragraph(), out._body)
    shape = paragraph.add_run().add_picture(io.BytesIO(block.png), width=Cm(16))
    shape._inline.docPr.set("descr", xml_safe(block.alt))
    writer.paragraph("Caption", block.caption)


def render(document: Document) -> bytes:
    import docx

    out = docx.Document()
    _page_setup(out)
    out.core_properties.title = xml_safe(document.title)[:255]
    out.core_properties.language = xml_safe(document.language)[:16]
    body = out.element.body
    section = body.sectPr  # the body's last element: taken out while writing, put back after
    body.remove(section)
    writer = _Writer(body, out.styles)
    writer.paragraph("Title", document.title)
    if document.subtitle:
        writer.paragraph("Subtitle", document.subtitle)
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            paragraph = writer.paragraph(f"Heading {max(1, min(block.level, 6))}", block.text)
            if block.level == 1 and index > 0:
                _sub(paragraph.find(PPR), _W + "pageBreakBefore")
        elif isinstance(block, Paragraph):
            writer.markdown(block.markdown)
        elif isinstance(block, PracticeBox):
            writer.practice(block)
        elif isinstance(block, Table):
            writer.table(block)
        elif isinstance(block, Figure):
            _figure(out, writer, block)
        elif isinstance(block, TOC):
            writer.paragraph("TOC Heading", block.title)
            entries = ["    " * (h.level - 1) + h.text for h in document.headings(max_level=2)]
            _field(writer.paragraph(), 'TOC \\o "1-2" \\h \\z \\u', entries)
    if document.licence:
        _run(writer.paragraph(), xml_safe(document.licence), colour="4A5568")
    body.append(section)
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
