"""The records' version (issue 24): a write to the journals alone (an action's update, the
audit log, the search index) moves ``data_version`` but not the records' version, so reads
that show no journal stay cached when someone posts an update; any other write moves both."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cop.actions import service as actions
from cop.actions import updates
from cop.backup.bulk_load import bump_data_version
from cop.core import db, schema
from cop.core.db import current_versions, journal_free_read, read_session, write_session
from tests import factories


def _action(engine: Engine) -> tuple[factories.World, int]:
    w = factories.world(engine)
    with write_session(engine) as s:
        made = actions.create_action(
            s,
            w.member,
            community_id=w.community.id,
            title="Library volunteers",
            owner_person_id=w.member.person_id,
            due_date="2031-06-30",
        )
    return w, int(made.id)  # type: ignore[arg-type]


def test_posting_an_update_moves_data_version_but_not_the_records_version(engine: Engine) -> None:
    w, action_id = _action(engine)
    version, records = current_versions(engine)
    with write_session(engine) as s:
        updates.post_update(s, w.member, action_id, text="Met the volunteers of the library.")
    assert current_versions(engine) == (version + 1, records)


def test_a_change_to_a_record_moves_both(engine: Engine) -> None:
    w, action_id = _action(engine)
    version, records = current_versions(engine)
    with write_session(engine) as s:
        updates.post_update(
            s, w.member, action_id, text="Half way.", new_progress=50
        )  # the action's progress changes: a record
    after = current_versions(engine)
    assert after[0] == version + 1 and after[1] > records


def test_a_write_whose_table_is_not_plain_to_see_moves_both(engine: Engine) -> None:
    """A statement that does not start by naming its table counts as a record changed."""
    _action(engine)
    version, records = current_versions(engine)
    with write_session(engine) as s:
        s.execute(
            sa.text(
                "WITH gone AS (SELECT id FROM audit_event WHERE id < 0) "
                "DELETE FROM audit_event WHERE id IN (SELECT id FROM gone)"
            )
        )
    after = current_versions(engine)
    assert after[0] == version + 1 and after[1] > records


def test_a_read_kept_through_journal_writes_may_not_read_one(engine: Engine) -> None:
    _action(engine)
    with journal_free_read(engine) as s:
        assert s.execute(sa.text("SELECT count(*) FROM action")).scalar() == 1
        with pytest.raises(AssertionError, match="journal"):
            s.execute(sa.text("SELECT count(*) FROM audit_event"))
    with read_session(engine) as s:  # the next read on the same connection may again
        assert s.execute(sa.text("SELECT count(*) FROM audit_event")).scalar()


def test_a_bulk_load_moves_both(engine: Engine) -> None:
    version, records = current_versions(engine)
    with engine.begin() as conn:
        bump_data_version(conn, archived=version + 10)
    assert current_versions(engine) == (version + 11, version + 11)


def test_the_migration_starts_the_records_version_at_data_version(tmp_path: Path) -> None:
    engine = db.get_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        schema.upgrade(engine, "0018_search_newest_function")
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE data_version SET value = 41 WHERE id = 1"))
        assert current_versions(engine) == (41, 41)  # no row yet: nothing kept longer
        schema.upgrade(engine)
        with engine.connect() as conn:
            rows = dict(conn.execute(sa.text("SELECT id, value FROM data_version")).all())
        assert rows == {1: 41, 2: 41}
    finally:
        db._engines.pop(str(engine.url), None)
        engine.dispose()
