"""Markdown shown where only plain text fits (lists, search snippets) keeps its words and loses its marks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cop.core.markdown import plain_line, plain_text

MINUTES = """## Minutes

Opened by **Anna** with a [welcome](https://example.org/w) and `code`.

| City | Volunteers |
|------|-----------:|
| Ghent | 12 |

- first point
- second *point*

> quoted ~~old~~ words

```
raw block
```
"""


def test_headings_tables_lists_emphasis_and_links_become_their_words() -> None:
    text = plain_text(MINUTES)
    assert (
        text.split()
        == (
            "Minutes Opened by Anna with a welcome and code. City Volunteers Ghent 12 "
            "first point second point quoted old words raw block"
        ).split()
    )
    for mark in ("#", "|", "**", "*", "[", "](", "`", ">", "~~", "---"):
        assert mark not in text, mark


def test_blocks_keep_their_own_lines_and_literal_characters_stay() -> None:
    assert plain_text("Line one\nline two\n\nNext paragraph").splitlines() == [
        "Line one",
        "line two",
        "Next paragraph",
    ]
    # Characters that are text, not Markdown, are not removed: 5 * 3, a_b, <b>, 100 %.
    assert plain_text("5 \\* 3 = 15, a_b, <b>, 100 %") == "5 * 3 = 15, a_b, <b>, 100 %"
    assert plain_text("") == ""
    assert plain_text("![A map of Ghent](map.png)") == "A map of Ghent"


# Each a mark the parser reads; plain_line may skip the parser only for text with none of them.
ONE_MARK_EACH = [
    "a *b* c",
    "a _b_ c",
    "a `b` c",
    "a [b](https://x.org) c",
    "a ![b](x.png) c",
    "a <https://x.org> c",
    "a &amp; b &#35; c",
    "a \\*b\\* c",
    "a ~~b~~ c",
    "| a | b |\n|---|---|\n| c | d |",
    "# a b",
    "  ## a b",
    "a\n===",
    "a\n---",
    "- a\n- b",
    "+ a",
    "> a b",
    "1. a\n2. b",
    "12) a",
    "    indented code",
    "\tindented code",
    "a\rb\r+ c",
    "a\x00b",
    "***",
]
NO_MARK = [
    "",
    "Plain words, numbers 1.5 and 234 volunteers: half-time + 3 = 5 # not a heading > 2",
    "Line one\nline two\n\nNext paragraph\n\n\n  two spaces  \nend  ",
    "Köln's café\xa0du port (2024) — \"quoted\" 'text'; 50% ?",
]


# Headings alone: plain_line takes their words without the parser.
HEADINGS = [
    "## Minutes\n\nHosted by the city.\n\n\nNext steps",
    "# a #",
    "# a ##   ",
    "### ###",
    "#",
    "#\ta",
    "# foo#",
    "  # a b\nc",
    "####### seven",
    "#hashtag",
    "# a\n===",
    "# - a",
    "# a *b*",
    "a\n# b\nc",
]


def test_plain_line_is_the_parsers_words_with_or_without_marks() -> None:
    for text in ONE_MARK_EACH + NO_MARK + HEADINGS:
        assert plain_line(text) == " ".join(plain_text(text).split()), repr(text)
    assert plain_line("a &amp; *b*") == "a & b"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="#ab \t\n=-*", max_size=40))
def test_plain_line_of_headings_and_words_is_the_parsers(text: str) -> None:
    assert plain_line(text) == " ".join(plain_text(text).split()), repr(text)


def test_a_text_renders_the_same_html_the_second_time_short_or_long() -> None:
    """Short texts come from a per-process cache (issue 24: every run draws them again)."""
    from cop.core.markdown import CACHED_CHARS, to_html

    short = "**Met** the <b>volunteers</b> [here](javascript:alert(1))"
    long = "word " * (CACHED_CHARS // 4)
    assert (
        to_html(short)
        == to_html(short)
        == "<p><strong>Met</strong> the &lt;b&gt;volunteers&lt;/b&gt; [here](javascript:alert(1))</p>\n"
    )
    assert to_html(long) == to_html(long) and to_html(long).startswith("<p>word word")
