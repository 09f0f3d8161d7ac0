"""Text typed one item per line is shown as a list, not joined into one line by Markdown."""

from __future__ import annotations

from cop.core.markdown import one_per_line, to_html


def test_lines_become_list_items() -> None:
    assert (
        one_per_line("A named coordinator\nA welcome pack")
        == "- A named coordinator\n- A welcome pack"
    )
    assert to_html(one_per_line("Zwei\nDrei")).count("<li>") == 2


def test_text_already_written_as_markdown_is_left_alone() -> None:
    for text in ("One line only", "- a\n- b", "1. a\n2. b", "Para one\n\nPara two", ""):
        assert one_per_line(text) == text
