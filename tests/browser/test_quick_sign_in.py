"""Issue 17 item 16 in Chromium: a sign-in typed and sent the moment the form shows succeeds.

A person who types their username and password and presses Enter at once must
be signed in at the first try. Each round is a fresh browser context (no cookie):
the username and password are typed and Enter pressed within 100 ms of the
sign-in form first showing, with no retry, twenty times in a row.

The typing runs React's input handlers, so on a busy machine (make test runs two
workers on two cores) it can itself take longer than 100 ms. Such a round still
must sign in, but it does not count as a quick one: the test goes on until twenty
quick rounds have signed in, and fails if the machine never allows them.
"""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.helpers import assert_no_exception, wait_idle

pytestmark = pytest.mark.e2e

ROUNDS = 20
QUICK_MS = 100
MAX_ATTEMPTS = 2 * ROUNDS

# Types the username and password and presses Enter as soon as the sign-in form shows,
# from inside the page (a round trip from the test per key would take longer than a
# person does), and notes when the form showed and when Enter was pressed.
TYPE_AT_ONCE = """
window.__copSignIn = (username, password) => {
  const secret = document.querySelector('input[type="password"]');
  const name = document.querySelector('input[aria-label="Username"]');
  if (!secret || !name) return false;
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  for (const [input, text] of [[name, username], [secret, password]]) {
    input.focus();
    setValue.call(input, text);
    input.dispatchEvent(new Event('input', {bubbles: true}));
  }
  const enter = {key: 'Enter', code: 'Enter', keyCode: 13, which: 13, bubbles: true};
  for (const kind of ['keydown', 'keypress', 'keyup']) {
    secret.dispatchEvent(new KeyboardEvent(kind, enter));
  }
  return true;
};
if (window.__copCredentials) {
  new MutationObserver((_, observer) => {
    const shown = performance.now();
    if (!window.__copSignIn(...window.__copCredentials)) return;
    observer.disconnect();
    window.__copFormShown = shown;
    window.__copEnterPressed = performance.now();
  }).observe(document, {subtree: true, childList: true});
}
"""
CREDENTIALS = f"window.__copCredentials = {json.dumps(['member', DEMO_PASSWORD])};"


def test_sign_in_sent_at_once_succeeds_every_time(demo, new_context) -> None:
    quick = attempts = 0
    while quick < ROUNDS:
        attempts += 1
        assert attempts <= MAX_ATTEMPTS, (
            f"only {quick} of {attempts - 1} rounds typed within {QUICK_MS} ms: the machine is too busy"
        )
        ctx = new_context()
        page = ctx.new_page()
        page.add_init_script(CREDENTIALS + TYPE_AT_ONCE)
        page.goto(demo.url)
        page.wait_for_function("window.__copEnterPressed !== undefined", timeout=30_000)
        elapsed = page.evaluate("window.__copEnterPressed - window.__copFormShown")
        try:
            expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
        except AssertionError as exc:
            raise AssertionError(
                f"round {attempts} (typed in {elapsed:.0f} ms): the quick sign-in was lost"
            ) from exc
        assert_no_exception(page)
        ctx.close()
        quick += elapsed < QUICK_MS


def test_the_same_typing_signs_in_once_the_page_has_settled(demo, new_context) -> None:
    """The control: the in-page typing above is a real sign-in when sent after the page settled."""
    page = new_context().new_page()
    page.add_init_script(TYPE_AT_ONCE)
    page.goto(demo.url)
    wait_idle(page)
    time.sleep(2)
    wait_idle(page)
    assert page.evaluate("([u, p]) => window.__copSignIn(u, p)", ["member", DEMO_PASSWORD])
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
