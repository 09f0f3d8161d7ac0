"""The admin's E-mail tab and the profile's choice of e-mail delivery, driven through AppTest."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from cop.accounts import service as accounts
from cop.accounts.models import User
from cop.core import clock
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.outbox import service as outbox
from cop.outbox.models import OutboxMessage
from tests.page_fixtures import texts


def _by_key(elements, key: str):  # noqa: ANN001, ANN202
    return next(e for e in elements if e.key == key)


def _given_up_email() -> int:
    with write_session() as s:
        message = outbox.enqueue(
            s,
            to="lena@example.org",
            subject="Minutes of the March workshop",
            body_text="…",
            kind="test",
        )
        message.attempts = 8
        message.failed_at = clock.now()
        message.last_error = "SMTPRecipientsRefused: mailbox unavailable"
        s.add(message)
        s.flush()
        return message.id  # type: ignore[return-value]


def test_the_email_tab_lists_a_failed_email_and_retry_now_sends_it_again(run_page, demo_db) -> None:
    message_id = _given_up_email()
    at = run_page("admin", "admin", tab="E-mail")
    assert not at.exception, at.exception
    table = next(df.value for df in at.dataframe if "Last error" in list(df.value.columns))
    row = table.iloc[0]
    assert row["Subject"] == "Minutes of the March workshop"
    assert row["Recipient"] == "lena@example.org" and row["State"] == "given up"
    assert row["Attempts"] == 8 and "mailbox unavailable" in row["Last error"]
    _by_key(at.selectbox, "adm_outbox_pick").select(message_id).run()
    _by_key(at.button, "adm_outbox_retry").click().run()
    assert not at.exception, at.exception
    with read_session() as s:
        message = s.get(OutboxMessage, message_id)
        assert message is not None
        assert message.failed_at is None and message.attempts == 0
        assert message.next_attempt_at <= clock.now() + timedelta(seconds=1)
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "outbox_message.retry")).first()
    assert "No e-mail failed" in texts(at)


def test_the_email_tab_speaks_german(run_page, demo_db) -> None:
    _given_up_email()
    with write_session() as s:
        user = accounts.find_user(s, "admin")
        assert user is not None
        user.language = "de"
        s.add(user)
    at = run_page("admin", "admin", tab="E-Mail")
    assert not at.exception, at.exception
    table = next(df.value for df in at.dataframe if "Letzter Fehler" in list(df.value.columns))
    assert table.iloc[0]["Zustand"] == "aufgegeben"
    assert any(b.label == "Jetzt erneut versuchen" for b in at.button)


def test_the_profile_saves_how_notifications_arrive_by_email(run_page, demo_db) -> None:
    at = run_page("profile", "member")
    choice = _by_key(at.selectbox, "profile_email_delivery")
    assert choice.value == "weekly"
    assert choice.options == [
        "Immediately, one e-mail for each",
        "A daily digest",
        "A weekly digest",
        "No e-mail",
    ]
    choice.select("daily")
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception, at.exception
    with read_session() as s:
        user = s.exec(select(User).where(User.username == "member")).one()
    assert user.email_delivery == "daily"
