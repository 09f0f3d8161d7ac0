"""User Markdown reaches the page as one raw HTML block: a blank line inside a code block
can no longer end the block and have the text after it read as Markdown (a live image)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from cop.core.markdown import to_html
from cop.shell.text import one_html_block

TRAP = "Intro\n\n```\nfirst line\n\n![](http://trap.example/pixel.png)\n```\n"


def _drawn(text: str) -> str:
    def page(text: str) -> None:
        from cop.shell.text import markdown

        markdown(text)

    at = AppTest.from_function(page, args=(text,)).run()
    assert not at.exception, at.exception
    (element,) = at.markdown
    return str(element.value)


def test_a_blank_line_in_a_code_block_does_not_end_the_html_block() -> None:
    drawn = _drawn(TRAP)
    assert "\n" not in drawn  # no line, so no blank line, for the Markdown reader to split at
    assert drawn.startswith("<div>") and drawn.endswith("</div>")
    assert "![](http://trap.example/pixel.png)" in drawn  # still text, inside the code block
    assert "<img" not in drawn


def test_line_breaks_in_a_code_block_are_kept_as_characters() -> None:
    html = to_html("```\na\n\nb\n```")
    block = one_html_block(html)
    assert block == "<div>" + html.rstrip().replace("\n", "&#10;") + "</div>"
    assert "a&#10;&#10;b" in block
