"""Markdown that user text can never turn into live HTML.

markdown-it renders with raw HTML off (tags in the text come out escaped),
links whose scheme is not http(s)/mailto or relative are dropped, and the
result passes an allow-list sanitiser (nh3) before it reaches the page.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

SAFE_SCHEMES = {"http", "https", "mailto"}
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "s",
    "del",
}


def _safe_link(url: str) -> bool:
    stripped = "".join(ch for ch in url.strip() if ch.isprintable() and not ch.isspace()).lower()
    if ":" not in stripped.split("/", 1)[0]:
        return True  # relative link or anchor
    return stripped.split(":", 1)[0] in SAFE_SCHEMES


_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)
_md.validateLink = _safe_link  # type: ignore[method-assign]  # the link rules call md.validateLink: swap in the safe-scheme check


def to_html(text: str) -> str:
    """Sanitised HTML for ``text`` (Markdown)."""
    html = _md.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes=SAFE_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


_LIST_MARK = re.compile(r"^\s*([-*+]|\d+[.)])\s")


def one_per_line(text: str) -> str:
    """Text typed one item per line, as a Markdown list (Markdown would join the lines into one).

    Text that already has list marks, blank lines or a single line is left as written.
    """
    lines = [line for line in text.strip().splitlines()]
    if len(lines) < 2 or any(not line.strip() or _LIST_MARK.match(line) for line in lines):
        return text
    return "\n".join(f"- {line.strip()}" for line in lines)
