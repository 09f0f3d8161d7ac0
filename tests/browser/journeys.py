"""What the journey tests share: a demo server that starts fast, accounts, and widget helpers.

The demo workspace is built once per test run into a template SQLite file
(through the same ``load_demo`` the server would run on first start) and
copied into each module's fresh data directory, so a server is up in seconds
instead of loading the demo again for every module.

Widget helpers follow how Streamlit 1.67 draws its widgets in Chromium:
selectboxes are comboboxes whose options appear in a listbox, date inputs are
segmented fields typed year-month-day, segmented controls are radio buttons,
and a dataframe is a canvas whose cells are mirrored in an accessible table.
"""

from __future__ import annotations

import atexit
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path

from playwright.sync_api import Download, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import Server, start_server
from tests.browser.helpers import wait_for_cookie, wait_idle

_template: Path | None = None


def demo_template() -> Path:
    """The demo workspace as a SQLite file, built once per test process."""
    global _template
    if _template is None:
        from cop.backup.demo import load_demo
        from cop.core import db, schema

        folder = tempfile.mkdtemp(prefix="cop-demo-template-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = Path(folder) / "cop.db"
        engine = db.get_engine(f"sqlite:///{path}")
        schema.upgrade(engine)
        load_demo(engine)
        db.dispose_engines()
        _template = path
    return _template


def copy_demo(data_dir: Path) -> Path:
    """A private copy of the demo database in ``data_dir`` (the SQLite backup API copies WAL content too)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / "cop.db"
    with (
        closing(sqlite3.connect(demo_template())) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
    return target


def demo_server(
    data_dir: Path,
    extra_env: dict[str, str] | None = None,
    extra_args: list[str] | None = None,
    *,
    fresh: bool = True,
) -> Server:
    """A real ``streamlit run serve.py`` on the demo workspace; ``fresh=False`` shares ``data_dir``'s database."""
    if fresh:
        copy_demo(data_dir)
    return start_server(data_dir, extra_env=extra_env, extra_args=extra_args)


def assert_clean_log(server: Server) -> None:
    """No traceback and no Streamlit error in the server's log."""
    log = server.log.read_text(errors="replace")
    problems = [
        line
        for line in log.splitlines()
        if re.search(r"Traceback|Error|Exception", line) and "HTTP/1.1" not in line
    ]
    assert not problems, (
        f"server log {server.log} has errors:\n" + "\n".join(problems[:20]) + "\n" + log[-4000:]
    )


# --- moving around -----------------------------------------------------------------------------


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def go(page: Page, title: str) -> None:
    """Open a page from the sidebar navigation (deep links are not followed across a fresh load)."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_idle(page)


def click(locator: Locator) -> None:
    locator.click()
    wait_idle(locator.page)


def pick_community(page: Page, name: str) -> None:
    """The community switcher in the sidebar."""
    choose(page.get_by_test_id("stSidebar"), "Community", name)


# --- widgets -----------------------------------------------------------------------------------


def choose(scope: Locator | Page, label: str, option: str | re.Pattern[str]) -> None:
    """Open the selectbox labelled ``label`` inside ``scope`` and pick ``option`` (a text, or a pattern)."""
    page = scope if isinstance(scope, Page) else scope.page
    scope.get_by_role("combobox", name=label, exact=True).click()
    # An open list hides the rest of the page from the accessibility tree, so from here on
    # only page-wide locators work. A click right after another list closed may only focus the box.
    try:
        expect(page.get_by_role("listbox").first).to_be_visible(timeout=3_000)
    except AssertionError:
        page.keyboard.press("ArrowDown")
    if isinstance(option, str):
        page.get_by_role("option", name=option, exact=True).click()
    else:
        page.get_by_role("option", name=option).click()
    wait_idle(page)


def eventually(check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Poll ``check`` until it holds: for what the browser draws after the script has finished."""
    deadline = time.time() + timeout
    while not check():
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def type_date(scope: Locator | Page, label: str, day: date) -> None:
    """Type a date into the date input labelled ``label`` (its segments read yyyy/mm/dd)."""
    page = scope if isinstance(scope, Page) else scope.page
    year = scope.get_by_role("spinbutton", name=f"year, {label}", exact=True)
    year.focus()
    page.keyboard.type(
        day.strftime("%Y%m%d")
    )  # the field moves on by itself and keeps a complete date
    # Focus opens the calendar, which would cover what lies below it. A click on the field's own
    # label closes it (Escape would also close a popover the field sits in).
    calendar = page.locator("[data-floating-ui-portal]").get_by_role("grid")
    if calendar.count():
        field = scope.get_by_test_id("stDateInput").filter(
            has=page.get_by_role("spinbutton", name=f"year, {label}")
        )
        field.get_by_test_id("stWidgetLabel").click()
        expect(calendar).to_have_count(0)


def fill_text(field: Locator, text: str) -> None:
    """Type into a text input and commit it (Enter), as a user does outside a form."""
    field.fill(text)
    field.press("Enter")
    wait_idle(field.page)


def grid_text(scope: Locator | Page) -> str:
    """The text of the first dataframe in ``scope``, read from its accessible mirror table."""
    return scope.get_by_test_id("stDataFrame").first.locator("table").text_content() or ""


def expect_text(
    scope: Locator | Page, text: str | re.Pattern[str], timeout: float = 30_000
) -> None:
    target = scope.get_by_text(text).first
    expect(target).to_be_visible(timeout=timeout)


# Counts finished script runs in the page, from its first paint on.
COUNT_RUNS = """
window.__copRuns = 0;
new MutationObserver(() => {
    const el = document.querySelector('[data-test-script-state]');
    const state = el && el.getAttribute('data-test-script-state');
    if (state === window.__copState) return;
    if (state === 'notRunning' && window.__copState === 'running') window.__copRuns += 1;
    window.__copState = state;
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
# The sign-in page is ready for typing once the cookie component has reported and its rerun ended.
SIGN_IN_READY = (
    "window.__copRuns >= 2 && !!document.querySelector('iframe[title$=\"cookie_manager\"]')"
)


def open_sign_in(page: Page, base_url: str) -> None:
    """Open the sign-in page and wait until a click on "Sign in" cannot be lost.

    The page's first run draws the form and the sign-in widget's cookie
    component; when that component reports (later on a busy server) it
    triggers a second run, and a form submitted in between can be dropped:
    the fields empty and nothing happens. So a careful user, and these tests,
    wait for that second run (at most 15 s, then go ahead).
    """
    page.add_init_script(COUNT_RUNS)
    page.goto(base_url)
    try:
        page.wait_for_function(SIGN_IN_READY, timeout=15_000)
    except PlaywrightTimeoutError:
        pass
    wait_idle(page)


def enter(page: Page, base_url: str, username: str, password: str, *, cookie: bool = False) -> None:
    """Sign in through the form once the page is ready (``open_sign_in``).

    The sign-in cookie is written by a component after the first signed-in
    run; journeys that stay in one browser session do not need it, so only
    ``cookie=True`` waits for it (as ``helpers.sign_in`` does).
    """
    open_sign_in(page, base_url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    wait_idle(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
    if cookie:
        wait_for_cookie(page)


def create_accounts(
    database_url: str,
    usernames: list[str],
    password: str,
    *,
    community: str | None = "welcoming-culture",
    role: str = "member",
) -> None:
    """Accounts (and their people) made through the services, each a ``role`` of ``community``."""
    from cop.accounts import service as accounts
    from cop.communities import service as communities
    from cop.core import db
    from cop.core.permissions import SYSTEM

    with db.write_session(db.get_engine(database_url)) as session:
        where = communities.get_by_slug(session, SYSTEM, community) if community else None
        for username in usernames:
            user = accounts.create_user(
                session,
                SYSTEM,
                username=username,
                password=password,
                name=f"Test person {username}",
            )
            if where is not None:
                communities.add_member(session, SYSTEM, where.id, user.person_id, role)  # type: ignore[arg-type]


# --- downloads ---------------------------------------------------------------------------------


def one_click_download(link: Locator, timeout: float = 60.0) -> tuple[str, bytes]:
    """Click a one-click download link once; the file the browser saved: its name and bytes.

    The link (``st.link_button``) opens in a new tab, which turns into the download and
    closes; the download is reported on that tab, so every new tab is listened to first.
    """
    context = link.page.context
    saved: list[Download] = []

    def keep(download: Download) -> None:
        saved.append(download)

    def listen(tab: Page) -> None:
        tab.on("download", keep)

    context.on("page", listen)
    link.page.on("download", keep)
    try:
        expect(link).to_be_visible(timeout=30_000)
        link.click()
        deadline = time.time() + timeout
        while not saved and time.time() < deadline:
            link.page.wait_for_timeout(100)
    finally:
        context.remove_listener("page", listen)
        link.page.remove_listener("download", keep)
    assert saved, f"no download after {timeout:.0f} s"
    with open(saved[0].path(), "rb") as file:
        return saved[0].suggested_filename, file.read()
