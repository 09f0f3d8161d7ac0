"""The data_version read that starts every page run: its value, and a clear error when the database is away."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from cop.communities.models import Organisation
from cop.core import db
from cop.core.db import current_data_version, get_engine, write_session
from cop.core.errors import DatabaseUnavailable


def test_every_write_transaction_moves_the_version_on_by_one(sqlite_url: str) -> None:
    engine = get_engine(sqlite_url)
    before = current_data_version(engine)
    with write_session(engine) as session:
        session.add(Organisation(name="Ghent", country="BE"))
    assert current_data_version(engine) == before + 1


def _closed_port() -> int:
    with socket.socket() as probe:  # bound, then released: nothing listens there afterwards
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_postgresql_server_that_refuses_connections_is_reported_as_unavailable() -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/test"
    try:
        with pytest.raises(DatabaseUnavailable, match="unavailable"):
            current_data_version(db.get_engine(url))
    finally:
        db._engines.pop(url).dispose()


def test_a_sqlite_file_without_the_schema_is_not_taken_for_version_zero(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    try:
        with pytest.raises(DatabaseUnavailable):
            current_data_version(db.get_engine(url))
    finally:
        db._engines.pop(url).dispose()
