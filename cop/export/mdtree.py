"""Authors' Markdown as a small tree, for the formats that are not HTML (Markdown and DOCX).

It is parsed exactly like ``cop.core.markdown`` parses it for the pages and the
HTML export (CommonMark with tables and strikethrough, raw HTML off, links
whose scheme is not http(s)/mailto or relative not recognised), so a
``<script>`` tag or a ``javascript:`` link is plain text here as it is there.
Images become their alternative text: the pages and the HTML export do not
show images from authors' Markdown either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from cop.core.markdown import (
    _safe_link,  # the one link rule shared with the pages and the HTML export
)


@dataclass
class Span:
    """A run of text with its formatting; ``href`` is set for (safe) links."""

    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    href: str | None = None
    line_break: bool = False


@dataclass
class Node:
    """A block: para, heading, list, item, quote, code, table, rule."""

    kind: str
    spans: list[Span] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    level: int = 0  # heading level
    ordered: bool = False
    tight: bool = False  # list items without blank lines between their blocks
    start: int = 1
    text: str = ""  # code block content
    rows: list[list[list[Span]]] = field(default_factory=list)  # table: header row first


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable("table").enable("strikethrough")
_md.validateLink = _safe_link  # type: ignore[method-assign]  # the link rules call md.validateLink: swap in the safe-scheme check


def parse(text: str) -> list[Node]:
    """The block tree of ``text``."""
    tokens = _md.parse(text or "")
    nodes, _ = _blocks(tokens, 0, None)
    return nodes


def _blocks(tokens: list[Token], i: int, until: str | None) -> tuple[list[Node], int]:
    nodes: list[Node] = []
    while i < len(tokens):
        tok = tokens[i]
        if until is not None and tok.type == until:
            return nodes, i + 1
        if tok.type == "paragraph_open":
            nodes.append(Node("para", spans=_inline(tokens[i + 1])))
            i += 3
        elif tok.type == "heading_open":
            nodes.append(Node("heading", spans=_inline(tokens[i + 1]), level=int(tok.tag[1])))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            ordered = tok.type == "ordered_list_open"
            start = int(tok.attrs.get("start", 1)) if ordered else 1
            tight = (
                i + 2 < len(tokens)
                and tokens[i + 2].type == "paragraph_open"
                and tokens[i + 2].hidden
            )
            items, i = _blocks(tokens, i + 1, tok.type.replace("_open", "_close"))
            nodes.append(Node("list", children=items, ordered=ordered, start=start, tight=tight))
        elif tok.type == "list_item_open":
            children, i = _blocks(tokens, i + 1, "list_item_close")
            nodes.append(Node("item", children=children))
        elif tok.type == "blockquote_open":
            children, i = _blocks(tokens, i + 1, "blockquote_close")
            nodes.append(Node("quote", children=children))
        elif tok.type in ("fence", "code_block"):
            nodes.append(Node("code", text=tok.content.rstrip("\n")))
            i += 1
        elif tok.type == "hr":
            nodes.append(Node("rule"))
            i += 1
        elif tok.type == "table_open":
            rows, i = _table(tokens, i + 1)
            nodes.append(Node("table", rows=rows))
        else:
            i += 1
    return nodes, i


def _table(tokens: list[Token], i: int) -> tuple[list[list[list[Span]]], int]:
    rows: list[list[list[Span]]] = []
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline":
            rows[-1].append(_inline(tok))
        i += 1
    return rows, i + 1


def _inline(token: Token) -> list[Span]:
    spans: list[Span] = []
    bold = italic = strike = False
    href: str | None = None
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            spans.append(Span(child.content, bold, italic, strike, False, href))
        elif kind == "code_inline":
            spans.append(Span(child.content, bold, italic, strike, True, href))
        elif kind in ("softbreak", "hardbreak"):
            spans.append(Span("\n" if kind == "hardbreak" else " ", line_break=kind == "hardbreak"))
        elif kind == "image":
            spans.append(Span(child.content, bold, italic, strike, False, href))
        elif kind.endswith("_open") or kind.endswith("_close"):
            opening = kind.endswith("_open")
            if kind.startswith("strong"):
                bold = opening
            elif kind.startswith("em"):
                italic = opening
            elif kind.startswith("s_"):
                strike = opening
            elif kind.startswith("link"):
                href = str(child.attrs.get("href", "")) if opening else None
    return spans
