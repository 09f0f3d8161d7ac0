"""Issue 4 in Chromium: sessions end for real, and an invitation turns into a member.

A cookie saved before a sign-out, a password change or a deactivation no
longer signs anyone in, and a second browser that stayed open on the old
session lands on the sign-in at its next click. An invitation link made on
the admin page lets a new person choose a username and password and land in
their community.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import DEMO_PASSWORD, Server, stop_server
from tests.browser.helpers import assert_no_exception, open_page, wait_idle
from tests.browser.journeys import (
    assert_clean_log,
    choose,
    click,
    create_accounts,
    demo_server,
    enter,
    eventually,
    go,
    main,
    open_sign_in,
)

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough passphrase ✓"
NEW_PASSWORD = "another passphrase, longer 🙂"
COMMUNITY = "Community building and welcoming culture"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = demo_server(tmp_path_factory.mktemp("accounts"))
    create_accounts(running.database_url, ["pw.changer", "to.deactivate"], PASSWORD)
    yield running
    stop_server(running)
    assert_clean_log(running)


def signed_out(page: Page) -> None:
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    assert "Welcome," not in page.inner_text("body")
    assert page.get_by_role("button", name="Sign out").count() == 0


def replay(new_context, cookies: list, url: str) -> None:
    """The saved cookies in a fresh browser: they must not sign anyone in."""
    ctx: BrowserContext = new_context()
    ctx.add_cookies(cookies)
    page = ctx.new_page()
    open_page(page, url)
    signed_out(page)
    assert_no_exception(page)


def test_cookie_saved_before_sign_out_no_longer_signs_in(server, new_context) -> None:
    page = new_context().new_page()
    enter(page, server.url, "observer", DEMO_PASSWORD, cookie=True)
    saved = page.context.cookies()
    assert any(c["name"] == "cop_session" for c in saved)

    # The cookie alone signs in while the session is valid ...
    check = new_context()
    check.add_cookies(saved)
    again = check.new_page()
    open_page(again, server.url)
    expect(again.get_by_text("Welcome, Marta Silva")).to_be_visible()
    check.close()

    # ... and no longer once the user signed out.
    click(page.get_by_role("button", name="Sign out"))
    signed_out(page)
    replay(new_context, saved, server.url)


def test_password_change_ends_other_sessions_and_old_cookies(server, new_context) -> None:
    other = new_context().new_page()  # a second browser that stays open
    enter(other, server.url, "pw.changer", PASSWORD)
    page = new_context().new_page()
    enter(page, server.url, "pw.changer", PASSWORD, cookie=True)
    saved = page.context.cookies()

    go(page, "Profile")
    form = (
        main(page)
        .get_by_test_id("stForm")
        .filter(has=page.get_by_role("button", name="Change password"))
    )
    form.get_by_label("Current password").fill(PASSWORD)
    form.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    form.get_by_label("New password again").fill(NEW_PASSWORD)
    click(form.get_by_role("button", name="Change password"))
    # Hashing a password is slow on purpose: on a busy two-core machine it took over 5 s.
    expect(main(page).get_by_text("Your password was changed.")).to_be_visible(timeout=30_000)

    go(page, "Search")  # the session that changed it goes on
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # ... after a reload too, which has only the cookie: this tab got a new one.
    old_value = next(c["value"] for c in saved if c["name"] == "cop_session")
    eventually(
        lambda: any(
            c["name"] == "cop_session" and c["value"] != old_value for c in page.context.cookies()
        ),
        "this tab's cookie re-issued after the password change",
    )
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_no_exception(page)
    go(other, "Search")  # the other one's next click lands on the sign-in
    signed_out(other)
    replay(new_context, saved, server.url)

    fresh = new_context().new_page()
    enter(fresh, server.url, "pw.changer", NEW_PASSWORD)
    assert_no_exception(fresh)


def test_deactivated_account_is_signed_out_everywhere(server, new_context) -> None:
    user = new_context().new_page()
    enter(user, server.url, "to.deactivate", PASSWORD, cookie=True)
    saved = user.context.cookies()

    admin = new_context().new_page()
    enter(admin, server.url, "admin", DEMO_PASSWORD)
    go(admin, "Admin")
    users = admin.get_by_role("tabpanel", name="Users")
    choose(users, "Account", re.compile(r"^to\.deactivate "))
    click(users.get_by_role("button", name="Deactivate"))
    expect(users.get_by_role("button", name="Reactivate")).to_be_visible()

    go(user, "Workshops")  # the open session's next click
    signed_out(user)
    replay(new_context, saved, server.url)

    # The password no longer works either, with the same message as a wrong one.
    retry = new_context().new_page()
    open_sign_in(retry, server.url)
    retry.get_by_label("Username").fill("to.deactivate")
    retry.get_by_label("Password", exact=True).fill(PASSWORD)
    click(retry.get_by_role("button", name="Sign in"))
    expect(retry.get_by_text("Username or password is incorrect")).to_be_visible()


def test_invited_person_chooses_username_and_password_and_lands_in_the_community(
    server, new_context
) -> None:
    admin = new_context().new_page()
    enter(admin, server.url, "admin", DEMO_PASSWORD)
    go(admin, "Admin")
    click(admin.get_by_role("tab", name="Invitations"))
    invitations = admin.get_by_role("tabpanel", name="Invitations")
    form = invitations.get_by_test_id("stForm")
    choose(form, "Community", COMMUNITY)
    name = f"Zeynep Çelik {uuid.uuid4().hex[:4]}"
    form.get_by_label("Name").fill(name)
    form.get_by_label("E-mail").fill(f"zeynep.{uuid.uuid4().hex[:6]}@example.org")
    choose(form, "Role", "member")
    click(form.get_by_role("button", name="Create invitation link"))
    code = invitations.get_by_test_id("stCode")
    expect(code).to_contain_text("?invite=")
    link = code.inner_text().strip()
    assert link.startswith(f"{server.url}/?invite="), link

    invited = new_context().new_page()
    open_page(invited, link)
    expect(invited.get_by_text(f"You are invited to {COMMUNITY} as member")).to_be_visible()
    signup = invited.get_by_test_id("stForm")
    expect(signup.get_by_label("Your name")).to_have_value(name)
    username = f"zeynep.{uuid.uuid4().hex[:6]}"
    signup.get_by_label("Username", exact=True).fill(username)
    signup.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    signup.get_by_label("Password again", exact=True).fill(NEW_PASSWORD)
    click(signup.get_by_role("button", name="Create my account"))

    expect(invited.get_by_text(f"Welcome, {name}")).to_be_visible()
    expect(
        invited.get_by_test_id("stSidebar").get_by_role("combobox", name="Community")
    ).to_have_value(COMMUNITY)
    expect(
        main(invited).get_by_test_id("stDataFrame")
    ).to_be_visible()  # my communities (drawn on a canvas)
    with sa.create_engine(server.database_url).connect() as conn:
        roles = conn.execute(
            sa.text(
                'SELECT c.name, m.role FROM "user" u JOIN membership m ON m.person_id = u.person_id '
                "JOIN community c ON c.id = m.community_id WHERE u.username = :u"
            ),
            {"u": username},
        ).all()
    assert [tuple(r) for r in roles] == [(COMMUNITY, "member")]
    assert "?invite=" not in invited.url
    assert_no_exception(invited)

    # The link works once.
    again = new_context().new_page()
    open_page(again, link)
    expect(again.get_by_role("button", name="Go to sign-in")).to_be_visible()
    wait_idle(again)
