"""Someone's posted update leaves other people's cached reads alone (issue 24's capacity: under
load an update was posted every few seconds, and each made everybody's next click read who
they are, their communities and the page's records again). A change to a record still does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from cop.accounts import service as accounts
from cop.actions import updates
from cop.actions.models import Action
from cop.core.db import write_session

READS = ('FROM "user"', "FROM user ", "FROM community", "FROM workshop")


@pytest.fixture
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT") and any(r in statement for r in READS):
            seen.append(statement)

    event.listen(sa.engine.Engine, "before_cursor_execute", note)
    yield seen
    event.remove(sa.engine.Engine, "before_cursor_execute", note)


def _post_update_as_admin() -> None:
    with write_session() as session:
        admin = accounts.load_actor(session, username="admin")
        action = session.exec(sa.select(Action)).scalars().first()
        assert admin is not None and action is not None
        updates.post_update(session, admin, action.id, text="Met the library's volunteers.")


def test_a_posted_update_leaves_the_next_clicks_reads_kept(run_page, statements) -> None:
    at = run_page("workshops", "facilitator")
    _post_update_as_admin()
    statements.clear()
    at.run()
    assert not at.exception, at.exception
    assert statements == [], "who one is, the sidebar and the list were read again"


def test_a_changed_record_is_read_again(run_page, statements) -> None:
    at = run_page("workshops", "facilitator")
    with write_session() as session:
        admin = accounts.load_actor(session, username="admin")
        action = session.exec(sa.select(Action)).scalars().first()
        assert admin is not None and action is not None
        updates.post_update(session, admin, action.id, text="Done.", new_status="done")
    statements.clear()
    at.run()
    assert not at.exception, at.exception
    assert statements, "a write to a record must refresh the reads kept"
