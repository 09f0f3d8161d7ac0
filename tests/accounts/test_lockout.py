"""Brute-force protection: 5 failures in 15 minutes lock a username for 15 minutes, counted in the database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.accounts import admin
from cop.accounts import service as accounts
from cop.accounts.models import User
from cop.core import clock
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM
from tests import factories

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WRONG = "not the right passphrase"


def _account(engine: Engine, username: str = "maria") -> int:
    with write_session(engine) as s:
        return accounts.create_user(
            s, SYSTEM, username=username, password=factories.PASSWORD, name="Maria Rossi"
        ).id  # type: ignore[return-value]


def _attempt(engine: Engine, username: str, password: str) -> bool:
    """One sign-in as a browser session makes it: its own transaction."""
    with write_session(engine) as s:
        return accounts.sign_in(s, username, password) is not None


def _user(engine: Engine, user_id: int) -> User:
    with read_session(engine) as s:
        user = s.get(User, user_id)
        assert user is not None
        return user


def _lock_events(engine: Engine, user_id: int) -> int:
    with read_session(engine) as s:
        return len(
            list(
                s.exec(
                    select(AuditEvent.id).where(
                        AuditEvent.action == "user.locked", AuditEvent.record_id == user_id
                    )
                )
            )
        )


def test_five_failures_in_separate_sessions_lock_out_even_the_right_password(
    engine: Engine,
) -> None:
    clock.freeze(T0)
    user_id = _account(engine)
    for minute in range(5):
        clock.freeze(T0 + timedelta(minutes=minute))
        assert not _attempt(engine, "maria", WRONG)
    assert (
        _user(engine, user_id).locked_until
        == T0 + timedelta(minutes=4, seconds=0) + accounts.LOCK_FOR
    )
    assert not _attempt(engine, "maria", factories.PASSWORD)
    assert _lock_events(engine, user_id) == 1


def test_lock_ends_after_fifteen_minutes(engine: Engine) -> None:
    clock.freeze(T0)
    _account(engine)
    for _ in range(5):
        assert not _attempt(engine, "maria", WRONG)
    clock.freeze(T0 + timedelta(minutes=14, seconds=59))
    with read_session(engine) as s:
        assert not accounts.may_sign_in(accounts.find_user(s, "maria"))
    clock.freeze(T0 + timedelta(minutes=15))
    assert _attempt(engine, "maria", factories.PASSWORD)


def test_success_resets_the_failure_count(engine: Engine) -> None:
    clock.freeze(T0)
    user_id = _account(engine)
    for _ in range(4):
        assert not _attempt(engine, "maria", WRONG)
    assert _attempt(engine, "maria", factories.PASSWORD)
    assert _user(engine, user_id).failed_logins == 0
    for _ in range(4):
        assert not _attempt(engine, "maria", WRONG)
    assert _attempt(engine, "maria", factories.PASSWORD)


def test_failures_older_than_the_window_start_a_new_count(engine: Engine) -> None:
    clock.freeze(T0)
    _account(engine)
    for _ in range(4):
        assert not _attempt(engine, "maria", WRONG)
    clock.freeze(T0 + timedelta(minutes=16))
    assert not _attempt(engine, "maria", WRONG)
    assert _attempt(engine, "maria", factories.PASSWORD)


def test_username_is_normalised_before_counting(engine: Engine) -> None:
    clock.freeze(T0)
    user_id = _account(engine)
    for spelling in ("Maria", " maria", "MARIA ", "maria", "mAria"):
        assert not _attempt(engine, spelling, WRONG)
    assert _user(engine, user_id).failed_logins == 5
    assert not _attempt(engine, "maria", factories.PASSWORD)


def test_failures_while_locked_do_not_extend_the_lock(engine: Engine) -> None:
    clock.freeze(T0)
    user_id = _account(engine)
    for _ in range(5):
        assert not _attempt(engine, "maria", WRONG)
    clock.freeze(T0 + timedelta(minutes=10))
    assert not _attempt(engine, "maria", WRONG)
    assert _user(engine, user_id).locked_until == T0 + accounts.LOCK_FOR
    clock.freeze(T0 + accounts.LOCK_FOR)
    assert _attempt(engine, "maria", factories.PASSWORD)


def test_parallel_failures_are_all_counted_and_lock_exactly_once(engine: Engine) -> None:
    clock.freeze(T0)
    user_id = _account(engine)
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: _attempt(engine, "maria", WRONG), range(10)))
    assert results == [False] * 10
    user = _user(engine, user_id)
    # No update lost: exactly five counted, then the lock; attempts against a locked
    # account are not counted, so guessing cannot keep extending someone's lock.
    assert user.failed_logins == 5
    assert user.locked_until == T0 + accounts.LOCK_FOR
    assert (
        _lock_events(engine, user_id) == 1
    )  # the lock came with the 5th counted failure, not later


def test_parallel_right_passwords_cannot_sign_in_while_locked(engine: Engine) -> None:
    clock.freeze(T0)
    _account(engine)
    for _ in range(5):
        assert not _attempt(engine, "maria", WRONG)
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: _attempt(engine, "maria", factories.PASSWORD), range(10)))
    assert not any(results)


def test_parallel_mixed_attempts_never_sign_in_while_locked_nor_count_past_five_unlocked(
    engine: Engine,
) -> None:
    """Wrong and right passwords race. Each attempt first reads the lock state under a row lock
    (so nobody changes it before its sign-in decides): an attempt that saw the account locked
    never signs in, and no transaction ever leaves five or more failures without a lock."""
    clock.freeze(T0)
    user_id = _account(engine)

    def attempt(password: str) -> tuple[bool, bool, int, datetime | None]:
        with write_session(engine) as s:
            seen = s.exec(select(User).where(User.id == user_id).with_for_update()).one()
            was_locked = accounts.is_locked(seen)
            signed_in = accounts.sign_in(s, "maria", password) is not None
            s.refresh(seen)
            return was_locked, signed_in, seen.failed_logins, seen.locked_until

    for _ in range(accounts.LOCK_AFTER_FAILURES - 1):
        assert not _attempt(engine, "maria", WRONG)
    # The pool hands out work in order: ten wrong attempts start first (the first of them to
    # get the row lock locks the account); the right ones start only as those finish.
    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(attempt, [WRONG] * 10 + [factories.PASSWORD] * 10))
    assert any(was_locked for was_locked, *_ in outcomes), "the race never reached the lock"
    for was_locked, signed_in, failures, locked_until in outcomes:
        assert not (was_locked and signed_in)
        if failures >= accounts.LOCK_AFTER_FAILURES:
            assert locked_until is not None and locked_until > T0


def test_admin_unlock_lets_the_user_in_and_is_audited(engine: Engine) -> None:
    clock.freeze(T0)
    user_id = _account(engine)
    for _ in range(5):
        assert not _attempt(engine, "maria", WRONG)
    boss = factories.actor(engine, admin=True)
    with write_session(engine) as s:
        admin.unlock_user(s, boss, user_id)
    assert _attempt(engine, "maria", factories.PASSWORD)
    with read_session(engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "user.unlock")).one()
    assert event.actor_user_id == boss.user_id
    assert event.record_id == user_id
    assert event.changes["failed_logins"] == [5, 0]


def test_refusal_looks_the_same_for_unknown_user_wrong_password_and_locked_account(
    engine: Engine,
) -> None:
    clock.freeze(T0)
    _account(engine, "maria")
    _account(engine, "lukas")
    for _ in range(5):
        _attempt(engine, "lukas", WRONG)
    with write_session(engine) as s:
        unknown = accounts.sign_in(s, "nobody", factories.PASSWORD)
        wrong = accounts.sign_in(s, "maria", WRONG)
        locked = accounts.sign_in(s, "lukas", factories.PASSWORD)
    assert unknown is None and wrong is None and locked is None
    assert "locked" in accounts.SIGN_IN_FAILED and "incorrect" in accounts.SIGN_IN_FAILED


def test_locked_and_inactive_accounts_are_left_out_of_the_sign_in_widget(engine: Engine) -> None:
    clock.freeze(T0)
    _account(engine, "maria")
    lukas = _account(engine, "lukas")
    for _ in range(5):
        _attempt(engine, "maria", WRONG)
    with write_session(engine) as s:
        admin.deactivate_user(s, SYSTEM, lukas)
    with read_session(engine) as s:
        usernames = set(accounts.credentials(s)["usernames"])
    assert "maria" not in usernames and "lukas" not in usernames


def test_a_cookie_sign_in_looks_up_only_the_account_its_cookie_names(engine: Engine) -> None:
    """A new tab signed in by cookie read every account of the workspace (issue 24); the
    one it names is enough, and a locked one is still left out."""
    clock.freeze(T0)
    _account(engine, "maria")
    _account(engine, "juergen")
    with read_session(engine) as s:
        assert set(accounts.credentials(s, only="juergen")["usernames"]) == {"juergen"}
        assert accounts.credentials(s, only="")["usernames"] == {}
    for _ in range(5):
        _attempt(engine, "maria", WRONG)
    with read_session(engine) as s:
        assert accounts.credentials(s, only="maria")["usernames"] == {}
