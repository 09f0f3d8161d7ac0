"""The browser fixtures, registered once for the whole run from tests/conftest.py.

One Chromium per run: Playwright's sync API cannot start a second instance in
the same thread while the first is open, so tests outside tests/browser (the last
ones, which stop PostgreSQL) must share this one rather than import their own.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, CHROMIUM, LAUNCH_ARGS


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        reason = (
            f"no Chromium at {CHROMIUM} (make test installs Debian's chromium when run as root)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def new_context(browser, request: pytest.FixtureRequest):
    """A factory of browser contexts (separate cookie jars) for one test; on failure every open
    page is photographed into test-artifacts/."""
    contexts = []
    failed_before = request.session.testsfailed

    def make():
        ctx = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True
        )
        contexts.append(ctx)
        return ctx

    yield make
    if request.session.testsfailed > failed_before:
        ARTIFACTS.mkdir(exist_ok=True)
        for i, ctx in enumerate(contexts):
            for j, shown in enumerate(ctx.pages):
                try:
                    shown.screenshot(
                        path=str(ARTIFACTS / f"{request.node.name}-{i}-{j}.png"), full_page=True
                    )
                except Exception as exc:  # a crashed page must not hide the test's own failure
                    print(f"no screenshot of context {i} page {j}: {exc}")
    for ctx in contexts:
        ctx.close()
