"""Two app servers on one PostgreSQL database, sharing COP_COOKIE_KEY.

A cookie issued by one signs in on the other; a workshop recorded through one
appears in the other on its next rerun (no stale cache); a sign-out on one
invalidates the cookie on both. Both servers listen on 127.0.0.1 (cookies
are per host, not per port), as two replicas behind one proxy would.
"""

from __future__ import annotations

import os
import secrets
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar
from playwright.sync_api import expect
from sqlmodel import select

from cop.accounts import service as accounts
from cop.backup.demo import load_demo
from cop.calendars import service as calendars
from cop.core import db, schema
from cop.core.permissions import SYSTEM
from cop.workshops import service as workshops
from cop.workshops.models import Workshop
from tests.browser.conftest import DEMO_PASSWORD, start_server, stop_server
from tests.browser.helpers import http_get, open_page, sign_in, wait_idle

pytestmark = pytest.mark.e2e
PG_URL = os.environ.get("COP_TEST_DATABASE_URL", "")


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    if not PG_URL:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but COP_TEST_DATABASE_URL is not set")
        pytest.skip("replicas need PostgreSQL: set COP_TEST_DATABASE_URL")
    name = f"cop_replicas_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{name}"
    engine = db.get_engine(url)
    schema.upgrade(engine)  # `cop db upgrade` once, before the replicas start
    load_demo(engine)
    env = {"COP_DATABASE_URL": url, "COP_COOKIE_KEY": secrets.token_urlsafe(48), "COP_DEMO": "0"}
    servers = [start_server(tmp_path_factory.mktemp(f"replica{i}"), env) for i in (1, 2)]
    yield servers, engine
    for server in servers:
        stop_server(server)
    db.dispose_engines()
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
    admin.dispose()


def test_replicas_share_sign_in_data_and_sign_out(replicas, browser) -> None:
    (first, second), engine = replicas
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page_one = context.new_page()
    sign_in(page_one, first.url, "facilitator", DEMO_PASSWORD)

    page_two = context.new_page()
    open_page(page_two, second.url)  # the cookie issued by the first replica
    expect(page_two.get_by_text("Welcome, Hannah Clarke")).to_be_visible()

    with db.write_session(engine) as session:
        actor = accounts.load_actor(session, username="facilitator")
        community_id = min(actor.roles)
        starts = datetime.now(UTC) + timedelta(days=3)
        workshops.record_workshop(
            session,
            actor,
            community_id=community_id,
            title="Replica visible visit",
            kind="study_visit",
            format="online",
            meeting_link="https://meet.example.org/r",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            time_zone="Europe/Brussels",
        )
    page_two.reload()
    wait_idle(page_two)
    # Under "Upcoming workshops" (the activity sentence names it too).
    upcoming = page_two.get_by_test_id("stPageLink-NavLink").filter(
        has_text="Replica visible visit"
    )
    expect(upcoming).to_be_visible()

    saved_cookies = context.cookies()
    page_one.get_by_role("button", name="Sign out").click()
    wait_idle(page_one)
    page_two.get_by_test_id("stSidebarNav").get_by_text(
        "Search", exact=True
    ).click()  # any next click
    wait_idle(page_two)
    expect(page_two.get_by_role("button", name="Sign in")).to_be_visible()

    fresh = browser.new_context()
    fresh.add_cookies(saved_cookies)
    stale = fresh.new_page()
    open_page(stale, second.url)
    expect(stale.get_by_role("button", name="Sign in")).to_be_visible()
    fresh.close()
    context.close()


def _feed(url: str) -> tuple[int, str, dict[str, Calendar], str]:
    status, kind, body, headers = http_get(url)
    events = (
        {str(e["uid"]): e for e in Calendar.from_ical(body).walk("VEVENT")} if status == 200 else {}
    )
    return status, kind, events, headers.get("etag", headers.get("ETag", ""))


def test_feed_replicas_serve_the_same_calendar_follow_a_change_and_forget_a_replaced_address(
    replicas,
) -> None:
    """Each replica keeps its own cache of built feeds: a change made anywhere must reach both."""
    (first, second), engine = replicas
    with db.write_session(engine) as session:
        member = accounts.load_actor(session, username="member")
        assert member is not None
        token = calendars.new_feed_address(session, member).token
        planned = session.exec(
            select(Workshop).where(
                Workshop.community_id.in_(list(member.roles)),  # type: ignore[attr-defined]
                Workshop.status == "planned",
            )
        ).first()
        assert planned is not None
        uid, workshop_id, version = (
            f"workshop-{planned.id}@cop-workspace",
            planned.id,
            planned.version,
        )
    paths = [f"{server.url}/feeds/{token}.ics" for server in (first, second)]
    before = [_feed(url) for url in paths]
    assert [(status, kind.split(";")[0]) for status, kind, _, _ in before] == [
        (200, "text/calendar"),
        (200, "text/calendar"),
    ]
    # The same events (the links back differ only by the replica's own address here).
    assert {u: int(e["sequence"]) for u, e in before[0][2].items()} == {
        u: int(e["sequence"]) for u, e in before[1][2].items()
    }
    assert uid in before[0][2]
    with db.write_session(engine) as session:
        workshops.update_workshop(
            session,
            SYSTEM,
            workshop_id,
            version,
            title="Moved on one replica's database",
        )
    after = [_feed(url) for url in paths]
    for (_, _, old, _), (status, _, new, _) in zip(before, after, strict=True):
        assert status == 200
        assert str(new[uid]["summary"]) == "Moved on one replica's database"
        assert int(new[uid]["sequence"]) > int(old[uid]["sequence"])
    with db.write_session(engine) as session:
        calendars.new_feed_address(session, accounts.load_actor(session, username="member"))
    assert [_feed(url)[0] for url in paths] == [404, 404]
