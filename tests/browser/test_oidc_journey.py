"""Issue 22 item 1 in Chromium: signing in with the organisation's account, through the full redirect.

A local OpenID Connect provider (oidc-provider-mock, Authlib under Flask) runs in the
test process; the server is told about it through the environment (``COP_OIDC_*``), as
a deployment would be. Its consent page lists the people it knows as buttons; a click
is the person signing in at their organisation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import select

from tests.browser.conftest import Server, stop_server
from tests.browser.helpers import assert_no_exception, wait_idle
from tests.browser.journeys import demo_server

pytestmark = pytest.mark.e2e

PEOPLE = {
    "amira-sub": {"email": "amira@city.example", "email_verified": True, "name": "Amira Haddad"},
    "stranger-sub": {
        "email": "stranger@city.example",
        "email_verified": True,
        "name": "Sam Stranger",
    },
    "deact-sub": {"email": "dora@city.example", "email_verified": True, "name": "Dora Deact"},
}
LABEL = "Stadt Testhausen"


@dataclass
class Setup:
    server: Server
    provider_url: str
    action_id: int


def _accounts(database_url: str) -> int:
    """Amira and Dora have accounts with their e-mail (not yet linked); an action to deep-link to."""
    from cop.accounts import service as accounts
    from cop.actions.models import Action
    from cop.core import db
    from cop.core.permissions import SYSTEM

    with db.write_session(db.get_engine(database_url)) as session:
        for username, email, name in (
            ("amira.h", "amira@city.example", "Amira Haddad"),
            ("dora.d", "dora@city.example", "Dora Deact"),
        ):
            accounts.create_user(
                session,
                SYSTEM,
                username=username,
                password="a long enough passphrase",
                name=name,
                email=email,
                is_admin=True,  # every page and record is theirs to open
            )
        action_id = session.exec(select(Action.id).order_by(Action.id)).first()
    db.dispose_engines()
    assert action_id is not None
    return int(action_id)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    from oidc_provider_mock import User, run_server_in_thread

    with run_server_in_thread(
        user_claims=[User(sub=sub, claims=claims) for sub, claims in PEOPLE.items()]
    ) as provider:
        provider_url = f"http://localhost:{provider.server_port}"
        data_dir = tmp_path_factory.mktemp("oidc")
        env = {
            "COP_OIDC_METADATA_URL": f"{provider_url}/.well-known/openid-configuration",
            "COP_OIDC_CLIENT_ID": "cop-workspace",
            "COP_OIDC_CLIENT_SECRET": "a client secret of the test",
            "COP_OIDC_REDIRECT_URI": "http://127.0.0.1:{port}/oauth2callback",
            "COP_OIDC_LABEL": LABEL,
        }
        from tests.browser.journeys import copy_demo

        action_id = _accounts(f"sqlite:///{copy_demo(data_dir)}")
        running = demo_server(data_dir, extra_env=env, fresh=False)
        yield Setup(running, provider_url, action_id)
        stop_server(running)


def _offline(context: BrowserContext) -> None:
    """The provider's pages link a stylesheet on a CDN: refused, the test stays offline."""
    context.route("https://**/*", lambda route: route.abort())


def sign_in_at_provider(page: Page, setup: Setup, sub: str) -> None:
    """Click "Sign in with ...", then the person's button on the provider's page, back to the app."""
    page.get_by_role("button", name=f"Sign in with {LABEL}").click()
    page.wait_for_url(f"{setup.provider_url}/oauth2/authorize**", timeout=30_000)
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{setup.server.url}/**", timeout=30_000)
    wait_idle(page)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def test_oidc_journey_links_by_email_keeps_the_deep_link_and_signs_out_of_both(
    setup: Setup, new_context
) -> None:
    context = new_context()
    _offline(context)
    page = context.new_page()
    deep_link = f"{setup.server.url}/actions?id={setup.action_id}"
    open_app(page, deep_link)
    # Both ways in: the provider's button and the password form for local accounts.
    expect(page.get_by_role("button", name=f"Sign in with {LABEL}")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()

    sign_in_at_provider(page, setup, "amira-sub")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
    assert_no_exception(page)
    # The deep link survived the trip to the provider and back.
    page.wait_for_url("**/actions?id=*", timeout=15_000)
    assert parse_qs(urlsplit(page.url).query)["id"] == [str(setup.action_id)]
    assert "Amira Haddad" in page.get_by_test_id("stSidebar").inner_text()

    from cop.accounts.models import User
    from cop.core import db
    from cop.core.audit import AuditEvent

    with db.read_session(db.get_engine(setup.server.database_url)) as session:
        amira = session.exec(select(User).where(User.username == "amira.h")).one()
        assert amira.oidc_subject == "amira-sub"
        assert amira.oidc_issuer == setup.provider_url
        signed_in = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "user.sign_in_oidc", AuditEvent.record_id == amira.id
            )
        ).all()
        assert len(signed_in) == 1

    # A second tab of the same browser is signed in through the provider's identity.
    other = context.new_page()
    open_app(other, setup.server.url)
    expect(other.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)

    # Sign-out ends our session and sends the browser to the provider's end of session.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{setup.provider_url}/oauth2/end_session**", timeout=30_000)
    assert "id_token_hint" in parse_qs(urlsplit(page.url).query)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{setup.server.url}/**", timeout=30_000)
    wait_idle(page)
    expect(page.get_by_role("button", name=f"Sign in with {LABEL}")).to_be_visible()
    assert not [c for c in context.cookies() if c["name"].startswith("_streamlit_user")]
    # The other tab, still holding the old identity, is signed out at its next rerun.
    other.get_by_test_id("stSidebarNav").get_by_text("Workshops", exact=True).click()
    wait_idle(other)
    expect(other.get_by_text("You were signed out")).to_be_visible(timeout=30_000)
    assert other.get_by_role("button", name="Sign out").count() == 0
    db.dispose_engines()


def test_oidc_journey_refuses_an_unknown_email_and_a_deactivated_account(
    setup: Setup, new_context
) -> None:
    context = new_context()
    _offline(context)
    page = context.new_page()
    open_app(page, setup.server.url)
    sign_in_at_provider(page, setup, "stranger-sub")
    refusal = page.get_by_text("No account in this workspace belongs to")
    expect(refusal).to_be_visible(timeout=30_000)
    # The address is shown as text, never as a link (a word joiner keeps it from being one).
    assert "stranger" in refusal.inner_text() and "city.example" in refusal.inner_text()
    assert page.get_by_role("button", name="Sign out").count() == 0

    context = new_context()
    _offline(context)
    page = context.new_page()
    open_app(page, setup.server.url)
    sign_in_at_provider(page, setup, "deact-sub")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)

    from cop.accounts import admin
    from cop.accounts.models import User
    from cop.core import db
    from cop.core.permissions import SYSTEM

    with db.write_session(db.get_engine(setup.server.database_url)) as session:
        dora = session.exec(select(User).where(User.username == "dora.d")).one()
        admin.deactivate_user(session, SYSTEM, dora.id)
    db.dispose_engines()
    page.get_by_test_id("stSidebarNav").get_by_text("Workshops", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Your account in this workspace is deactivated")).to_be_visible(
        timeout=30_000
    )
    assert page.get_by_role("button", name="Sign out").count() == 0
    # (A later sign-in at the provider is refused the same way: tests/accounts/test_oidc.py.)
    assert os.environ.get("COP_OIDC_METADATA_URL") is None  # the settings went to the server only
