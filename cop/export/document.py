"""The document model every export format is rendered from.

Records become a ``Document`` once (``cop.toolkit.blocks``); the
Markdown, HTML, DOCX and PDF renderers each turn the same ``Document`` into
their format, so the four files always carry the same content. A document is
also what an approved revision freezes: ``to_json``/``from_json`` keep it
(images as base64) so an old revision exports exactly as it was approved.

User text stays user text here: ``Paragraph.markdown`` is the author's
Markdown, every other string is plain text; each renderer escapes or
sanitises on the way out.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Heading:
    """A heading: 1 chapter (or front matter), 2 section, 3 an item inside a section."""

    level: int
    text: str
    anchor: str = ""


@dataclass
class Paragraph:
    """Author's Markdown (raw HTML is never rendered; unsafe links are dropped)."""

    markdown: str


@dataclass
class PracticeBox:
    """A practice as a boxed summary: plain facts (city, period, reach) and Markdown fields."""

    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)
    anchor: str = ""


@dataclass
class Table:
    """Plain-text cells under column headers."""

    columns: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Figure:
    """A chart as PNG (print, DOCX) and SVG (the infographic download)."""

    caption: str
    alt: str
    png: bytes
    svg: bytes = b""


@dataclass
class TOC:
    """Where the table of contents goes; it lists chapter and section headings."""

    title: str = "Contents"


Block = Heading | Paragraph | PracticeBox | Table | Figure | TOC


@dataclass
class Document:
    """A chapter or a whole toolkit edition, ready to render."""

    title: str
    subtitle: str = ""
    language: str = "en"
    licence: str = ""
    blocks: list[Block] = field(default_factory=list)
    clusters: list[tuple[str, str]] = field(default_factory=list)  # community, its colour (#rrggbb)

    def headings(self, max_level: int = 3) -> list[Heading]:
        """Headings (practice titles included, as level 3) in reading order."""
        found: list[Heading] = []
        for block in self.blocks:
            if isinstance(block, Heading) and block.level <= max_level:
                found.append(block)
            elif isinstance(block, PracticeBox) and max_level >= 3:
                found.append(Heading(3, block.title, block.anchor))
        return found

    def number_anchors(self) -> Document:
        """Give every heading and practice box a unique anchor for links and the TOC."""
        for index, block in enumerate(self.blocks, start=1):
            if isinstance(block, Heading | PracticeBox):
                block.anchor = f"h{index}-{slug(_title_of(block))}"
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "language": self.language,
            "licence": self.licence,
            "blocks": [_block_to_json(b) for b in self.blocks],
            "clusters": [list(c) for c in self.clusters],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        return cls(
            title=data["title"],
            subtitle=data.get("subtitle", ""),
            language=data.get("language", "en"),
            licence=data.get("licence", ""),
            blocks=[_block_from_json(b) for b in data.get("blocks", [])],
            clusters=[(str(n), str(c)) for n, c in data.get("clusters", [])],
        )


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 (and so DOCX and HTML) cannot carry: C0 controls but
    tab and newlines, lone surrogates, and the two non-characters."""
    return _NOT_XML.sub("", text or "")


def _title_of(block: Heading | PracticeBox) -> str:
    return block.text if isinstance(block, Heading) else block.title


def slug(text: str, limit: int = 40) -> str:
    """An ASCII name part for an anchor or a file name, shortened to about ``limit`` characters.

    Words are dropped from the end, never cut: a file called "...-for-the-inte" reads as a
    mistake. The first word stays whole even when longer (German compounds), up to 80.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split()
    if not words:
        return "section"
    kept = [words[0][:80]]
    for word in words[1:]:
        if len("-".join(kept)) + 1 + len(word) > limit:
            break
        kept.append(word)
    return "-".join(kept)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _block_to_json(block: Block) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"type": "heading", "level": block.level, "text": block.text, "anchor": block.anchor}
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "markdown": block.markdown}
    if isinstance(block, PracticeBox):
        return {
            "type": "practice",
            "title": block.title,
            "anchor": block.anchor,
            "facts": [list(f) for f in block.facts],
            "fields": [list(f) for f in block.fields],
        }
    if isinstance(block, Table):
        return {
            "type": "table",
            "columns": block.columns,
            "rows": block.rows,
            "caption": block.caption,
        }
    if isinstance(block, Figure):
        return {
            "type": "figure",
            "caption": block.caption,
            "alt": block.alt,
            "png": _b64(block.png),
            "svg": _b64(block.svg),
        }
    return {"type": "toc", "title": block.title}


def _block_from_json(data: dict[str, Any]) -> Block:
    kind = data["type"]
    if kind == "heading":
        return Heading(int(data["level"]), data["text"], data.get("anchor", ""))
    if kind == "paragraph":
        return Paragraph(data["markdown"])
    if kind == "practice":
        return PracticeBox(
            data["title"],
            [tuple(f) for f in data["facts"]],
            [tuple(f) for f in data["fields"]],
            data.get("anchor", ""),
        )
    if kind == "table":
        return Table(
            list(data["columns"]), [list(r) for r in data["rows"]], data.get("caption", "")
        )
    if kind == "figure":
        return Figure(
            data["caption"],
            data["alt"],
            base64.b64decode(data["png"]),
            base64.b64decode(data["svg"]),
        )
    if kind == "toc":
        return TOC(data.get("title", "Contents"))
    raise ValueError(f"unknown block type {kind!r}")
