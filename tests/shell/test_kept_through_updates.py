"""Someone's posted update leaves other people's cached reads alone (issue 24's capacity: under
load an update was posted every few seconds, and each made everybody's next click read who
they are, their communities and the page's records again). A change to a record still does.

A new tab (a new session) finds what another tab of the same person already read, and
nobody finds another person's answers."""

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


# What Home's figures, due actions, upcoming workshops and inbox read (recent activity reads
# the audit log, communities and people's names).
HOME_RECORDS = ("FROM membership", "FROM action", "FROM workshop", "FROM notification")


def _selects(reads: tuple[str, ...]) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT") and any(r in statement for r in reads):
            seen.append(statement)

    event.listen(sa.engine.Engine, "before_cursor_execute", note)
    yield seen
    event.remove(sa.engine.Engine, "before_cursor_execute", note)


@pytest.fixture
def statements() -> Iterator[list[str]]:
    yield from _selects(READS)


@pytest.fixture
def home_reads() -> Iterator[list[str]]:
    yield from _selects(HOME_RECORDS)


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


def test_a_new_tab_finds_what_another_tab_of_the_same_person_read(run_page, statements) -> None:
    run_page("workshops", "facilitator")
    statements.clear()
    at = run_page("workshops", "facilitator")  # a link opened in a new tab: a new session
    assert not at.exception, at.exception
    assert statements == [], "who one is, the sidebar and the list were read again"


def test_home_in_a_new_tab_reads_only_the_recent_activity_again(run_page, home_reads) -> None:
    run_page("home", "facilitator")
    home_reads.clear()
    at = run_page("home", "facilitator")
    assert not at.exception, at.exception
    assert home_reads == [], "the communities' figures, due actions or inbox were read again"


def test_another_person_is_not_handed_the_first_ones_answers(run_page) -> None:
    admin = run_page("home", "admin")
    member = run_page("home", "member")
    assert not admin.exception and not member.exception
    assert admin.sidebar.selectbox[0].options != member.sidebar.selectbox[0].options
    communities = [frame.value for frame in member.dataframe]
    assert len(communities[0]) < len([frame.value for frame in admin.dataframe][0])


def test_an_answer_kept_for_one_database_is_not_handed_out_for_another(
    tmp_path, sqlite_template, monkeypatch
) -> None:
    """Two workspaces at the same records' version (a restored copy, a test's fresh file):
    the same read of each must be its own database's answer."""
    import shutil

    from cop.core import db
    from cop.shell.cache import kept_for_everyone, refresh_data_version

    answers = []
    for name in ("one", "two"):
        path = tmp_path / f"{name}.db"
        shutil.copy(sqlite_template, path)
        monkeypatch.setenv("COP_DATABASE_URL", f"sqlite:///{path}")
        refresh_data_version()
        answers.append(kept_for_everyone(("which file", 1), lambda _session, n=name: n))
        db._engines.pop(f"sqlite:///{path}").dispose()
    assert answers == ["one", "two"]
