"""Publishing the toolkit website from the demo workspace: what goes online, and what never does."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser

import pytest
from sqlmodel import select

from cop.accounts.service import load_actor
from cop.communities import service as communities
from cop.core.db import read_session, write_session
from cop.core.errors import PermissionDenied, ValidationError
from cop.core.permissions import SYSTEM
from cop.publishing import service as publishing
from cop.publishing.mkdocs_hooks import fold, folded_words
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from cop.toolkit.models import Chapter

SCRIPT = "<script>window.__pwned = 1</script>"


def _site(toolkit_id: int) -> zipfile.ZipFile:
    with read_session() as session:
        archive = publishing.site_archive(session, toolkit_id)
    assert archive is not None
    return zipfile.ZipFile(io.BytesIO(archive))


def _pages(site: zipfile.ZipFile) -> dict[str, str]:
    return {n: site.read(n).decode("utf-8") for n in site.namelist() if n.endswith(".html")}


def _approve_with_section(chapter_id: int, title: str, body: str) -> None:
    with write_session() as s:
        toolkit_sections.add_section(s, SYSTEM, chapter_id, "free_text", title=title, body=body)
    with write_session() as s:
        chapter = s.get(Chapter, chapter_id)
        toolkit.submit_chapter(s, SYSTEM, chapter_id, chapter.version)
    with write_session() as s:
        chapter = s.get(Chapter, chapter_id)
        toolkit.approve_chapter(s, SYSTEM, chapter_id, chapter.version)


def _chapters() -> list[Chapter]:
    with read_session() as s:
        return list(s.exec(select(Chapter).order_by(Chapter.id)).all())


def test_the_site_shows_approved_revisions_and_never_a_draft(demo_db: str) -> None:
    first = _chapters()[0]
    _approve_with_section(first.id, "Welcome Points", "Neighbourhood Welcome Points in Düsseldorf.")
    with write_session() as s:
        toolkit_sections.add_section(
            s, SYSTEM, first.id, "free_text", title="Unreviewed", body="DRAFT-ONLY-TEXT"
        )
    with write_session() as s:
        community = communities.create_community(
            s, SYSTEM, name="Newcomers' community", slug="newcomers"
        )
        never = toolkit.add_chapter(s, SYSTEM, first.toolkit_id, community.id, "NEVER-APPROVED")
        toolkit_sections.add_section(s, SYSTEM, never.id, "free_text", body="NEVER-APPROVED-TEXT")
    with read_session() as s:
        before = publishing.latest_publication(s, first.toolkit_id)
    done = publishing.publish(SYSTEM, first.toolkit_id)
    pages = _pages(_site(first.toolkit_id))
    everything = "\n".join(pages.values())
    assert before is not None and done.number == before.number + 1
    assert done.pages == len(pages) - 1  # all but 404.html
    assert "Neighbourhood Welcome Points in Düsseldorf." in everything
    assert "DRAFT-ONLY-TEXT" not in everything
    # A chapter never approved is not online either.
    assert "NEVER-APPROVED" not in everything
    # Each practice example has a page of its own, linked from its chapter.
    practice_pages = [n for n in pages if n.count("/") == 2]
    assert practice_pages, sorted(pages)
    chapter_page = pages[practice_pages[0].rsplit("/", 1)[0] + ".html"]
    assert practice_pages[0].split("/", 1)[1] in chapter_page
    # The licence and credits are on every page.
    with read_session() as s:
        licence = toolkit.get_toolkit(s, first.toolkit_id).licence
    assert licence
    for name, html in pages.items():
        assert licence in html, name


def test_a_script_in_a_chapter_stays_text_and_nothing_is_fetched_from_another_host(
    demo_db: str,
) -> None:
    first = _chapters()[0]
    _approve_with_section(first.id, f"Title {SCRIPT}", f"Body {SCRIPT} [x](javascript:alert(1))")
    publishing.publish(SYSTEM, first.toolkit_id)
    site = _site(first.toolkit_id)
    pages = _pages(site)
    chapter_html = next(h for n, h in pages.items() if n.startswith("chapters/") and "Body" in h)
    assert "window.__pwned" in chapter_html  # the text is there ...
    assert "<script>window.__pwned" not in chapter_html  # ... never as a script
    assert not re.search(r"href=\"javascript:", chapter_html, re.IGNORECASE)
    outside = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//""")
    for name in site.namelist():
        if name.endswith((".html", ".js", ".css")):
            text = site.read(name).decode("utf-8", "replace")
            for match in outside.finditer(text):
                context = text[match.start() : match.start() + 120]
                # Links a reader may follow are fine; nothing may be loaded from elsewhere.
                assert (
                    context.startswith("href")
                    and "<link" not in text[match.start() - 40 : match.start()]
                ), (
                    name,
                    context,
                )


