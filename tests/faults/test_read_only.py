"""A database opened read-only: reading works, every write gets a clear message, nothing half-written."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from cop.communities import people
from cop.communities.models import Organisation
from cop.core import db
from cop.core.audit import AuditEvent
from cop.core.errors import DatabaseUnavailable
from cop.core.permissions import SYSTEM
from tests.page_fixtures import texts


@pytest.fixture
def read_only_url(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    path = demo_db.removeprefix("sqlite:///")
    db.get_engine(demo_db).dispose()
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    monkeypatch.setenv("COP_DATABASE_URL", url)
    yield url
    engine = db._engines.pop(url, None)
    if engine is not None:
        engine.dispose()


def test_write_on_read_only_database_is_refused_clearly_and_writes_nothing(
    read_only_url: str,
) -> None:
    with db.read_session() as session:
        before = session.exec(select(func.count(AuditEvent.id))).one()
    with pytest.raises(DatabaseUnavailable, match="read-only"):
        with db.write_session() as session:
            people.create_organisation(session, SYSTEM, name="Never stored")
    with db.read_session() as session:
        assert session.exec(select(func.count(AuditEvent.id))).one() == before
        assert (
            session.exec(select(Organisation).where(Organisation.name == "Never stored")).first()
            is None
        )


def test_pages_still_read_on_a_read_only_database(read_only_url: str, run_page) -> None:
    at = run_page("home", "facilitator")
    assert not at.exception
    assert "Welcome, Hannah Clarke" in texts(at)
