"""`plain`: a person's name or a title reaches Streamlit's Markdown and shows as typed.

The browser test (tests/browser/test_plain_text.py) checks the rendered pages; these
check the escaping itself, character by character.
"""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cop.shell.text import WORD_JOINER, plain


def _as_shown(escaped: str) -> str:
    """What CommonMark shows for escaped text: each backslash escape is its character."""
    return re.sub(r"\\(.)", r"\1", escaped.replace("  \n", "\n")).replace(WORD_JOINER, "")


@given(st.text())
def test_any_text_reads_back_exactly_as_typed(text: str) -> None:
    assert _as_shown(plain(text)) == text


@given(st.text(alphabet=string.printable))
def test_no_ascii_punctuation_is_left_unescaped(text: str) -> None:
    escaped = plain(text)
    for index, char in enumerate(escaped):
        if char in string.punctuation and char != "\\":
            assert escaped[index - 1] == "\\", escaped


@pytest.mark.parametrize(
    "typed",
    [
        "Lena http://127.0.0.1:9/reset",
        "see HTTPS://example.org/x",
        "www.example.org",
        "write to lena@example.org",
        "mailto:lena@example.org",
    ],
)
def test_bare_addresses_are_broken_up_so_no_link_is_made(typed: str) -> None:
    shown = re.sub(r"\\(.)", r"\1", plain(typed))  # what a link finder sees
    assert not re.search(r"(?i)https?://|\bwww\.|\w@\w|mailto:", shown)


def test_markdown_and_html_come_out_escaped() -> None:
    assert plain("[x](http://a) ![](b) <img> :red[r] **b**") == (
        r"\[x\]\(http" + WORD_JOINER + r"\:\/\/a\) \!\[\]\(b\) \<img\> \:red\[r\] \*\*b\*\*"
    )
