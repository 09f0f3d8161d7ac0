"""`make screens`: every page and its main states as each demo role sees them, in English and
German, at 1400 px and 390 px wide, photographed in Chromium into docs/screens/.

Not part of `make test`: it is for looking. It runs a real server on a copy of the demo
workspace, signs in through the form, sets each person's language in the database (as the
profile page would), and opens each state the way a person does: a page or record by its
address, then tabs and view switches by their (translated) names.

    .venv/bin/python -m tests.browser.screens            # everything (about 200 pictures)
    .venv/bin/python -m tests.browser.screens actions    # only states whose name contains "actions"
    .venv/bin/python -m tests.browser.screens map,home facilitator   # several states, one role
    .venv/bin/python -m tests.browser.screens sign-in signed-out     # the sign-in page, nobody signed in
    .venv/bin/python -m tests.browser.screens history "" de          # German only (any role)

German pictures need the compiled catalog (``python -m cop.core.i18n_catalog compile``).
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import Page, sync_playwright

import cop.registry  # noqa: F401  (every table)
from cop.core.i18n import translator
from tests.browser.conftest import CHROMIUM, DEMO_PASSWORD, LAUNCH_ARGS, ROOT, stop_server
from tests.browser.helpers import wait_for_cookie, wait_idle
from tests.browser.journeys import demo_server, open_sign_in

OUT = ROOT / "docs" / "screens"
WIDTHS = {"wide": (1400, 900), "phone": (390, 844)}
LANGUAGES = ("en", "de")


@dataclass(frozen=True)
class State:
    name: str
    page: str  # its address: a page key of cop.shell.navigation.PAGES
    address: str = ""  # a record's address instead (``?id=``)
    choose: str = ""  # a tab or view to open, by its English name
    then: Callable[[Page, Callable[[str], str]], None] | None = None


def _view(name: str) -> Callable[[Page, Callable[[str], str]], None]:
    """Choose a view or zoom of a segmented control by its (translated) name."""

    def choose(page: Page, _: Callable[[str], str]) -> None:
        page.get_by_test_id("stMain").get_by_role("radio", name=_(name), exact=True).first.click()
        wait_idle(page)

    return choose


def _search(page: Page, _: Callable[[str], str]) -> None:
    box = page.get_by_test_id("stMain").get_by_role("textbox").first
    box.fill("volunteer")
    box.press("Enter")
    wait_idle(page)


def _edit_first_section(page: Page, _: Callable[[str], str]) -> None:
    edit = page.get_by_test_id("stMain").get_by_role("button", name=re.compile(f"{_('Edit')}$"))
    edit.first.click()
    wait_idle(page)


def _open_panel(name: str) -> Callable[[Page, Callable[[str], str]], None]:
    """Open a record's folded panel (an expander such as "Edit" or "History") by its (translated) name."""

    def open_it(page: Page, _: Callable[[str], str]) -> None:
        # The summary's text starts with its icon's name ("edit", "history"): match the end.
        summary = page.get_by_test_id("stMain").locator("summary")
        summary.filter(has_text=re.compile(f"{re.escape(_(name))}$")).first.click()
        wait_idle(page)

    return open_it


def _make_calendar_address(page: Page, _: Callable[[str], str]) -> None:
    main = page.get_by_test_id("stMain")
    make = main.get_by_role("button", name=_("Make my calendar address"))
    if make.count():  # made in an earlier language or width: the panel shows it already
        make.click()
        wait_idle(page)


EVERY_ROLE = [
    State("home", "home"),
    State("actions-table", "actions", choose="Table"),
    State("toolkit-chapter", "toolkit"),
]
FACILITATOR = [
    State("workshops-list", "workshops"),
    State("workshops-calendar", "workshops", choose="Calendar"),
    State("workshops-calendar-week", "workshops", choose="Calendar", then=_view("Week")),
    State("workshops-upcoming", "workshops", choose="Upcoming"),
    State("workshop-one", "workshops", address="workshops?id=1"),
    State("workshop-edit", "workshops", address="workshops?id=5", then=_open_panel("Edit")),
    State("workshop-history", "workshops", address="workshops?id=1", choose="History"),
    # A record's page draws only its open tab: each tab with content is a state of its own.
    State("workshop-attendance", "workshops", address="workshops?id=1", choose="Attendance"),
    State("workshop-outcomes", "workshops", address="workshops?id=1", choose="Outcomes"),
    State("actions-board", "actions", choose="Board"),
    State("actions-timeline", "actions", choose="Timeline"),
    State("actions-timeline-quarter", "actions", choose="Timeline", then=_view("Quarter")),
    State("actions-timeline-all", "actions", choose="Timeline", then=_view("All")),
    State("actions-city-plan", "actions", choose="City plan"),
    State("action-one", "actions", address="actions?id=1"),
    State("action-edit", "actions", address="actions?id=1", then=_open_panel("Edit")),
    State("action-updates", "actions", address="actions?id=6"),  # its updates, one block
    State("action-history", "actions", address="actions?id=6", choose="History"),
    State("action-milestones", "actions", address="actions?id=6", choose="Milestones"),
    State("action-indicators", "actions", address="actions?id=6", choose="Indicators"),
    State("action-sub-actions", "actions", address="actions?id=6", choose="Sub-actions"),
    State("practices-list", "practices"),
    State("practices-standards", "practices", choose="Standards"),
    State("practices-self-assessment", "practices", choose="Self-assessment"),
    State("practice-one", "practices", address="practices?id=1"),
    State("practice-history", "practices", address="practices?id=1", then=_open_panel("History")),
    State("map", "map"),
    State("toolkit-section-editing", "toolkit", then=_edit_first_section),
    State("toolkit-revisions", "toolkit", choose="Revisions"),
    State("toolkit-export", "toolkit", choose="Export"),
    State("search-results", "search", then=_search),
    State("organisations", "organisations"),
    State("profile", "profile"),
    State("profile-calendar-address", "profile", then=_make_calendar_address),
]
ADMIN = [
    State(f"admin-{tab.lower().replace(' & ', '-').replace(' ', '-')}", "admin", choose=tab)
    for tab in (
        "Users",
        "Invitations",
        "Sign-in",
        "Communities & memberships",
        "Import",
        "Audit log",
        "Backups",
        "E-mail",
    )
] + [
    State(
        "toolkit-edition-edit",
        "toolkit",
        then=_open_panel("Edit the edition, add and order chapters"),
    )
]
# Nobody signed in: the sign-in page, in the browser's language.
SIGNED_OUT = [State("sign-in", "home")]
ROLES: dict[str, list[State]] = {
    "signed-out": SIGNED_OUT,
    "facilitator": EVERY_ROLE + FACILITATOR,
    "admin": EVERY_ROLE + ADMIN,
    "member": EVERY_ROLE,
    "observer": EVERY_ROLE,
}


