"""Markdown shown where only plain text fits (lists, search snippets) keeps its words and loses its marks."""

from __future__ import annotations

from cop.core.markdown import plain_text

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
