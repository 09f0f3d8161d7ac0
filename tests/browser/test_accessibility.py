"""Issue 23: no serious or critical WCAG 2.1 A/AA violation found by axe-core on any page and its
main states, in English and German, as an administrator and as an observer; nor on the
published toolkit website (served under /published/) and a chapter's HTML export, in English
and German.

One server for the module and one signed-in browser per role and language; each test walks its
pages in that browser. A failure lists each rule, element and page. With
``COP_A11Y_REPORT=<file>`` (``make a11y``) the counts per state and impact are written there.

On the way, the walk checks that every page's sidebar links the accessibility statement (the
sign-in page under its form), and that a toolkit edition in the other language is marked
with its ``lang`` where a page shows it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from cop.core import db
from cop.core.i18n import translator
from cop.core.permissions import SYSTEM
from cop.toolkit.export import export_chapter
from tests.browser.accessibility import (
    ADMIN_STATES,
    FULL,
    OBSERVER_STATES,
    Finding,
    Tally,
    describe,
    write_report,
)
from tests.browser.conftest import DEMO_PASSWORD, stop_server
from tests.browser.helpers import query_rows, wait_for_cookie, wait_idle
from tests.browser.journeys import choose, demo_server, open_sign_in
from tests.browser.screens import State, _open

pytestmark = pytest.mark.e2e

ROLES = {"admin": ADMIN_STATES, "observer": OBSERVER_STATES}
LOCALES = {"en": "en-GB", "de": "de-DE"}
# `make a11y` walks every role in every language. `make test` crosses them (admin in German,
# the observer in English): every page and both languages within the CI budget; the pages'
# layout does not depend on the pairing, and each language's signed-out pages are checked once.
COMBINATIONS = (
    [(role, language) for role in ROLES for language in LOCALES]
    if FULL
    else [("admin", "de"), ("observer", "en")]
)
SIGNED_OUT_CHECKED_BY = {language: role for role, language in reversed(COMBINATIONS)}


@pytest.fixture(scope="module")
def tally() -> Iterator[Tally]:
    found = Tally()
    yield found
    target = os.environ.get("COP_A11Y_REPORT")
    if target and found.counts:
        version = AXE_SCRIPT.split("axe v", 1)[1].split()[0]
        write_report(Path(target), found, version)


@pytest.fixture(scope="module")
def a11y_server(tmp_path_factory: pytest.TempPathFactory):
    running = demo_server(tmp_path_factory.mktemp("a11y"))
    yield running
    stop_server(running)


def _editions(database_url: str) -> dict[str, tuple[str, int]]:
    """The demo's editions by language: their title as the picker shows it, and an approved
    chapter."""
    rows = query_rows(
        database_url,
        "SELECT t.language, t.title, t.year, MIN(c.id) FROM toolkit t"
        " JOIN chapter c ON c.toolkit_id = t.id AND c.approved_number > 0"
        " GROUP BY t.id ORDER BY t.id",
    )
    return {language: (f"{title} ({year})", chapter) for language, title, year, chapter in rows}


def _set_language(database_url: str, username: str, language: str) -> None:
    """The person's language as the profile page saves it (the next run reads it)."""
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text('UPDATE "user" SET language = :l WHERE username = :u'),
            {"l": language, "u": username},
        )
        conn.execute(sa.text("UPDATE data_version SET value = value + 1"))
    engine.dispose()


