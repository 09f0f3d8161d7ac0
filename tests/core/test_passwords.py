"""Password rules (RELIABILITY.md): 12 characters up to 72 UTF-8 bytes, bcrypt cost 12, never stored or logged."""

from __future__ import annotations

import logging
from pathlib import Path

import bcrypt
import pytest
from sqlalchemy.engine import Engine

from cop.accounts import service as accounts
from cop.accounts.models import User
from cop.core import passwords
from cop.core.db import get_engine, read_session, write_session
from cop.core.errors import ValidationError
from cop.core.permissions import SYSTEM

SEVENTY_TWO_BYTES = "ä" * 30 + "Lisbon-Gent."  # 60 + 12 bytes, 42 characters
assert len(SEVENTY_TWO_BYTES.encode()) == 72


def create(engine: Engine, password: str, username: str = "amelie") -> User:
    with write_session(engine) as s:
        return accounts.create_user(
            s, SYSTEM, username=username, password=password, name="Amélie Faure"
        )


def refusal(engine: Engine, password: str) -> str:
    with pytest.raises(ValidationError) as caught:
        create(engine, password)
    assert set(caught.value.fields) == {"password"}
    with read_session(engine) as s:
        assert accounts.find_user(s, "amelie") is None
    return caught.value.fields["password"]


def signs_in(engine: Engine, username: str, password: str) -> bool:
    with write_session(engine) as s:
        return accounts.sign_in(s, username, password) is not None


def test_eleven_characters_are_refused(engine: Engine) -> None:
    assert "at least 12" in refusal(engine, "Volunteer-1")


def test_twelve_characters_are_accepted_and_sign_in(engine: Engine) -> None:
    create(engine, "Volunteer-12")
    assert signs_in(engine, "amelie", "Volunteer-12")


def test_a_passphrase_with_spaces_accents_and_an_emoji_is_accepted(engine: Engine) -> None:
    phrase = "café au lait 🌍 chaque matin"
    create(engine, phrase)
    assert signs_in(engine, "amelie", phrase)
    assert not signs_in(engine, "amelie", "cafe au lait 🌍 chaque matin")


def test_seventy_three_bytes_are_refused_with_a_clear_message(engine: Engine) -> None:
    message = refusal(engine, SEVENTY_TWO_BYTES + "x")
    assert "73 bytes" in message and "at most 72" in message


def test_seventy_two_bytes_are_accepted_and_not_truncated(engine: Engine) -> None:
    create(engine, SEVENTY_TWO_BYTES)
    assert signs_in(engine, "amelie", SEVENTY_TWO_BYTES)
    assert not signs_in(engine, "amelie", SEVENTY_TWO_BYTES[:-1] + "!")


@pytest.mark.parametrize("common", ["password1234", "PASSWORD1234", "aaaaaaaaaaaaaa"])
def test_a_common_password_is_refused(engine: Engine, common: str) -> None:
    assert "too common" in refusal(engine, common)


def test_the_hash_is_bcrypt_with_cost_12(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "BCRYPT_COST", 12)
    user = create(engine, "quiet river at dawn")
    assert user.password_hash.startswith("$2b$12$")
    assert bcrypt.checkpw(b"quiet river at dawn", user.password_hash.encode())


def test_the_plain_password_is_nowhere_in_the_database_file_or_the_logs(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    password = "Zebra orchid 🌵 whispers 42"
    caplog.set_level(logging.DEBUG)
    caplog.set_level(
        logging.DEBUG, logger="sqlalchemy.engine"
    )  # every statement and its parameters
    engine = get_engine(sqlite_url)
    create(engine, password)
    assert signs_in(engine, "amelie", password)
    assert not signs_in(engine, "amelie", password + "?")
    with write_session(engine) as s:
        actor = accounts.load_actor(s, username="amelie")
        accounts.change_own_password(s, actor, password, password + " again")

    assert "INSERT INTO" in caplog.text, (
        "statement logging was not captured: the log check proves nothing"
    )
    assert password not in caplog.text
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    files = [p for p in database.parent.iterdir() if p.name.startswith(database.name)]
    assert database.with_name(database.name + "-wal") in files
    for path in files:
        data = path.read_bytes()
        assert password.encode() not in data, f"the password is stored in {path.name}"
        assert password.encode("utf-16-le") not in data, f"the password is stored in {path.name}"
