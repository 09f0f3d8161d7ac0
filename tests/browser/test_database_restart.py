"""PostgreSQL stopped and started under a running server: a clear message, then recovery.

This stops the machine's PostgreSQL cluster, so it is marked ``last``: the root
conftest orders it after everything else. It always starts the cluster again.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from cop.backup.demo import load_demo
from cop.core import db, schema
from tests.browser.conftest import DEMO_PASSWORD, start_server, stop_server
from tests.browser.helpers import sign_in, wait_idle

pytestmark = [pytest.mark.e2e, pytest.mark.last]
PG_URL = os.environ.get("COP_TEST_DATABASE_URL", "")


def _cluster(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
        timeout=120,
    )


def _wait_ready(up: bool, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        ready = (
            subprocess.run(
                ["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True
            ).returncode
            == 0
        )
        if ready == up:
            return
        time.sleep(0.5)
    raise AssertionError(f"PostgreSQL did not become {'ready' if up else 'unavailable'}")


def _health(url: str) -> tuple[int, dict]:
    """/healthz as the proxy reads it: the status and the JSON body."""
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=30) as response:
            assert response.headers["Content-Type"].startswith("application/json")
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        assert error.headers["Content-Type"].startswith("application/json")
        return error.code, json.loads(error.read())


@pytest.fixture
def pg_server(tmp_path: Path):
    if not PG_URL:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but COP_TEST_DATABASE_URL is not set")
        pytest.skip("needs PostgreSQL: set COP_TEST_DATABASE_URL")
    if shutil.which("pg_ctlcluster") is None or os.geteuid() != 0:
        pytest.skip("needs root and pg_ctlcluster to stop and start the local PostgreSQL")
    name = f"cop_restart_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL, pool_pre_ping=True)  # survives the restart below
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{name}"
    engine = db.get_engine(url)
    schema.upgrade(engine)
    load_demo(engine)
    db.dispose_engines()
    server = start_server(
        tmp_path,
        {"COP_DATABASE_URL": url, "COP_COOKIE_KEY": secrets.token_urlsafe(48), "COP_DEMO": "0"},
    )
    yield server
    stop_server(server)
    if (
        subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True
        ).returncode
        != 0
    ):
        _cluster("start")  # the test starts it again itself unless it failed half-way
    _wait_ready(True)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
    admin.dispose()


def test_stopped_database_shows_a_clear_message_then_recovers_without_restart(
    pg_server, page
) -> None:
    sign_in(page, pg_server.url, "facilitator", DEMO_PASSWORD)
    nav = page.get_by_test_id("stSidebarNav")
    try:
        _cluster("stop")
        _wait_ready(False)
        status, found = _health(pg_server.url)
        assert status == 503 and found["status"] == "unavailable", found
        assert found["reason"].startswith("database unreachable")
        nav.get_by_text("Search", exact=True).click()
        wait_idle(page)
        expect(page.get_by_text("The database is unavailable right now")).to_be_visible(
            timeout=30_000
        )
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "Traceback" not in page.inner_text("body")
    finally:
        _cluster("start")
        _wait_ready(True)
    status, found = _health(pg_server.url)
    assert status == 200 and found["status"] == "ok", found
    page.reload()  # the same server process, which was never restarted
    wait_idle(page)
    expect(page.get_by_text("Welcome, Hannah Clarke")).to_be_visible(timeout=30_000)