def test_search_finds_a_word_by_its_spelling_without_accents(demo_db: str) -> None:
    first = _chapters()[0]
    _approve_with_section(first.id, "Visits", "A virtual visit hosted by Düsseldorf and Malmö.")
    publishing.publish(SYSTEM, first.toolkit_id)
    site = _site(first.toolkit_id)
    index = json.loads(site.read("search/search_index.json"))
    texts = " ".join(d["text"] for d in index["docs"])
    assert "Dusseldorf" in texts and "Malmo" in texts
    # The offline copy the file:// site reads has them too.
    assert "Dusseldorf" in site.read("search/search_index.js").decode("utf-8")


def test_a_german_edition_is_published_with_a_german_interface(demo_db: str) -> None:
    first = _chapters()[0]
    with write_session() as s:
        german = toolkit.create_toolkit(
            s, SYSTEM, title="Werkzeugkasten", year=2021, language="de", licence="CC BY 4.0"
        )
        chapter = toolkit.add_chapter(s, SYSTEM, german.id, first.community_id)
        chapter_id = chapter.id
    _approve_with_section(chapter_id, "Willkommen", "Grüße aus Düsseldorf.")
    publishing.publish(SYSTEM, german.id)
    pages = _pages(_site(german.id))
    assert '<html lang="de"' in pages["index.html"]
    assert "Kapitel" in pages["index.html"]  # our own words on the site, in German
    assert "Suche" in pages["index.html"]  # the theme's words, in German


def test_a_facilitator_publishes_their_chapter_and_a_member_may_not(demo_db: str) -> None:
    first = _chapters()[0]
    publishing.publish(SYSTEM, first.toolkit_id)
    _approve_with_section(first.id, "Second round", "SECOND-REVISION-TEXT")
    with read_session() as s:
        facilitator = load_actor(s, username="facilitator")
        member = load_actor(s, username="member")
    assert facilitator is not None and member is not None
    with pytest.raises(PermissionDenied):
        publishing.publish(member, first.toolkit_id, chapter_id=first.id)
    with pytest.raises(PermissionDenied):
        publishing.publish(facilitator, first.toolkit_id)  # the edition is the admins'
    with read_session() as s:
        before = publishing.latest_publication(s, first.toolkit_id)
    done = publishing.publish(facilitator, first.toolkit_id, chapter_id=first.id)
    assert before is not None and done.number == before.number + 1
    assert done.chapters[str(first.id)] == first.approved_number + 1
    assert "SECOND-REVISION-TEXT" in "\n".join(_pages(_site(first.toolkit_id)).values())


def test_an_edition_without_an_approved_chapter_is_refused_with_a_clear_message(
    demo_db: str,
) -> None:
    with write_session() as s:
        empty = toolkit.create_toolkit(s, SYSTEM, title="Empty edition", year=2030)
    with pytest.raises(ValidationError) as refused:
        publishing.publish(SYSTEM, empty.id)
    assert "Empty edition has no approved chapter yet" in str(refused.value.fields["toolkit"])
    with read_session() as s:
        assert publishing.latest_publication(s, empty.id) is None


def test_folding_drops_accents_and_spells_out_letters_without_one() -> None:
    assert fold("Düsseldorf") == "Dusseldorf"
    assert fold("Øresund") == "Oresund"
    assert fold("Straße") == "Strasse"
    assert folded_words("<p>Malmö and Oslo</p>") == ["Malmo"]


class _Switcher(HTMLParser):
    """The language switcher's links: (lang, hreflang, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str | None, str | None, str]] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and "md-select__link" in (found.get("class") or ""):
            self._open = found

    def handle_data(self, data: str) -> None:
        if self._open is not None and data.strip():
            self.links.append((self._open.get("lang"), self._open.get("hreflang"), data.strip()))
            self._open = None


def test_the_language_switcher_marks_each_language_s_name_with_its_language(
    demo_db: str,
) -> None:
    # The demo publishes its English and German editions, each linking to the other.
    editions = {e.language: e.toolkit_id for e in _online()}
    assert set(editions) == {"en", "de"}
    for language, toolkit_id in editions.items():
        pages = _pages(_site(toolkit_id))
        assert f'<html lang="{language}"' in pages["index.html"]
        for name in ("index.html", next(n for n in pages if n.startswith("chapters/"))):
            switcher = _Switcher()
            switcher.feed(pages[name])
            assert sorted(switcher.links) == [
                ("de", "de", "Deutsch"),
                ("en", "en", "English"),
            ], f"{language} site, {name}: {switcher.links}"


def _online() -> list:  # noqa: ANN202
    with read_session() as s:
        return list(publishing.online_editions(s))