def _set_language(database_url: str, language: str) -> None:
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text('UPDATE "user" SET language = :l'), {"l": language})
        conn.execute(sa.text("UPDATE data_version SET value = value + 1"))  # as every write does
    engine.dispose()


def _open(page: Page, base_url: str, state: State, _: Callable[[str], str]) -> None:
    # By address (signed in by the cookie): on a phone the sidebar with the links is folded away.
    page.goto(f"{base_url}/{state.address or ('' if state.page == 'home' else state.page)}")
    wait_idle(page)
    # The page first draws signed out while the sign-in cookie is read back: wait for the
    # sidebar's sign-out (there, folded or not, once signed in), else the picture is the landing page.
    page.locator(".st-key-cop_sign_out").wait_for(state="attached", timeout=60_000)
    wait_idle(page)
    if state.choose:
        main = page.get_by_test_id("stMain")
        tab = main.get_by_role("tab", name=_(state.choose), exact=True)
        switch = main.get_by_role("radio", name=_(state.choose), exact=True)
        tab.or_(switch).first.wait_for(timeout=60_000)  # a busy server draws late
        if tab.count():
            tab.first.click()
        else:  # a view switch (segmented control)
            switch.first.click()
        wait_idle(page)
    if state.then is not None:
        state.then(page, _)


def _sign_in(page: Page, base_url: str, username: str) -> None:
    """The sign-in form (in the browser's language), then the person's own, until the cookie is set."""
    open_sign_in(page, base_url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Username").wait_for(state="detached", timeout=30_000)
    wait_idle(page)
    wait_for_cookie(page)


def _photograph(page: Page, target: Path, width: int, height: int) -> None:
    """The whole page: Streamlit scrolls inside its main area, so the window grows to fit it."""
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    wide = page.evaluate(
        "Math.max(document.documentElement.scrollWidth,"
        " document.querySelector('[data-testid=stMain]').scrollWidth)"
    )
    if wide > width:  # UX.md: no sideways scrolling of the page
        print(f"{target.name}: the page is {wide} px wide in a {width} px window")
    tall = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, min(int(tall), 8000))})
    wait_idle(page)
    page.screenshot(path=str(target), full_page=True)
    page.set_viewport_size({"width": width, "height": height})


def main(only: str = "", role_only: str = "", language_only: str = "") -> int:
    wanted = [part for part in only.split(",") if part] or [""]
    OUT.mkdir(parents=True, exist_ok=True)
    started, taken = time.perf_counter(), 0
    with tempfile.TemporaryDirectory(prefix="cop-screens-") as folder:
        server = demo_server(Path(folder))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                for language in [lang for lang in LANGUAGES if language_only in ("", lang)]:
                    _set_language(server.database_url, language)
                    _ = translator(language)
                    for role, states in ROLES.items():
                        if role_only and role != role_only:
                            continue
                        chosen = [s for s in states if any(w in s.name for w in wanted)]
                        if not chosen:
                            continue
                        for width_name, (width, height) in WIDTHS.items():
                            context = browser.new_context(
                                viewport={"width": width, "height": height},
                                reduced_motion="reduce",
                                # Signed out, the page speaks the browser's language; signed in, the
                                # person's (the form is filled in English, so the browser stays English).
                                locale="de-DE"
                                if language == "de" and role == "signed-out"
                                else "en-US",
                            )
                            page = context.new_page()
                            if role != "signed-out":
                                _sign_in(page, server.url, role)
                            for state in chosen:
                                if role == "signed-out":
                                    open_sign_in(page, server.url)
                                else:
                                    _open(page, server.url, state, _)
                                target = OUT / f"{state.name}-{role}-{language}-{width_name}.png"
                                _photograph(page, target, width, height)
                                taken += 1
                            context.close()
                browser.close()
        finally:
            stop_server(server)
    print(f"{taken} pictures in {OUT.relative_to(ROOT)} ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
