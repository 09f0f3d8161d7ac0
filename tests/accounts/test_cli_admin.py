"""The operator's account and import commands: the same services as the admin page, audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from cop.accounts import service as accounts
from cop.accounts.models import User
from cop.cli import main
from cop.communities.models import Membership, Person
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from tests import factories


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _lock(engine: Engine, username: str) -> None:
    for _ in range(5):
        with write_session(engine) as s:
            accounts.sign_in(s, username, "wrong wrong wrong")


def test_unlock_by_username(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    member = factories.actor(engine)
    _lock(engine, member.username)
    code, out, _ = run(capsys, "user", "unlock", member.username.upper())
    assert code == 0 and "Unlocked" in out
    with write_session(engine) as s:
        assert accounts.sign_in(s, member.username, factories.PASSWORD) is not None
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "user.unlock")).one()
    assert event.actor_name == "system"


def test_reset_password_prints_a_one_time_password(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    member = factories.actor(engine)
    code, out, _ = run(capsys, "user", "reset-password", member.username)
    assert code == 0
    temporary = out.split(": ", 1)[1].splitlines()[0]
    with write_session(engine) as s:
        user = accounts.sign_in(s, member.username, temporary)
        assert user is not None and user.must_change_password


def test_deactivate_and_reactivate(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    member = factories.actor(engine)
    assert run(capsys, "user", "deactivate", member.username)[0] == 0
    with read_session(engine) as s:
        assert not s.get(User, member.user_id).active  # type: ignore[union-attr]
    assert run(capsys, "user", "reactivate", member.username)[0] == 0
    with read_session(engine) as s:
        assert s.get(User, member.user_id).active  # type: ignore[union-attr]


def test_an_unknown_username_is_a_clear_refusal(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "user", "unlock", "nobody")
    assert code == 1 and "There is no account 'nobody'" in err


def _counts(engine: Engine) -> tuple[int, int]:
    with read_session(engine) as s:
        return (
            s.exec(select(func.count()).select_from(Person)).one(),
            s.exec(select(func.count()).select_from(Membership)).one(),
        )


def test_import_people_dry_run_then_for_real(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    community = factories.community(engine)
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "name,email,organisation,country,role\nGiulia Bianchi,giulia@example.org,Bologna,IT,member\n",
        encoding="utf-8",
    )
    before = _counts(engine)
    code, out, _ = run(
        capsys, "import", "people", str(sheet), "--community", community.slug, "--dry-run"
    )
    assert code == 0 and "1 new person(s)" in out and "nothing was written" in out
    assert _counts(engine) == before
    code, out, _ = run(capsys, "import", "people", str(sheet), "--community", community.slug)
    assert code == 0 and "Imported" in out
    assert _counts(engine) == (before[0] + 1, before[1] + 1)


def test_import_people_with_a_broken_row_lists_it_and_writes_nothing(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    community = factories.community(engine)
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "name,email\nGood Person,good@example.org\nBad Person,bad@\n", encoding="utf-8"
    )
    before = _counts(engine)
    code, out, _ = run(capsys, "import", "people", str(sheet), "--community", community.slug)
    assert code == 1 and "row 3, email" in out and "nothing was imported" in out
    assert _counts(engine) == before


def test_import_people_refuses_a_missing_file_and_an_unknown_community(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    community = factories.community(engine)
    code, _, err = run(
        capsys, "import", "people", str(tmp_path / "missing.csv"), "--community", community.slug
    )
    assert code == 1 and "Cannot read" in err
    sheet = tmp_path / "people.csv"
    sheet.write_text("name\nSomeone\n", encoding="utf-8")
    code, _, err = run(capsys, "import", "people", str(sheet), "--community", "no-such-community")
    assert code == 1 and "no-such-community" in err
