"""Issue 18 finding 4 in Chromium: a sign-in cookie that does not verify is ignored and cleared.

Anyone can put any cookie in their browser. A JWT with ``"alg": "none"`` made
streamlit-authenticator raise before the page was drawn, so every page showed an
error box instead of the sign-in. Each bad cookie here is set in a fresh browser
context: the app shows the sign-in form, no exception, and the cookie is gone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Server, stop_server
from tests.browser.helpers import assert_no_exception, open_page
from tests.browser.journeys import assert_clean_log, demo_server

pytestmark = pytest.mark.e2e

KEY = "the browser tests' own cookie key, long enough"
COOKIE = "cop_session"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = demo_server(tmp_path_factory.mktemp("cookies"), extra_env={"COP_COOKIE_KEY": KEY})
    yield running
    stop_server(running)
    assert_clean_log(running)


def _later(days: float) -> float:
    return (datetime.now(UTC) + timedelta(days=days)).timestamp()


BAD_COOKIES: dict[str, Callable[[], str]] = {
    "alg none": lambda: jwt.encode(
        {"username": "admin", "exp_date": _later(14)}, key=None, algorithm="none"
    ),
    "another key": lambda: jwt.encode(
        {"username": "admin", "exp_date": _later(14)}, "somebody else's key" * 3, algorithm="HS256"
    ),
    "garbage": lambda: "not-a-token",
    "expired": lambda: jwt.encode(
        {"username": "admin", "exp_date": _later(-1)}, KEY, algorithm="HS256"
    ),
    "no exp_date": lambda: jwt.encode({"username": "admin"}, KEY, algorithm="HS256"),
    "username a list": lambda: jwt.encode(
        {"username": ["admin"], "exp_date": _later(14)}, KEY, algorithm="HS256"
    ),
}


def _with_cookie(new_context, server: Server, token: str):  # noqa: ANN001, ANN202
    ctx = new_context()
    ctx.add_cookies([{"name": COOKIE, "value": token, "url": server.url}])
    page = ctx.new_page()
    open_page(page, server.url)
    return page


@pytest.mark.parametrize("kind", list(BAD_COOKIES))
def test_a_cookie_that_does_not_verify_shows_the_sign_in(server, new_context, kind: str) -> None:
    page = _with_cookie(new_context, server, BAD_COOKIES[kind]())
    assert_no_exception(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.get_by_role("button", name="Sign out").count() == 0
    deadline = time.time() + 15
    while any(c["name"] == COOKIE for c in page.context.cookies()) and time.time() < deadline:
        time.sleep(0.2)
    assert not any(c["name"] == COOKIE for c in page.context.cookies()), "the bad cookie stayed"


def test_a_cookie_signed_with_the_key_still_signs_in(server, new_context) -> None:
    """The same route with a good cookie signs in, so the refusals above are the check's doing."""
    token = jwt.encode({"username": "member", "exp_date": _later(14)}, KEY, algorithm="HS256")
    page = _with_cookie(new_context, server, token)
    assert_no_exception(page)
    expect(page.get_by_text("Welcome, Lena Schäfer")).to_be_visible()
