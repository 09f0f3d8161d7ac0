"""Sign in as the demo facilitator, stay signed in across reload and tabs, visit every page, sign out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cop.shell.navigation import PAGES
from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception, open_page, sign_in, wait_idle

pytestmark = pytest.mark.e2e


def test_facilitator_signs_in_visits_every_page_and_signs_out(server, context) -> None:
    page = context.new_page()
    sign_in(page, server.url, "facilitator", DEMO_PASSWORD)
    expect(page.get_by_text("Welcome, Hannah Clarke")).to_be_visible()

    page.reload()
    wait_idle(page)
    expect(page.get_by_text("Welcome, Hannah Clarke")).to_be_visible()

    second_tab = context.new_page()
    open_page(second_tab, server.url)
    expect(second_tab.get_by_text("Welcome, Hannah Clarke")).to_be_visible()
    second_tab.close()

    nav = page.get_by_test_id("stSidebarNav")
    titles = [spec.title for spec in PAGES.values() if not spec.admin_only]
    assert "Admin" not in nav.inner_text()
    for title in titles:
        nav.get_by_text(title, exact=True).click()
        wait_idle(page)
        assert_no_exception(page)
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    nav.get_by_text("Home", exact=True).click()
    wait_idle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / "home.png")
    )  # to look at; the README's pictures are make screens'

    page.get_by_role("button", name="Sign out").click()
    wait_idle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert "Hannah Clarke" not in page.inner_text("body")


def test_wrong_password_gets_the_generic_message(server, context) -> None:
    page = context.new_page()
    open_page(page, server.url)
    page.get_by_label("Username").fill("member")
    page.get_by_label("Password", exact=True).fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    wait_idle(page)
    expect(page.get_by_text("Username or password is incorrect")).to_be_visible()
