"""Markdown that user text can never turn into live HTML.

markdown-it renders with raw HTML off (tags in the text come out escaped),
links whose scheme is not http(s)/mailto or relative are dropped, and the
result passes an allow-list sanitiser (nh3) before it reaches the page.
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

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


# Every page run draws its texts again (an action's updates, a chapter's sections): the same
# text gives the same HTML, so short texts are rendered once per process. Long ones are not
# kept, which bounds the cache at a few megabytes.
CACHED_CHARS = 4000


def to_html(text: str) -> str:
    """Sanitised HTML for ``text`` (Markdown)."""
    text = text or ""
    return _cached_html(text) if len(text) <= CACHED_CHARS else _html(text)


@lru_cache(maxsize=1024)
def _cached_html(text: str) -> str:
    return _html(text)


def _html(text: str) -> str:
    html = _md.render(text)
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


_BLOCK_TEXT = {"fence", "code_block"}


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)  # its alt text
    return "".join(parts)


def plain_text(text: str) -> str:
    """The words of Markdown ``text`` without its marks, one line per block (for lists and snippets).

    Read from the same parser's token stream as the pages render, so only what
    Markdown treats as a mark goes ("## Minutes" -> "Minutes", table pipes,
    emphasis, link targets) and literal characters ("5 * 3", "a_b") stay.
    """
    lines: list[str] = []
    for token in _md.parse(text or ""):
        if token.type == "inline":
            lines.append(_inline_text(token))
        elif token.type in _BLOCK_TEXT:
            lines.append(token.content.rstrip("\n"))
    return "\n".join(line for line in "\n".join(lines).splitlines() if line.strip())


# A character Markdown may read as a mark anywhere in a line (emphasis, code, links, autolinks,
# entities, escapes, tables, strikethrough; NUL and CR, which the parser rewrites), a line start
# that opens a block (list, heading, quote, setext underline, ordered list) or indented code.
_MARKDOWN_MARK = re.compile(
    r"[\\`*_\[\]<>&!|~\x00\r]|^[ \t]*(?:[-+#=]|\d{1,9}[.)])|^(?: {4}|\t)", re.MULTILINE
)


# An ATX heading line ("## Minutes", "# Title #"): its words are the line without the #s.
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?=[ \t]|$)(.*)$", re.MULTILINE)
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")


def _heading_words(match: re.Match[str]) -> str:
    return _ATX_CLOSING.sub("", match.group(1).strip())


def plain_line(text: str) -> str:
    """``plain_text`` on one line, for a table cell or a card (its blocks joined by spaces).

    Text without any possible mark is its own words: it skips the parser (search builds a
    snippet for every hit), with the same result. So does text whose only marks open
    headings (most minutes start with "## Minutes"): the parser cost 0.1 ms a snippet.
    """
    text = text or ""
    if not _MARKDOWN_MARK.search(text):
        return " ".join(text.split())
    without_headings = _ATX_HEADING.sub(_heading_words, text)
    if not _MARKDOWN_MARK.search(without_headings):
        return " ".join(without_headings.split())
    return " ".join(plain_text(text).split())
