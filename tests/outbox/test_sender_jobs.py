"""The outbox's senders as an operator runs them: ``cop notify digest|send`` and the background thread."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.engine import Engine

from cop.cli import main
from cop.core.db import write_session
from cop.outbox import sender
from cop.outbox import service as outbox
from tests import factories
from tests.outbox.conftest import SmtpServer
from tests.outbox.test_outbox import _notify, _wants


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_the_daily_digest_and_the_send_command_from_the_shell(
    engine: Engine, smtp: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    world = factories.world(engine)
    _wants(engine, world.member, "daily", "lena@example.org")
    for text in ("One", "Two", "Three"):
        _notify(engine, world, world.member, text)
    assert run(capsys, "notify", "digest", "--weekly") == (
        0,
        "Queued the weekly digest for 0 people; `cop notify send` (or the server) sends it.\n",
    )
    code, out = run(capsys, "notify", "digest", "--daily")
    assert code == 0 and "daily digest for 1 person" in out
    assert smtp.inbox.messages == []
    code, out = run(capsys, "notify", "send")
    assert code == 0 and out.startswith("Sent 1 e-mail;")
    (message,) = smtp.inbox.messages
    assert message["Subject"] == "Your day in CoP Workspace"
    assert run(capsys, "notify", "send")[1].startswith("Sent 0 e-mails;")


def test_without_a_mail_server_the_send_command_says_so(
    engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COP_SMTP_URL", raising=False)
    monkeypatch.setattr("cop.core.settings._secrets", lambda: {})
    code, out = run(capsys, "notify", "send")
    assert code == 0 and "COP_SMTP_URL is not set" in out


def test_the_background_sender_sends_what_is_queued_until_stopped(
    engine: Engine, smtp: SmtpServer
) -> None:
    stop = threading.Event()
    thread = threading.Thread(
        target=sender.run_forever, kwargs={"engine": engine, "interval": 0.1, "stop": stop}
    )
    thread.start()
    try:
        with write_session(engine) as s:
            outbox.enqueue(s, to="lena@example.org", subject="Hello", body_text="Hi", kind="test")
        deadline = time.monotonic() + 30
        while not smtp.inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert smtp.inbox.subjects() == ["Hello"]


def test_the_server_starts_one_background_sender_per_database(monkeypatch) -> None:  # noqa: ANN001
    started: list[dict] = []

    class FakeThread:
        def __init__(self, **kwargs: object) -> None:
            started.append(kwargs)

        def start(self) -> None:
            return None

    monkeypatch.setattr(sender, "_started", set())
    monkeypatch.setattr(sender.threading, "Thread", FakeThread)
    assert sender.start_background_sender("sqlite:///a.db")
    assert not sender.start_background_sender("sqlite:///a.db")
    assert sender.start_background_sender("sqlite:///b.db")
    assert [s["kwargs"] for s in started] == [
        {"database_url": "sqlite:///a.db"},
        {"database_url": "sqlite:///b.db"},
    ]
    assert all(s["daemon"] for s in started)


def test_the_server_starts_its_sender_only_when_a_mail_server_is_configured(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cop.shell import startup

    started: list[str] = []
    monkeypatch.setattr(startup.sender, "start_background_sender", started.append)
    monkeypatch.setattr(startup, "_prepared", set())
    monkeypatch.delenv("COP_SMTP_URL", raising=False)
    monkeypatch.setattr("cop.core.settings._secrets", lambda: {})
    startup._prepare(sqlite_url)
    assert started == []
    monkeypatch.setattr(startup, "_prepared", set())
    monkeypatch.setenv("COP_SMTP_URL", "smtp://127.0.0.1:2525")
    startup._prepare(sqlite_url)
    startup._prepare(sqlite_url)  # every later page run: nothing more
    assert started == [sqlite_url]