@pytest.mark.parametrize(("role", "language"), COMBINATIONS)
def test_every_page_has_no_serious_or_critical_violation(
    a11y_server, browser, tally: Tally, role: str, language: str
) -> None:
    _set_language(a11y_server.database_url, role, language)
    _ = translator(language)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale=LOCALES[language], reduced_motion="reduce"
    )
    try:
        page = context.new_page()
        blocking: list[Finding] = []
        wrong_language: list[str] = []
        no_statement: list[str] = []

        def check(name: str, statement_link: str | None = "navigation") -> None:
            nonlocal blocking
            blocking += tally.check(page, name)
            # The statement is one click away: in every signed-in page's navigation, under the
            # sign-in form when signed out.
            if statement_link is not None:
                link = (
                    page.get_by_test_id("stSidebarNav").locator('a[href$="/accessibility"]')
                    if statement_link == "navigation"
                    else page.get_by_role("link", name=_("Accessibility statement"), exact=True)
                )
                if link.count() == 0:
                    no_statement.append(name)
            # WCAG 3.1.1: the page says its language (Streamlit's own page says "en"). Our
            # script runs when the sidebar's element mounts, which a busy browser may do late.
            try:
                page.wait_for_function(
                    f"document.documentElement.lang === {language!r}", timeout=10_000
                )
            except PlaywrightTimeoutError:
                said = page.evaluate("document.documentElement.lang")
                wrong_language.append(f"{name}: <html lang={said!r}>")

        signed_out = SIGNED_OUT_CHECKED_BY[language] == role
        if signed_out:  # once per language: the statement and the sign-in, signed out
            page.goto(f"{a11y_server.url}/accessibility")
            wait_idle(page)
            assert page.get_by_role("heading", name=_("Accessibility statement")).count() == 1
            check(f"accessibility signed out [{language}]", statement_link=None)
        open_sign_in(page, a11y_server.url)
        if signed_out:
            check(f"sign-in [{language}]", statement_link="form")
        page.get_by_label(_("Username")).fill(role)
        page.get_by_label(_("Password"), exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name=_("Sign in")).click()
        page.get_by_label(_("Username")).wait_for(state="detached", timeout=30_000)
        wait_idle(page)
        wait_for_cookie(page)
        for state in ROLES[role]:
            _open(page, a11y_server.url, state, _)
            check(f"{state.name} [{role}, {language}]")
        # WCAG 3.1.2: the edition in the other language, chosen on the Toolkit page, is marked
        # with its language (its title, and the chapter's title and text below).
        other = next(code for code in LOCALES if code != language)
        title = _editions(a11y_server.database_url)[other][0]
        _open(page, a11y_server.url, State("toolkit", "toolkit"), _)
        choose(page.get_by_test_id("stMain"), _("Edition"), title)
        marked = page.locator(f'[lang="{other}"]')
        edition_title = title.rsplit(" (", 1)[0]
        expect(marked.get_by_role("heading", name=edition_title), "the edition").to_have_count(1)
        expect(marked.get_by_role("heading", level=3).first, "the chapter").to_be_visible()
        check(f"toolkit in {other} [{role}, {language}]")
        # Each language's name in the profile's list of languages is marked as that language.
        _open(page, a11y_server.url, State("profile", "profile"), _)
        page.get_by_test_id("stMain").get_by_role(
            "combobox", name=_("Language"), exact=True
        ).click()
        for name, code in (("English", "en"), ("Deutsch", "de")):
            option = page.get_by_role("option", name=name, exact=True)
            expect(option, f"the option {name}").to_have_attribute("lang", code)
        page.keyboard.press("Escape")
    finally:
        context.close()
    assert not no_statement, "no link to the accessibility statement on:\n" + "\n".join(
        no_statement
    )
    assert not wrong_language, "the page's language is not the reader's:\n" + "\n".join(
        wrong_language
    )
    assert not blocking, (
        f"{len(blocking)} serious or critical accessibility violations:\n{describe(blocking)}"
    )


@pytest.mark.parametrize("language", list(LOCALES))
def test_the_published_website_and_the_html_export_have_no_serious_or_critical_violation(
    a11y_server, browser, tally: Tally, tmp_path: Path, language: str
) -> None:
    """The demo publishes its English and German editions as it loads: the list of websites
    under /published/, an edition's home, a chapter (also on a phone, where its tables scroll
    inside their frames) and a practice example; and the HTML export of a chapter of that
    edition, opened from the file as a reader does."""
    chapter_id = _editions(a11y_server.database_url)[language][1]
    engine = db.get_engine(a11y_server.database_url)
    exported = export_chapter(SYSTEM, chapter_id, "html", engine=engine)
    html_file = tmp_path / exported.filename
    html_file.write_bytes(exported.data)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale=LOCALES[language], reduced_motion="reduce"
    )
    blocking: list[Finding] = []
    try:
        page = context.new_page()

        def check(name: str) -> None:
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.lang") == language, name
            blocking.extend(tally.check(page, f"{name} [{language}]"))

        page.goto(f"{a11y_server.url}/published/")
        check("published websites")
        page.locator(f'li[lang="{language}"] a').first.click()
        page.locator("ul.cop-chapters a").first.wait_for()
        check("published website home")
        page.locator("ul.cop-chapters a").first.click()
        page.locator("article h1").wait_for()
        check("published website chapter")
        # On a phone its tables are wider than the screen and scroll inside their frames.
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        page.locator("article h1").wait_for()
        check("published website chapter, 390 px")
        page.set_viewport_size({"width": 1280, "height": 900})
        practice = page.locator("ul.cop-practices a").first
        practice.click()
        page.locator("article .practice").wait_for()
        check("published website practice example")
        page.goto(html_file.as_uri())
        check("HTML export of a chapter")
    finally:
        context.close()
    assert not blocking, (
        f"{len(blocking)} serious or critical accessibility violations:\n{describe(blocking)}"
    )
