"""The HTML the export and the published website share: headings carry text (a screen reader's
list of headings has no blank entries), issue 23."""

from __future__ import annotations

import re

from cop.export.document import Document, PracticeBox
from cop.export.html import block_html, render

BOX = PracticeBox(
    "Buddy programme",
    [("City", "Ghent")],
    [("Summary", "Residents and newcomers meet in pairs.")],
)


def _empty_headings(markup: str) -> list[str]:
    return re.findall(r"<h[1-6][^>]*>\s*</h[1-6]>", markup)


def test_a_practice_box_on_a_page_of_its_own_has_no_empty_heading() -> None:
    # The published site gives each practice a page whose h1 is its title; the box there
    # comes without one.
    untitled = block_html(PracticeBox("", BOX.facts, BOX.fields))
    assert "Ghent" in untitled and "Residents and newcomers" in untitled
    assert _empty_headings(untitled) == [], untitled
    titled = block_html(BOX)
    assert "<h3>Buddy programme</h3>" in titled


def test_the_exported_file_has_no_empty_heading() -> None:
    page = render(Document(title="Toolkit", language="de", blocks=[BOX]))
    assert '<html lang="de">' in page
    assert _empty_headings(page) == []
