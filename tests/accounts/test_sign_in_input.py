"""Whatever is typed into the sign-in form (before anyone is signed in) is a refused sign-in, never a crash.

PostgreSQL cannot hold NUL in text: a NUL in the username used to reach the
driver and raise psycopg.DataError on the sign-in page.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from cop.accounts import invitations
from cop.accounts import service as accounts
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM
from tests import factories

TYPED = [
    pytest.param("maria\x00", id="nul-after"),
    pytest.param("ma\x00ria", id="nul-inside"),
    pytest.param("\x00", id="only-nul"),
    pytest.param("maria\x07", id="bell"),
    pytest.param("maria\x1b[31m", id="escape"),
    pytest.param("maria\ud800", id="lone-surrogate"),
    pytest.param("maria\nadmin", id="newline"),
    pytest.param("m" * 1_000_000, id="million-chars"),
    pytest.param(["maria"], id="a-list"),
    pytest.param(42, id="a-number"),
    pytest.param(b"maria", id="bytes"),
]


@pytest.fixture
def maria(engine: Engine) -> int:
    with write_session(engine) as s:
        return accounts.create_user(  # type: ignore[return-value]
            s, SYSTEM, username="maria", password=factories.PASSWORD, name="Maria Rossi"
        ).id


@pytest.mark.parametrize("username", TYPED)
def test_a_username_no_account_can_have_is_an_ordinary_refusal(
    engine: Engine, maria: int, username: Any
) -> None:
    with write_session(engine) as s:
        assert accounts.sign_in(s, username, factories.PASSWORD) is None
    with read_session(engine) as s:
        assert accounts.find_user(s, username) is None
        assert accounts.load_actor(s, username=username) is None
        assert accounts.sign_in_read_only(s, username, factories.PASSWORD) is None
    with read_session(engine) as s:  # and maria's own count was not touched
        user = accounts.find_user(s, "maria")
        assert user is not None and user.failed_logins == 0


@pytest.mark.parametrize(
    "password",
    [
        pytest.param(factories.PASSWORD + "\x00", id="nul"),
        pytest.param(factories.PASSWORD + "\ud800", id="lone-surrogate"),
        pytest.param("p" * 1_000_000, id="million-chars"),
        pytest.param([factories.PASSWORD], id="a-list"),
        pytest.param(None, id="none"),
    ],
)
def test_a_password_no_account_can_have_is_a_counted_failure(
    engine: Engine, maria: int, password: Any
) -> None:
    with write_session(engine) as s:
        assert accounts.sign_in(s, "maria", password) is None
    with read_session(engine) as s:
        user = accounts.find_user(s, "maria")
        assert user is not None and user.failed_logins == 1


@pytest.mark.parametrize("token", TYPED)
def test_an_invitation_link_no_invitation_can_have_is_not_valid(engine: Engine, token: Any) -> None:
    """The token comes from the URL, before sign-in: undecodable bytes or a list crashed the page."""
    with read_session(engine) as s, pytest.raises(invitations.InvitationUnusable):
        invitations.describe(s, token)
    with write_session(engine) as s, pytest.raises(invitations.InvitationUnusable):
        invitations.accept_invitation(s, token, "newcomer", factories.PASSWORD, "New Comer")
