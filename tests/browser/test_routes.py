"""The app's own routes beside its pages (serve.py): the published site, calendar feeds, /healthz.

Each is fetched over HTTP from the running server as a proxy, a calendar program or a
reader would. Streamlit answers every unknown path with its page (200, text/html), so
each check reads the content type and the body, never the status alone.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from icalendar import Calendar
from sqlmodel import select

from cop.accounts.service import load_actor
from cop.calendars import service as calendars
from cop.core import db
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM
from cop.publishing import service as publishing
from cop.workshops import service as workshops
from cop.workshops.models import Workshop
from tests.browser.conftest import start_server, stop_server
from tests.browser.helpers import http_get

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def engine(demo):  # noqa: ANN001, ANN201
    engine = db.get_engine(demo.database_url)
    yield engine
    db.dispose_engines()


def test_published_site_is_served_to_anyone_and_downloads_as_a_zip(demo, engine) -> None:  # noqa: ANN001
    status, kind, body, _ = http_get(f"{demo.url}/published/99/index.html")
    assert status == 404 and kind.startswith("text/plain")  # no such edition online
    status, kind, body, _ = http_get(f"{demo.url}/published/1/index.html")
    assert status == 200 and kind.startswith("text/html")  # the demo's, from the first start
    assert b"VALUES toolkit" in body and b"md-search" in body
    publishing.publish(SYSTEM, 1, engine=engine)
    status, kind, body, _ = http_get(f"{demo.url}/published/1/index.html")
    assert status == 200 and kind.startswith("text/html")
    assert b"VALUES toolkit" in body and b"md-search" in body
    status, kind, body, _ = http_get(f"{demo.url}/published/")
    assert kind.startswith("text/html") and b'href="/published/1/index.html"' in body
    status, kind, body, headers = http_get(f"{demo.url}/published/1.zip")
    assert kind == "application/zip" and "attachment" in headers.get("content-disposition", "")
    assert "index.html" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    status, kind, body, _ = http_get(f"{demo.url}/published/1/../../_stcore/health")
    assert b"VALUES toolkit" not in body  # a path cannot climb out of the site


def test_the_served_site_searches_in_chromium_without_asking_another_host(
    demo, engine, page
) -> None:  # noqa: ANN001
    publishing.publish(SYSTEM, 1, engine=engine)
    own = demo.url
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(own) else None)
    page.goto(f"{demo.url}/published/1/index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input[data-md-component='search-query']").press_sequentially("buddy", delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    assert "Buddy programme" in " ".join(page.locator(".md-search-result__item").all_inner_texts())
    assert outside == []


def test_feed_is_served_as_text_calendar_follows_changes_and_a_replaced_address_is_gone(
    demo, engine
) -> None:  # noqa: ANN001
    with read_session(engine) as s:
        member = load_actor(s, username="member")
    assert member is not None
    with write_session(engine) as s:
        token = calendars.new_feed_address(s, member).token
    url = f"{demo.url}/feeds/{token}.ics"
    status, kind, body, headers = http_get(url)
    assert status == 200 and kind.startswith("text/calendar")
    events = {str(e["uid"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    assert events
    status, _, _, _ = http_get(url, {"If-None-Match": headers["etag"]})
    assert status == 304
    with read_session(engine) as s:
        w = s.exec(
            select(Workshop).where(
                Workshop.community_id.in_(list(member.roles)), Workshop.status == "planned"
            )
        ).first()
    assert w is not None
    uid = f"workshop-{w.id}@cop-workspace"
    with write_session(engine) as s:
        workshops.update_workshop(s, SYSTEM, w.id, w.version, title=w.title + " (moved)")
    status, _, body, _ = http_get(url, {"If-None-Match": headers["etag"]})
    assert status == 200
    moved = {str(e["uid"]): e for e in Calendar.from_ical(body).walk("VEVENT")}[uid]
    assert int(moved["sequence"]) > int(events[uid]["sequence"])
    with write_session(engine) as s:
        calendars.new_feed_address(s, member)
    status, kind, body, _ = http_get(url)
    assert status == 404 and kind.startswith("text/plain")


def test_healthz_says_ok_as_json_and_503_when_the_schema_is_behind(tmp_path: Path) -> None:
    # An empty workspace: /healthz prepares it as a first page run would, and the demo's
    # load (two sites published) is not what this test is about.
    server = start_server(tmp_path, {"COP_DEMO": "0"})
    try:
        status, kind, body, _ = http_get(f"{server.url}/healthz")
        assert kind.startswith("application/json"), kind
        assert status == 200 and json.loads(body)["status"] == "ok", body
        engine = sa.create_engine(server.database_url)
        with engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE alembic_version SET version_num = '0008_notification_templates'")
            )
        engine.dispose()
        status, kind, body, _ = http_get(f"{server.url}/healthz")
        assert status == 503 and kind.startswith("application/json")
        found = json.loads(body)
        assert found["status"] == "unavailable" and "run the migrations" in found["reason"]
    finally:
        stop_server(server)
