"""The sign-in page: cookies that do not verify, the demo hint, a password change keeps this tab."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
import yaml

from cop.accounts import service as accounts
from cop.core import settings
from cop.core.db import read_session
from cop.shell.session_keys import COOKIE_PENDING
from cop.shell.sign_in import make_authenticator
from tests.page_fixtures import texts

ROOT = Path(__file__).resolve().parents[2]


def _later(days: float) -> float:
    return (datetime.now(UTC) + timedelta(days=days)).timestamp()


def _unsigned(payload: dict) -> str:
    """A token with ``"alg": "none"``: anyone can write one, no key needed."""
    return jwt.encode(payload, key=None, algorithm="none")


BAD_COOKIES = {
    "alg none": lambda: _unsigned({"username": "admin", "exp_date": _later(30)}),
    "wrong key": lambda: jwt.encode(
        {"username": "admin", "exp_date": _later(30)}, "not the key" * 4, algorithm="HS256"
    ),
    "garbage": lambda: "this is not a token at all",
    "three dots of garbage": lambda: "a.b.c",
    "expired": lambda: jwt.encode(
        {"username": "admin", "exp_date": _later(-1)}, settings.cookie_key(), algorithm="HS256"
    ),
    "no exp_date": lambda: jwt.encode(
        {"username": "admin"}, settings.cookie_key(), algorithm="HS256"
    ),
    "exp_date a string": lambda: jwt.encode(
        {"username": "admin", "exp_date": "tomorrow"}, settings.cookie_key(), algorithm="HS256"
    ),
    "username a list": lambda: jwt.encode(
        {"username": ["admin"], "exp_date": _later(30)}, settings.cookie_key(), algorithm="HS256"
    ),
    "no username": lambda: jwt.encode(
        {"exp_date": _later(30)}, settings.cookie_key(), algorithm="HS256"
    ),
    "other algorithm": lambda: jwt.encode(
        {"username": "admin", "exp_date": _later(30)}, settings.cookie_key(), algorithm="HS512"
    ),
}


@pytest.mark.parametrize("kind", list(BAD_COOKIES))
def test_a_cookie_that_does_not_verify_is_ignored_not_an_error(demo_db, kind: str) -> None:
    """The sign-in widget decodes the cookie itself; every bad cookie must come back as "none"."""
    token = BAD_COOKIES[kind]()
    model = make_authenticator().cookie_controller.cookie_model
    model.token = token
    assert not model._token_decode()
    from cop.shell.session import cookie_issued_at

    assert cookie_issued_at(token) is None


def test_a_cookie_we_issued_still_signs_in(demo_db) -> None:
    from cop.shell.session import cookie_issued_at, new_cookie

    token, _expires = new_cookie("member")
    model = make_authenticator().cookie_controller.cookie_model
    model.token = token
    assert model._token_decode()["username"] == "member"
    issued = cookie_issued_at(token)
    assert issued is not None and abs(issued - datetime.now(UTC)) < timedelta(minutes=1)


def test_the_sign_in_hint_names_every_demo_account(run_page, monkeypatch) -> None:
    monkeypatch.setenv("COP_DEMO", "1")
    demo = yaml.safe_load((ROOT / "data" / "demo.yaml").read_text(encoding="utf-8"))
    at = run_page("app", username=None)
    assert not at.exception
    hint = next(i.value for i in at.info if "Demo workspace" in i.value)
    for account in demo["accounts"]:
        assert f"**{account['username']}**" in hint, account["username"]


def test_changing_the_password_reissues_this_tabs_cookie(run_page, demo_db) -> None:
    """A reload reads the cookie only: it must be issued after the change, or the tab signs out."""
    at = run_page("profile", "member")
    fields = {t.key: t for t in at.text_input}
    fields["pw_current"].input("demo passphrase 2026")
    fields["pw_new"].input("a brand new passphrase")
    fields["pw_again"].input("a brand new passphrase")
    next(b for b in at.button if b.label == "Change password").click().run()
    assert not at.exception, at.exception
    assert "Your password was changed" in texts(at) or at.success
    pending = at.session_state[COOKIE_PENDING] if COOKIE_PENDING in at.session_state else None
    assert pending, "no new cookie for this tab"
    from cop.shell.session import cookie_issued_at

    issued = cookie_issued_at(pending[0])
    with read_session() as session:
        user = accounts.find_user(session, "member")
        assert user is not None
        valid_after = user.sessions_valid_after
    assert issued is not None and issued >= valid_after
