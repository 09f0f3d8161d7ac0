"""`MarkdownBlock`: several texts drawn as one element, each escaped or sanitised on its own.

The chapter draft draws each section as one block (issue 24); what a person typed must come
out exactly as the separate elements showed it: Markdown through the safe renderer, titles
and table cells as literal text, and nothing that Streamlit's Markdown could read again.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cop.core.markdown import to_html
from cop.shell.text import MarkdownBlock

HOSTILE = (
    "[Reset](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)>"
    " ![](http://127.0.0.1:9/pixel.png) :red[red] $x$"
)


def _block(**parts: str) -> str:
    block = MarkdownBlock()
    for kind, text in parts.items():
        getattr(block, kind.rstrip("_"))(text)
    return block.html()


def test_user_markdown_is_rendered_by_the_safe_renderer_exactly_as_alone() -> None:
    text = "Newcomers meet **their neighbours** first.\n\n" + HOSTILE
    html = _block(markdown=text)
    assert to_html(text).rstrip().replace("\n", "&#10;") in html
    assert "<script" not in html and "<a " not in html and "<img" not in html  # all shown as text
    assert "<strong>their neighbours</strong>" in html


def test_a_title_shows_literally_as_a_heading() -> None:
    html = _block(heading=f"1. {HOSTILE}")
    assert html.startswith("<div><h2>1. [Reset](javascript:alert(1)) &lt;script&gt;")
    assert "<a " not in html and "<img" not in html


def test_captions_and_table_cells_are_plain_text() -> None:
    block = MarkdownBlock()
    block.caption("Practices <b>bold</b> **not bold**")
    block.table(["Name | <i>", "Due"], [[HOSTILE, "Dec 7, 2026"]])
    html = block.html()
    assert "Practices &lt;b&gt;bold&lt;/b&gt; **not bold**" in html
    assert "<th>Name | &lt;i&gt;</th>" in html
    assert "&lt;script&gt;" in html and "<script" not in html and "<img" not in html
    assert '<td style="white-space: nowrap">Dec 7, 2026</td>' in html  # short: one line


@given(st.text())
def test_no_line_break_is_left_to_end_the_raw_html_block(text: str) -> None:
    """A blank line inside a piece (a code block's) would end Streamlit's raw HTML block there,
    and the text after it would be read as Markdown: a link, a directive, a formula."""
    block = MarkdownBlock()
    block.heading(text, 4)
    with block.box():
        block.markdown(text)
    block.caption(text)
    block.table([text], [[text]])
    html = block.html()
    assert html.startswith("<div>") and html.endswith("</div>")
    assert "\n" not in html and "\r" not in html


def test_a_code_block_with_blank_lines_stays_inside_the_block() -> None:
    html = _block(markdown="```\na\n\n[x](javascript:alert(1))\n\n:red[x]\n```")
    assert (
        "<pre><code>a&#10;&#10;[x](javascript:alert(1))&#10;&#10;:red[x]&#10;</code></pre>" in html
    )


def test_only_a_known_language_is_marked() -> None:
    block = MarkdownBlock()
    with block.language("de"):
        block.markdown("Willkommen")
    with block.language('en" onclick="x'):
        block.markdown("Welcome")
    with block.language(None):
        block.markdown("Hello")
    html = block.html()
    assert '<div lang="de"><p>Willkommen</p>' in html
    assert html.count("lang=") == 1 and "onclick" not in html
