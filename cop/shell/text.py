"""Drawing user text: Markdown only in the fields meant for it, through the safe renderer.

Streamlit reads almost every string it draws as Markdown: titles, captions, alerts, the
labels of buttons, expanders, tabs, page links, checkboxes and radio options. A person's
name or a record's title is not Markdown, so it passes through :func:`plain` on its way
into any of them; otherwise ``[Reset your password](http://…)`` typed as a name would show
as a live link in other people's pages, and ``![](http://…)`` would make their browsers
fetch from anywhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import streamlit as st

from cop.core.i18n import LANGUAGES
from cop.core.markdown import to_html
from cop.export.markdown import escape

# CommonMark lets a backslash escape any ASCII punctuation; escaping all of it stops links,
# images, emphasis, raw HTML, LaTeX between ``$`` and Streamlit's ``:red[...]`` and
# ``:material/…:`` directives, whatever the character's position.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub's bare-address links (``http://…``, ``www.…``, ``name@host``) are found in the text
# after escapes are resolved, so no backslash stops them. An invisible word joiner between
# the scheme and its colon, after "www" and before the "@" of an address does; the text
# reads the same, and colons and at signs elsewhere are left alone.
_BARE_LINK = re.compile(
    r"(?i)(?:(?<=\bhttp)|(?<=\bhttps)|(?<=\bmailto)|(?<=\bxmpp))(?=:)"
    r"|(?<=\bwww)(?=\.)|(?<=[\w.+-])(?=@[\w-])"
)
WORD_JOINER = "\u2060"


def break_bare_links(text: str) -> str:
    """``text`` with a word joiner where a bare address would otherwise become a link."""
    return _BARE_LINK.sub(WORD_JOINER, text)


def plain(text: object) -> str:
    """``text`` escaped so that Streamlit's Markdown shows it exactly as typed.

    Use it for every user value that reaches a Markdown-reading element or label, the cells
    of ``st.table`` included. Not for selectbox options, ``st.dataframe`` cells or input
    values: those are shown as they are.
    """
    joined = break_bare_links(str(text))
    return _PUNCTUATION.sub(r"\\\1", joined).replace("\n", "  \n")


def heading(text: str, level: int = 2) -> None:
    """A heading made of user text (a title), shown literally on one line."""
    markdown("#" * level + " " + escape(" ".join(text.split())))


def one_html_block(html: str, css_class: str | None = None) -> str:
    """``html`` as one raw HTML block to Streamlit's Markdown, which reads it once more.

    A raw HTML block ends at a blank line, and what follows is read as Markdown again: a
    fenced code block with a blank line in it, then ``![](http://…)``, came out of the safe
    renderer as escaped text and went into the page as a live image from anywhere. With
    every line break written as a character reference (the same character inside ``<pre>``,
    white space elsewhere) there is no blank line left to end the block. The renderer's
    trailing line break is dropped: it is white space after the last tag.
    """
    opening = f'<div class="{css_class}">' if css_class else "<div>"
    return opening + html.rstrip().replace("\r", "&#13;").replace("\n", "&#10;") + "</div>"


def markdown(text: str) -> None:
    """Draw user Markdown: raw HTML escaped, unsafe links dropped, allow-list sanitised."""
    st.markdown(one_html_block(to_html(text)), unsafe_allow_html=True)


# A caption inside a block looks like ``st.caption``: smaller, in the text colour faded.
_CAPTION_STYLE = "font-size: 0.875rem; opacity: 0.7; margin: -0.5rem 0 0.75rem"
# A box inside a block looks like ``st.container(border=True)``.
_BOX_STYLE = (
    "border: 1px solid rgba(12, 21, 24, 0.2); border-radius: 0.5rem;"
    " padding: 0.75rem 1rem 0; margin: 0 0 1rem"
)


# A cell this short (a date, a number, a status) stays on one line; longer ones wrap.
SHORT_CELL = 16


def _cell(text: str) -> str:
    nowrap = ' style="white-space: nowrap"' if len(text) <= SHORT_CELL else ""
    return f"<td{nowrap}>{html.escape(text)}</td>"


class MarkdownBlock:
    """Several texts drawn as ONE element: a chapter section's heading, text, boxes and tables.

    Why: a page run costs mostly its number of elements (Streamlit hands each one to the
    event loop on its own), and a section drawn with one element per paragraph, box and
    table was dozens of them (issue 24). Each piece is escaped or sanitised on its own as
    ``markdown``/``heading``/``plain`` would (user Markdown through the safe renderer,
    titles and table cells as literal text), and only this class's own tags join them.
    The joined HTML has no line break left (each is written as ``&#10;`` or ``&#13;``), so the whole
    block is one raw HTML block to Streamlit's Markdown: no blank line inside a piece can
    end it and have the text after it read as Markdown.
    """

    def __init__(self, css_class: str | None = None) -> None:
        """``css_class``: our own class name on the block, for the page's style sheet to find it
        (never user text)."""
        self._parts: list[str] = []
        self._css_class = css_class

    def __bool__(self) -> bool:
        return bool(self._parts)

    def markdown(self, text: str) -> None:
        """User Markdown, as ``markdown``: raw HTML escaped, unsafe links dropped."""
        self._parts.append(to_html(text))

    def heading(self, text: str, level: int = 2) -> None:
        """A title shown literally on one line, as ``heading``."""
        self.markdown("#" * level + " " + escape(" ".join(text.split())))

    def caption(self, text: str) -> None:
        """Plain text (nothing in it is markup), small and faded as a caption."""
        self._parts.append(f'<p style="{_CAPTION_STYLE}">{html.escape(text)}</p>')

    def rule(self) -> None:
        self._parts.append("<hr>")

    def table(self, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        """A table of plain cells (shown as typed, as a dataframe shows them); short cells
        stay on one line, and the table scrolls sideways inside itself where the page is
        narrower than it."""
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in rows)
        # Focusable, so a keyboard can scroll it too (WCAG 2.1.1; axe: scrollable-region-focusable).
        self._parts.append(
            '<div style="overflow-x: auto" tabindex="0"><table>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )

    @contextmanager
    def box(self) -> Iterator[None]:
        """What is added inside goes in a bordered box."""
        self._parts.append(f'<div style="{_BOX_STYLE}">')
        yield
        self._parts.append("</div>")

    @contextmanager
    def language(self, code: str | None) -> Iterator[None]:
        """What is added inside is marked as written in ``code`` (WCAG 3.1.2); a code that is
        not one of the workspace's languages (or None: the reader's own) marks nothing."""
        marked = code in LANGUAGES
        if marked:
            self._parts.append(f'<div lang="{code}">')
        yield
        if marked:
            self._parts.append("</div>")

    def html(self) -> str:
        return one_html_block("".join(self._parts), self._css_class)

    def draw(self) -> None:
        st.markdown(self.html(), unsafe_allow_html=True)
