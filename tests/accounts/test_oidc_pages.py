"""The sign-in page and the admin's Sign-in tab with and without an identity provider (AppTest).

AppTest cannot follow the provider's redirects (the Chromium journey does); it can
hand the app an identity as ``st.user`` would hold it after the redirect.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cop.accounts import oidc
from cop.accounts.models import SignInPolicy, User
from cop.core.db import read_session, write_session
from cop.shell.testing import sign_in_state
from tests.page_fixtures import texts

ROOT = Path(__file__).resolve().parents[2]
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a cookie secret of at least thirty-two bytes",
    "client_id": "cop",
    "client_secret": "secret",
    "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
}


def _app(*, auth: bool, page: str = "app.py") -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    if auth:
        at.secrets["auth"] = AUTH
    return at


def _form_off() -> None:
    with write_session() as s:
        s.add(SignInPolicy(id=1, password_form=False))


def _oidc_button(at: AppTest) -> list:
    return [b for b in at.button if b.label.startswith("Sign in with")]


def test_oidc_without_auth_settings_the_sign_in_page_is_the_password_form_alone(demo_db) -> None:
    _form_off()  # switched off earlier: without a provider the form comes back
    at = _app(auth=False).run()
    assert not at.exception
    assert _oidc_button(at) == []
    assert [t.label for t in at.text_input][:2] == ["Username", "Password"]


def test_oidc_with_a_provider_the_page_offers_it_beside_the_form_until_an_admin_switches_it_off(
    demo_db,
) -> None:
    at = _app(auth=True).run()
    assert not at.exception
    assert [b.label for b in _oidc_button(at)] == ["Sign in with your organisation's account"]
    assert "Username" in [t.label for t in at.text_input]
    _form_off()
    at = _app(auth=True).run()
    assert _oidc_button(at) and "Username" not in [t.label for t in at.text_input]


def test_oidc_an_identity_from_the_provider_signs_in_and_a_refusal_is_shown(demo_db) -> None:
    with write_session() as s:
        member = s.exec(select(User).where(User.username == "member")).one()
        from cop.communities.models import Person

        email = s.get(Person, member.person_id).email
    now = int(time.time())
    at = _app(auth=True)
    at.user = {
        "is_logged_in": True,
        "iss": "https://login.city.example",
        "sub": "member-1",
        "email": email,
        "email_verified": True,
        "auth_time": now,
        "iat": now,
    }
    at.run()
    assert not at.exception, at.exception
    assert [b for b in at.button if b.label == "Sign out"]
    with read_session() as s:
        assert s.exec(select(User).where(User.oidc_subject == "member-1")).one().id == member.id

    stranger = _app(auth=True)
    stranger.user = {**dict(at.user), "sub": "x", "email": "nobody@city.example"}
    stranger.run()
    assert "No account in this workspace belongs to nobody@city.example" in texts(stranger)
    assert not [b for b in stranger.button if b.label == "Sign out"]


def test_oidc_admin_sign_in_tab_saves_the_domains(demo_db) -> None:
    at = _app(auth=True, page="pages/admin.py")
    for key, value in sign_in_state("admin").items():
        at.session_state[key] = value
    at.session_state["admin_tab"] = "Sign-in"  # only the open tab is drawn
    at.run()
    assert not at.exception
    area = next(t for t in at.text_area if t.label.startswith("E-mail domains"))
    area.input("city.example\n@Town.Example")
    next(b for b in at.button if b.label == "Save the sign-in settings").click().run()
    assert not at.exception
    with read_session() as s:
        assert oidc.allowed_domains(oidc.policy(s)) == ["city.example", "town.example"]
