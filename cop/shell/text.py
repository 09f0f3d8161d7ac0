"""Drawing user text: Markdown only in the fields meant for it, through the safe renderer.

Streamlit reads almost every string it draws as Markdown: titles, captions, alerts, the
labels of buttons, expanders, tabs, page links, checkboxes and radio options. A person's
name or a record's title is not Markdown, so it passes through :func:`plain` on its way
into any of them; otherwise ``[Reset your password](http://…)`` typed as a name would show
as a live link in other people's pages, and ``![](http://…)`` would make their browsers
fetch from anywhere.
"""

from __future__ import annotations

import re

import streamlit as st

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


def one_html_block(html: str) -> str:
    """``html`` as one raw HTML block to Streamlit's Markdown, which reads it once more.

    A raw HTML block ends at a blank line, and what follows is read as Markdown again: a
    fenced code block with a blank line in it, then ``![](http://…)``, came out of the safe
    renderer as escaped text and went into the page as a live image from anywhere. With
    every line break written as a character reference (the same character inside ``<pre>``,
    white space elsewhere) there is no blank line left to end the block.
    """
    return "<div>" + html.replace("\r", "&#13;").replace("\n", "&#10;") + "</div>"


def markdown(text: str) -> None:
    """Draw user Markdown: raw HTML escaped, unsafe links dropped, allow-list sanitised."""
    st.markdown(one_html_block(to_html(text)), unsafe_allow_html=True)
