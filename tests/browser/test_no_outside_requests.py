"""Issue 18 "Also" in Chromium: no request leaves the app's own host.

A public body in Germany may not send its visitors' addresses to a third party:
the page icon, fonts and icons are served by the app itself. Every request of
the browser context is recorded (route interception and the request events) and
any whose host is not the app's is refused and listed, from the sign-in page
through every page of the navigation as admin. The favicon Chromium may fetch
outside both, so its link is checked in the page too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from cop.shell.navigation import PAGES
from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import enter, go

pytestmark = pytest.mark.e2e

ICON_LINKS = """() => Array.from(document.querySelectorAll("link[rel~='icon']")).map(l => l.href)"""


def test_no_request_leaves_the_apps_host(demo, new_context) -> None:
    own = urlsplit(demo.url).netloc
    outside: list[str] = []

    def foreign(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc != own

    def route(route, request) -> None:  # noqa: ANN001
        if foreign(request.url):
            outside.append(request.url)
            route.abort()
        else:
            route.continue_()

    ctx = new_context()
    ctx.route("**/*", route)
    ctx.on("request", lambda request: foreign(request.url) and outside.append(request.url))
    page = ctx.new_page()

    enter(page, demo.url, "admin", DEMO_PASSWORD)
    icons = page.evaluate(ICON_LINKS)
    for spec in PAGES.values():
        go(page, spec.title)
        wait_idle(page)
        assert_no_exception(page)
        icons += page.evaluate(ICON_LINKS)

    assert icons, "the page has no icon link"
    outside += [href for href in icons if foreign(href)]
    assert not outside, "requests left the app's host:\n" + "\n".join(sorted(set(outside)))
