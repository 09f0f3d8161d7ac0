"""The ``cop`` command: operator set-up from a shell, clear refusals, nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from cop.accounts.models import User
from cop.backup.bulk_load import populated_tables
from cop.cli import main
from cop.communities.models import Community, Membership, Organisation, Person
from cop.core import schema
from cop.core.audit import AuditEvent
from cop.core.db import DataVersion, get_engine, read_session

PW = "quiet river at dawn"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def state(url: str) -> tuple[dict[str, int], int]:
    """Rows per table and the data_version counter: what "nothing half-written" compares."""
    with get_engine(url).connect() as conn:
        return populated_tables(conn), conn.execute(
            sa.select(DataVersion.value).where(DataVersion.id == 1)
        ).scalar_one()


def test_help_works_as_the_installed_command() -> None:
    cop = Path(sys.executable).parent / "cop"
    result = subprocess.run(
        [str(cop), "--help"], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    for command in ("db", "user", "community", "member", "seed", "backup", "restore"):
        assert command in result.stdout


def test_db_check_reports_the_current_schema(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "db", "check")
    assert code == 0
    assert schema.head_revision() in out


def test_db_upgrade_migrates_an_empty_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    code, out, _ = run(capsys, "--database", url, "db", "check")
    assert code == 1 and "cop db upgrade" in out
    assert run(capsys, "--database", url, "db", "upgrade")[0] == 0
    assert run(capsys, "--database", url, "db", "check")[0] == 0
    code, out, _ = run(capsys, "--database", url, "db", "upgrade")
    assert code == 0 and "already" in out


def test_data_commands_refuse_a_database_without_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    code, _, err = run(capsys, "--database", url, "community", "add", "x", "--name", "X")
    assert code == 1
    assert "run `cop db upgrade` first" in err


def test_an_operator_sets_up_a_community_from_the_shell(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "user",
        "add",
        "Maria.Rossi",
        "--email",
        "maria@example.org",
        "--name",
        "Maria Rossi",
        "--organisation",
        "Comune di Bologna",
        "--password",
        PW,
    )
    assert (code, err) == (0, "")
    assert "maria.rossi" in out
    assert (
        run(
            capsys,
            "user",
            "add",
            "root",
            "--email",
            "root@example.org",
            "--name",
            "Ro Ot",
            "--admin",
            "--organisation",
            "Comune di Bologna",
            "--password",
            PW,
        )[0]
        == 0
    )
    code, out, _ = run(
        capsys,
        "community",
        "add",
        "welcoming",
        "--name",
        "Accoglienza 🌍",
        "--theme",
        "Welcoming culture",
        "--private",
    )
    assert code == 0 and "private" in out
    code, out, _ = run(capsys, "member", "add", "welcoming", "maria.rossi", "--role", "facilitator")
    assert code == 0

    with read_session(get_engine(db_url)) as s:
        maria = s.exec(select(User).where(User.username == "maria.rossi")).one()
        person = s.get(Person, maria.person_id)
        organisations = s.exec(select(Organisation.name)).all()
        community = s.exec(select(Community).where(Community.slug == "welcoming")).one()
        membership = s.exec(select(Membership).where(Membership.community_id == community.id)).one()
        admins = s.exec(select(User.username).where(User.is_admin == True)).all()  # noqa: E712
        actors = set(s.exec(select(AuditEvent.actor_name)))
    assert (person.name, person.email) == ("Maria Rossi", "maria@example.org")
    assert organisations == ["Comune di Bologna"]  # found by name the second time, not duplicated
    assert (community.name, community.theme, community.visibility) == (
        "Accoglienza 🌍",
        "Welcoming culture",
        "private",
    )
    assert (membership.person_id, membership.role) == (person.id, "facilitator")
    assert admins == ["root"]
    assert actors == {"system"}
    printed = capsys.readouterr()
    assert PW not in out + printed.out + printed.err
    assert maria.password_hash not in out


def test_the_password_is_asked_twice_when_not_given(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([PW, PW])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, out, _ = run(
        capsys, "user", "add", "ines", "--email", "ines@example.org", "--name", "Inês Simões"
    )
    assert code == 0
    assert PW not in out


def test_two_different_passwords_at_the_prompt_save_nothing(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([PW, PW + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    before = state(sqlite_url)
    code, _, err = run(
        capsys,
        "user",
        "add",
        "ines",
        "--email",
        "ines@example.org",
        "--name",
        "Inês Simões",
        "--organisation",
        "Câmara Municipal de Lisboa",
    )
    assert code == 1 and "differ" in err
    assert state(sqlite_url) == before


BAD_INPUT = [
    pytest.param(
        ["member", "add", "welcoming", "alice", "--role", "boss"],
        2,
        "invalid choice: 'boss'",
        id="unknown-role",
    ),
    pytest.param(
        ["user", "add", "Bad Name!", "--email", "b@example.org", "--name", "B", "--password", PW],
        1,
        "username: Use 3-32 characters",
        id="bad-username",
    ),
    pytest.param(
        [
            "user",
            "add",
            "ALICE",
            "--email",
            "a2@example.org",
            "--name",
            "Alice Two",
            "--password",
            PW,
        ],
        1,
        "username: The username 'alice' is taken",
        id="duplicate-user",
    ),
    pytest.param(
        ["member", "add", "no-such-community", "alice", "--role", "member"],
        1,
        "There is no community 'no-such-community'",
        id="unknown-community",
    ),
    pytest.param(
        [
            "user",
            "add",
            "bob",
            "--email",
            "bob@example.org",
            "--name",
            "Bob",
            "--organisation",
            "New City",
            "--password",
            "too short",
        ],
        1,
        "password: Use at least 12 characters",
        id="short-password",
    ),
    pytest.param(
        ["member", "add", "welcoming", "nobody", "--role", "member"],
        1,
        "There is no account 'nobody'",
        id="unknown-account",
    ),
    pytest.param(
        ["member", "add", "welcoming", "alice", "--role", "observer"],
        1,
        "already a member",
        id="already-member",
    ),
    pytest.param(
        ["community", "add", "welcoming", "--name", "Again"],
        1,
        "slug: The short name 'welcoming' is taken",
        id="duplicate-slug",
    ),
    pytest.param(
        ["community", "add", "Not A Slug", "--name", "  "],
        1,
        "name: The name must not be empty",
        id="bad-slug-and-name",
    ),
    pytest.param(
        ["community", "add", "fine"],
        2,
        "the following arguments are required: --name",
        id="missing-option",
    ),
    pytest.param(["frobnicate"], 2, "invalid choice: 'frobnicate'", id="unknown-command"),
    pytest.param(["seed", "--scale", "huge"], 2, "invalid choice: 'huge'", id="unknown-scale"),
]


@pytest.mark.parametrize(("argv", "exit_code", "message"), BAD_INPUT)
def test_bad_input_is_refused_clearly_and_writes_nothing(
    db_url: str, capsys: pytest.CaptureFixture[str], argv: list[str], exit_code: int, message: str
) -> None:
    assert (
        run(
            capsys,
            "user",
            "add",
            "alice",
            "--email",
            "alice@example.org",
            "--name",
            "Alice",
            "--password",
            PW,
        )[0]
        == 0
    )
    assert run(capsys, "community", "add", "welcoming", "--name", "Welcoming")[0] == 0
    assert run(capsys, "member", "add", "welcoming", "alice", "--role", "member")[0] == 0
    before = state(db_url)

    code, out, err = run(capsys, *argv)

    assert code == exit_code
    assert message in err
    assert "Traceback" not in err and out == ""
    assert all(line.startswith("cop") for line in err.splitlines()), (
        "one line per message, named after the command"
    )
    assert state(db_url) == before


def test_seed_fills_an_empty_database_once(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "seed", "--scale", "small", "--random-seed", "7")
    assert code == 0
    counts, _ = state(db_url)
    assert counts["community"] == 4 and counts["person"] == 60
    assert "Seeded the small workspace" in out
    before = state(db_url)
    code, _, err = run(capsys, "seed", "--scale", "small")
    assert code == 1 and "empty database" in err
    assert state(db_url) == before


def test_backup_and_restore_from_the_shell(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "community", "add", "welcoming", "--name", "Willkommenskultur")[0] == 0
    archive = tmp_path / "workspace.zip"
    code, out, _ = run(capsys, "backup", str(archive))
    assert code == 0 and archive.exists()
    code, _, err = run(capsys, "backup", str(archive))
    assert code == 1 and "already exists" in err

    target = f"sqlite:///{tmp_path / 'target.db'}"
    code, out, _ = run(capsys, "--database", target, "restore", str(archive))
    assert code == 0 and "Restored" in out
    before = state(target)
    code, _, err = run(capsys, "--database", target, "restore", str(archive))
    assert code == 1 and "--replace" in err
    assert state(target) == before
    assert run(capsys, "--database", target, "restore", str(archive), "--replace")[0] == 0
    with read_session(get_engine(target)) as s:
        assert s.exec(select(Community.name)).all() == ["Willkommenskultur"]


def test_restore_refuses_a_file_that_is_not_a_backup(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "notes.zip"
    bogus.write_text("not a zip", encoding="utf-8")
    before = state(sqlite_url)
    code, _, err = run(capsys, "restore", str(bogus))
    assert code == 1 and "is not a CoP Workspace backup" in err
    assert state(sqlite_url) == before
