"""The Profile page's calendar subscription: make the address, choose its contents, replace it."""

from __future__ import annotations

from sqlmodel import select

from cop.calendars.models import CalendarFeed
from cop.core.db import read_session
from tests.page_fixtures import texts


def _feed_row(user_id: int) -> CalendarFeed | None:
    with read_session() as s:
        return s.exec(select(CalendarFeed).where(CalendarFeed.user_id == user_id)).first()


def _user_id(username: str) -> int:
    from cop.accounts.models import User

    with read_session() as s:
        return s.exec(select(User).where(User.username == username)).one().id


def test_a_member_makes_a_calendar_address_chooses_actions_and_replaces_it(run_page) -> None:  # noqa: ANN001
    at = run_page("profile", "member")
    assert not at.exception, at.exception
    assert "Calendar subscription" in [h.value for h in at.subheader]
    at.button(key="calendar-make").click().run()
    assert not at.exception, at.exception
    first = _feed_row(_user_id("member"))
    assert first is not None
    shown = at.code[0].value
    assert shown.endswith(f"/feeds/{first.token}.ics")

    at.checkbox[-1].check().run()
    assert not at.exception, at.exception
    assert _feed_row(_user_id("member")).include_actions is True

    at.button(key="calendar-replace").click().run()
    assert "stop receiving updates" in texts(at)
    at.button(key="calendar-replace-yes").click().run()
    assert not at.exception, at.exception
    replaced = _feed_row(_user_id("member"))
    assert replaced.token != first.token
    assert at.code[0].value.endswith(f"/feeds/{replaced.token}.ics")
