"""Waiting for Streamlit the way DESIGN.md describes, and signing in like a user."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from typing import Any

import sqlalchemy as sa
from playwright.sync_api import Page, expect

SETTLE_SECONDS = 0.5


# True when the script is not running, the socket is connected and no skeleton shows.
IDLE_SCRIPT = """() => {
    const app = document.querySelector('[data-test-script-state]');
    const conn = document.querySelector('[data-test-connection-state]');
    if (!app || !conn) return false;
    return app.getAttribute('data-test-script-state') === 'notRunning'
        && conn.getAttribute('data-test-connection-state') === 'CONNECTED'
        && !document.querySelector('[data-testid="stSkeleton"]');
}"""


def wait_idle(page: Page, timeout: float = 60.0) -> None:
    """Wait until the script is not running, the socket is connected and no skeleton shows,
    and that state has held for about half a second."""
    deadline = time.time() + timeout
    stable_since: float | None = None
    while time.time() < deadline:
        idle = page.evaluate(IDLE_SCRIPT)
        if idle:
            stable_since = stable_since or time.time()
            if time.time() - stable_since >= SETTLE_SECONDS:
                return
        else:
            stable_since = None
        time.sleep(0.1)
    raise AssertionError("Streamlit did not settle")


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    open_page(page, base_url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    wait_idle(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=15_000)
    wait_for_cookie(page)


def wait_for_cookie(page: Page, name: str = "cop_session", timeout: float = 15.0) -> None:
    """The sign-in cookie is written by a component after the first signed-in run."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if any(c["name"] == name for c in page.context.cookies()):
            return
        time.sleep(0.1)
    raise AssertionError(f"the {name} cookie was not set")


def assert_no_exception(page: Page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]


def http_get(
    url: str, headers: dict[str, str] | None = None
) -> tuple[int, str, bytes, dict[str, str]]:
    """A plain HTTP GET as a calendar program or monitor makes it: status, type, body, headers."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return (
                response.status,
                response.headers.get("Content-Type", ""),
                response.read(),
                dict(response.headers),
            )
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read(), dict(error.headers)


def query_rows(database_url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of one read of the server's database, as plain tuples (the engine closed after)."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()
