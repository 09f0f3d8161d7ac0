"""A chapter's text as a reader reads it: document blocks drawn as one Markdown block.

Headings, the authors' paragraphs, practice boxes and tables go into one
``MarkdownBlock`` (cop.shell.text), each piece escaped or sanitised on its own;
only a figure is a picture of its own. A page run costs mostly its number of
elements, and a chapter drawn one element per paragraph was the slowest click of
the workspace (issue 24).
"""

from __future__ import annotations

import re
from datetime import date

import streamlit as st

from cop.export.document import Block, Figure, Heading, Paragraph, PracticeBox, Table
from cop.export.markdown import escape
from cop.shell.formatting import format_date
from cop.shell.text import MarkdownBlock, plain

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _cell(value: str, language: str) -> str:
    """A table cell as the reader reads it: the document keeps days as ISO dates (every export
    formats them for its edition), the screen writes them as the reader's language does."""
    if _ISO_DAY.match(value):
        try:
            return format_date(date.fromisoformat(value), language)
        except ValueError:
            return value
    return value


def add_blocks(block: MarkdownBlock, blocks: list[Block], language: str) -> list[Figure]:
    """A document's blocks added to ``block`` (the table of contents is left out); returns the
    figures, which are pictures of their own."""
    figures: list[Figure] = []
    for item in blocks:
        if isinstance(item, Heading):
            block.heading(item.text, min(item.level + 2, 6))
        elif isinstance(item, Paragraph):
            block.markdown(item.markdown)
        elif isinstance(item, PracticeBox):
            with block.box():
                block.heading(item.title, 5)
                block.markdown("\n".join(f"- **{escape(k)}:** {escape(v)}" for k, v in item.facts))
                for label, text in item.fields:
                    block.markdown(f"**{escape(label)}**\n\n{text}")
        elif isinstance(item, Table):
            block.table(item.columns, ([_cell(c, language) for c in row] for row in item.rows))
        elif isinstance(item, Figure):
            figures.append(item)
    return figures


def draw_blocks(blocks: list[Block], language: str) -> None:
    """A document's blocks in as few elements as they allow: the text between figures is one."""
    block = MarkdownBlock()
    for item in blocks:
        if isinstance(item, Figure):
            if block:
                block.draw()
                block = MarkdownBlock()
            st.image(item.png, caption=plain(item.caption), alt=item.alt)
        else:
            add_blocks(block, [item], language)
    if block:
        block.draw()
