"""The search index refuses at start-up a kind that names a table or column the models do not have."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cop.search import index


def test_the_indexed_kinds_name_existing_columns() -> None:
    index.check_kinds()  # raises on any unknown table or column


def test_an_unknown_body_column_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    table, title, body = index.KINDS["action"]
    monkeypatch.setitem(index.KINDS, "action", (table, title, (*body, "description")))
    with pytest.raises(RuntimeError, match=r"action: no column action\.description"):
        index.check_kinds()


def test_an_unknown_child_table_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(index.CHILDREN, "minute", ("workshop", "workshop_id", "text"))
    with pytest.raises(RuntimeError, match="minute"):
        index.check_kinds()


def test_opening_the_database_without_the_registry_fails_loudly() -> None:
    code = "from cop.core import db; db.get_engine('sqlite://')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "Import cop.registry before opening the database" in done.stderr
    registered = "import cop.registry; " + code
    assert (
        subprocess.run(
            [sys.executable, "-c", registered], capture_output=True, check=False
        ).returncode
        == 0
    )
