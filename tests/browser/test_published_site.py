"""The published toolkit website in Chromium, opened from ``file://`` as a downloaded zip is.

Built from the demo workspace with a chapter revision that holds a script payload and
the word "Düsseldorf": the chapter and practice pages are there, the offline search finds
a practice by a word of its text and by the accent-free spelling, the payload stays
text, and no request leaves the folder.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlmodel import select

from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM
from cop.publishing import service as publishing
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from cop.toolkit.models import Chapter

pytestmark = pytest.mark.e2e

PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'


@pytest.fixture
def site(demo_db: str, tmp_path: Path) -> Path:
    with read_session() as s:
        chapter = s.exec(select(Chapter).where(Chapter.approved_number > 0)).first()
        assert chapter is not None
        chapter_id, toolkit_id = chapter.id, chapter.toolkit_id
    with write_session() as s:
        toolkit_sections.add_section(
            s,
            SYSTEM,
            chapter_id,
            "free_text",
            title="City cooperation",
            body=f"A three-day virtual visit hosted by Düsseldorf. {PAYLOAD}",
        )
    for step in (toolkit.submit_chapter, toolkit.approve_chapter):
        with write_session() as s:
            step(s, SYSTEM, chapter_id, s.get(Chapter, chapter_id).version)
    with write_session() as s:
        toolkit_sections.add_section(
            s, SYSTEM, chapter_id, "free_text", title="Unapproved", body="NOT-YET-APPROVED"
        )
    publishing.publish(SYSTEM, toolkit_id)
    with read_session() as s:
        archive = publishing.site_archive(s, toolkit_id)
    folder = tmp_path / "site"
    zipfile.ZipFile(io.BytesIO(archive or b"")).extractall(folder)
    return folder


def _search(page, words: str) -> list[str]:  # noqa: ANN001
    """Type into the site's search box as a reader does (the theme listens to key presses)."""
    box = page.locator("input[data-md-component='search-query']")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box.fill("")
    box.press_sequentially(words, delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    return results.all_inner_texts()


def test_the_downloaded_site_reads_searches_and_stays_on_the_reader_s_disk(
    site: Path, page
) -> None:  # noqa: ANN001
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith(("file://", "data:", "blob:")) else None
        ),
    )
    page.on("dialog", lambda d: (outside.append(f"dialog {d.message}"), d.dismiss()))
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="Community building and welcoming culture").first.click()
    page.get_by_role("heading", name="City cooperation").wait_for()
    body = page.locator("article").inner_text()
    assert "A three-day virtual visit hosted by Düsseldorf." in body
    assert "window.__pwned=1" in body  # the payload is shown as text ...
    assert page.evaluate("window.__pwned") is None  # ... and never ran
    assert "NOT-YET-APPROVED" not in page.content()
    # The practice example has its own page.
    page.get_by_role("link", name="Buddy programme for newcomers").first.click()
    page.get_by_role("heading", name="Buddy programme for newcomers", level=1).wait_for()
    # The offline search: by a word of the practice and by a spelling without accents.
    assert any("Buddy programme" in r for r in _search(page, "buddy"))
    assert any("City cooperation" in r or "Düsseldorf" in r for r in _search(page, "dusseldorf"))
    assert outside == []
