"""Issue 9 in Chromium: a member switches their profile to German and the navigation and the forms
speak German, while another user signed in at the same time keeps English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception
from tests.browser.journeys import (
    assert_clean_log,
    choose,
    click,
    enter,
    go,
    main,
)

pytestmark = pytest.mark.e2e

GERMAN_NAVIGATION = {
    "Home": "Startseite",
    "Actions": "Aktionen",
    "Search": "Suche",
    "Profile": "Profil",
}
CATALOG_HINT = (
    "the German catalog (cop/locale/de/LC_MESSAGES/cop.po, compiled to cop.mo by "
    "`python -m cop.core.i18n_catalog compile`) lacks or does not load this string"
)


def navigation_titles(page: Page) -> list[str]:
    """The page titles of the sidebar navigation (each link also holds its icon's name)."""
    return [
        t.strip().split("\n")[-1].strip()
        for t in page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()
    ]


def test_member_switches_to_german_and_sees_navigation_and_forms_in_german(
    demo, new_context
) -> None:
    page = new_context().new_page()
    enter(page, demo.url, "member", DEMO_PASSWORD)
    other = new_context().new_page()
    enter(other, demo.url, "observer", DEMO_PASSWORD)

    go(page, "Profile")
    profile = main(page).get_by_test_id("stForm").first
    choose(profile, "Language", "Deutsch")
    click(profile.get_by_role("button", name="Save"))

    # The navigation in German (the next run after saving draws it).
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Startseite", timeout=30_000)
    titles = navigation_titles(page)
    for english, german in GERMAN_NAVIGATION.items():
        assert german in titles, (
            f"navigation shows {titles}: no {german!r} for {english!r}; {CATALOG_HINT}"
        )
        assert english not in titles, f"navigation still shows {english!r}; {CATALOG_HINT}"
    sign_out = page.get_by_test_id("stSidebar").get_by_role("button", name="Abmelden")
    assert sign_out.count() == 1, f"no 'Abmelden' (Sign out) button in the sidebar; {CATALOG_HINT}"
    switcher = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Community")
    expect(switcher, f"the community switcher is not in German; {CATALOG_HINT}").to_have_value(
        "Alle meine Communities"
    )

    # The profile form in German, field by field.
    body = main(page)
    expect(body.get_by_role("heading", name="Ihr Profil")).to_be_visible()
    for label in ("Sprache", "Zeitzone", "Aktuelles Passwort", "Neues Passwort"):
        assert body.get_by_label(label, exact=True).count() >= 1, (
            f"no field labelled {label!r}; {CATALOG_HINT}"
        )
    for button in ("Speichern", "Passwort ändern"):
        assert body.get_by_role("button", name=button).count() == 1, (
            f"no {button!r} button; {CATALOG_HINT}"
        )
    assert_no_exception(page)

    # Another page's form too: the search box.
    go(page, "Suche")
    expect(main(page).get_by_role("heading", name="Suche")).to_be_visible()
    box = main(page).get_by_role(
        "textbox",
        name="Workshops, Aktionen, Praxisbeispiele, Standards und Toolkit-Abschnitte durchsuchen",
    )
    assert box.count() == 1, f"the search box is not labelled in German; {CATALOG_HINT}"

    # The language is this user's only: someone signed in at the same time keeps English.
    go(other, "Search")
    assert set(GERMAN_NAVIGATION) <= set(navigation_titles(other)), navigation_titles(other)
    expect(other.get_by_role("button", name="Sign out")).to_be_visible()
    assert_no_exception(other)
    assert_clean_log(demo)
