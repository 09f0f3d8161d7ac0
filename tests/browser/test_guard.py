"""Opening any page's URL directly on a fresh server without a cookie shows only the sign-in,
or, for the one page anyone may read (the accessibility statement), that page and nothing else."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cop.shell.navigation import PAGES
from tests.browser.helpers import assert_no_exception, open_page

pytestmark = pytest.mark.e2e

# Text that only a signed-in user may see: community names and member names of the demo.
SECRETS = ["Community building and welcoming culture", "Hannah Clarke", "Lena Schäfer", "Welcome,"]


def test_every_page_url_opened_directly_shows_sign_in_and_no_data(server, page) -> None:
    for key in ["", *PAGES]:
        open_page(page, f"{server.url}/{key}")
        if key and PAGES[key].public:
            expect(page.get_by_role("heading", name="Accessibility statement")).to_be_visible()
        else:
            expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        # No list of the pages/ files (Streamlit's fallback when no navigation is registered).
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
        body = page.inner_text("body")
        for secret in SECRETS:
            assert secret not in body, f"/{key} leaked {secret!r} before sign-in"
        assert_no_exception(page)
