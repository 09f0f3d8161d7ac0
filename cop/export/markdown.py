"""The document as Markdown: what the revision diff compares and the ``.md`` export.

Authors' Markdown is not copied through: it is parsed (``mdtree``, the same
rules as the pages) and written out again with every character that could
start markup escaped. So a ``<script>`` tag or a ``javascript:`` link that the
pages show as text stays text in any Markdown viewer, including ones that
render raw HTML; safe links and formatting come through.
"""

from __future__ import annotations

import base64
import re

from cop.export.document import TOC, Block, Document, Figure, Heading, Paragraph, PracticeBox, Table
from cop.export.mdtree import Node, Span, parse

_ESCAPE = re.compile(r"([\\`*_\[\]<>&~|])")
# What makes a line a heading, list item, rule or setext underline (a backslash defuses each).
_LINE_START = re.compile(
    r"^(\s*)(#{1,6}(?=\s|$)|[+-](?=\s|$)|[=-]+(?=\s*$)|\d{1,9}(?=[.)](?:\s|$)))", re.MULTILINE
)
# Headings in authors' text sit below the section (2) and item (3) headings.
USER_HEADING_SHIFT = 3


def escape(text: str) -> str:
    """Plain text that Markdown shows literally."""
    text = _ESCAPE.sub(r"\\\1", text)
    text = _LINE_START.sub(
        lambda m: (
            m.group(1) + "\\" + m.group(2)
            if not m.group(2)[0].isdigit()
            else m.group(1) + m.group(2) + "\\"
        ),
        text,
    )
    return text.replace("\r", " ")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _safe_href(href: str) -> str:
    return href.replace("<", "%3C").replace(">", "%3E").replace("\n", "").replace(" ", "%20")


def spans(items: list[Span]) -> str:
    out: list[str] = []
    for span in items:
        if span.line_break:
            out.append("\\\n")
            continue
        text = _code_span(span.text) if span.code else escape(span.text)
        if span.strike:
            text = f"~~{text}~~"
        if span.italic:
            text = f"*{text}*"
        if span.bold:
            text = f"**{text}**"
        if span.href is not None:
            text = f"[{text}](<{_safe_href(span.href)}>)"
        out.append(text)
    return "".join(out)


def _indent(text: str, prefix: str, first: str | None = None) -> str:
    lines = text.split("\n")
    head = first if first is not None else prefix
    return "\n".join([head + lines[0]] + [(prefix + line) if line else line for line in lines[1:]])


def nodes(tree: list[Node], separator: str = "\n\n") -> str:
    """Authors' Markdown written back out with nothing that could become live markup."""
    blocks: list[str] = []
    for node in tree:
        if node.kind == "para":
            blocks.append(spans(node.spans))
        elif node.kind == "heading":
            level = min(node.level + USER_HEADING_SHIFT, 6)
            blocks.append("#" * level + " " + _one_line(spans(node.spans)))
        elif node.kind == "list":
            items = []
            for number, item in enumerate(node.children, start=node.start):
                marker = f"{number}. " if node.ordered else "- "
                body = nodes(item.children, "\n" if node.tight else "\n\n")
                items.append(_indent(body, " " * len(marker), marker))
            blocks.append(("\n" if node.tight else "\n\n").join(items))
        elif node.kind == "quote":
            blocks.append(_indent(nodes(node.children), "> ").replace("\n\n", "\n>\n"))
        elif node.kind == "code":
            longest = max((len(run) for run in re.findall(r"`{3,}", node.text)), default=2)
            fence = "`" * (longest + 1)
            blocks.append(f"{fence}\n{node.text}\n{fence}")
        elif node.kind == "rule":
            blocks.append("---")
        elif node.kind == "table":
            blocks.append(
                table(
                    [spans(c) for c in node.rows[0]], [[spans(c) for c in r] for r in node.rows[1:]]
                )
            )
    return separator.join(b for b in blocks if b)


def user_markdown(text: str) -> str:
    return nodes(parse(text))


def table(header: list[str], rows: list[list[str]]) -> str:
    """Cells already escaped; pipes inside them are escaped by ``escape``."""
    width = len(header)
    lines = ["| " + " | ".join(_one_line(c) or " " for c in header) + " |", "|" + "---|" * width]
    for row in rows:
        cells = (row + [""] * width)[:width]
        lines.append("| " + " | ".join(_one_line(c) for c in cells) + " |")
    return "\n".join(lines)


def github_anchor(text: str, seen: dict[str, int]) -> str:
    """The id GitHub-style viewers give a heading (later duplicates get -1, -2, ...)."""
    base = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
    count = seen.get(base, 0)
    seen[base] = count + 1
    return base if count == 0 else f"{base}-{count}"


def _toc(document: Document, title: str) -> str:
    """Links to the headings by the ids Markdown viewers give them (no anchors of our own,
    so moving a section does not change every line of a revision diff)."""
    seen: dict[str, int] = {}
    github_anchor(document.title, seen)
    lines = [f"**{escape(title)}**", ""]
    for heading in document.headings(max_level=3):
        anchor = github_anchor(_one_line(heading.text), seen)
        if heading.level <= 2:
            indent = "  " * (heading.level - 1)
            lines.append(f"{indent}- [{escape(_one_line(heading.text))}](#{anchor})")
    return "\n".join(lines)


def render(document: Document, *, images: bool = False) -> str:
    """The whole document as one Markdown text; ``images`` carries each figure inside it as an SVG
    ``data:`` image (the .md export; the revision's text, which is compared and searched, has
    only the figure's caption and text alternative)."""
    parts: list[str] = [f"# {escape(_one_line(document.title))}"]
    if document.subtitle:
        parts.append(f"*{escape(_one_line(document.subtitle))}*")
    parts.append(render_blocks(document.blocks, document, images=images))
    if document.licence:
        parts.append(f"*{escape(_one_line(document.licence))}*")
    return "\n\n".join(p for p in parts if p).rstrip() + "\n"


def render_blocks(
    blocks: list[Block], document: Document | None = None, *, images: bool = False
) -> str:
    """Blocks as Markdown (a table of contents only within ``document``): one section of a chapter."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append("#" * block.level + " " + escape(_one_line(block.text)))
        elif isinstance(block, Paragraph):
            parts.append(user_markdown(block.markdown))
        elif isinstance(block, PracticeBox):
            parts.append(_practice(block))
        elif isinstance(block, Table):
            if block.caption:
                parts.append(f"*{escape(_one_line(block.caption))}*")
            parts.append(
                table(
                    [escape(c) for c in block.columns], [[escape(c) for c in r] for r in block.rows]
                )
            )
        elif isinstance(block, Figure):
            if images and (block.svg or block.png):
                kind, data = ("svg+xml", block.svg) if block.svg else ("png", block.png)
                source = base64.b64encode(data).decode("ascii")
                alt = escape(_one_line(block.alt))
                parts.append(f"![{alt}](data:image/{kind};base64,{source})")
            parts.append(f"*{escape(_one_line(block.caption))}* ({escape(_one_line(block.alt))})")
        elif isinstance(block, TOC) and document is not None:
            parts.append(_toc(document, block.title))
    return "\n\n".join(p for p in parts if p)


def _practice(box: PracticeBox) -> str:
    lines = [f"### {escape(_one_line(box.title))}", ""]
    for label, value in box.facts:
        lines.append(f"- **{escape(label)}:** {escape(_one_line(value))}")
    body = ["\n".join(lines)]
    for label, markdown in box.fields:
        body.append(f"**{escape(label)}**\n\n{user_markdown(markdown)}")
    return "\n\n".join(b.strip("\n") for b in body if b.strip())
