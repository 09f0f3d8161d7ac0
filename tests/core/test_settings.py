"""The generated cookie key on the SQLite default: private, stable, and safe to create concurrently."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest

from cop.core import settings


@pytest.fixture
def fresh_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COP_DATABASE_URL", f"sqlite:///{tmp_path / 'cop.db'}")
    monkeypatch.delenv("COP_COOKIE_KEY", raising=False)
    return tmp_path


def test_generated_key_is_private_and_the_same_on_every_call(fresh_data_dir: Path) -> None:
    first = settings.cookie_key()
    assert len(first.encode()) >= 32
    assert settings.cookie_key() == first
    mode = stat.S_IMODE((fresh_data_dir / "cookie.key").stat().st_mode)
    assert mode == 0o600, oct(mode)
    assert [p.name for p in fresh_data_dir.iterdir()] == ["cookie.key"]  # no temporary file left


def test_sessions_starting_together_all_get_one_key_without_error(fresh_data_dir: Path) -> None:
    start = threading.Barrier(16)
    keys: list[str] = []
    errors: list[BaseException] = []

    def first_run() -> None:
        start.wait()
        try:
            keys.append(settings.cookie_key())
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=first_run) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(keys) == 16 and len(set(keys)) == 1
    assert (fresh_data_dir / "cookie.key").read_text().strip() == keys[0]


def test_the_secrets_file_is_read_once_per_process_and_the_environment_on_every_ask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every database session asks for the address; each ask looked for secrets.toml on disk
    (issue 24: 7 % of a loaded server's samples)."""
    folder = tmp_path / ".streamlit"
    folder.mkdir()
    (folder / "secrets.toml").write_text(
        'COP_DATABASE_URL = "postgresql+psycopg://städte@db/cop"\n', encoding="utf-8"
    )
    monkeypatch.setattr(settings, "PROJECT_ROOT", tmp_path)
    monkeypatch.delenv("COP_DATABASE_URL", raising=False)
    assert settings.database_url() == "postgresql+psycopg://städte@db/cop"
    (folder / "secrets.toml").unlink()
    assert settings.database_url() == "postgresql+psycopg://städte@db/cop", "read again"
    monkeypatch.setenv("COP_DATABASE_URL", "sqlite:///elsewhere.db")
    assert settings.database_url() == "sqlite:///elsewhere.db"
