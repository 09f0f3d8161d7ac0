"""The capacity benchmark's protocol client against a real server (benchmarks/protocol/).

The capacity figure is only as honest as its simulated people: these tests
show that a person driven over Streamlit's WebSocket protocol signs in with
the cookie, sees the pages' real text, posts an update that is stored exactly
once and downloads the chapter, that a step fails when the page does not show
what it should, and that Locust runs the journey with no failed step.
"""

from __future__ import annotations

import csv
import os
import secrets
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import jwt
import pytest

from benchmarks.protocol import journey, locust_command
from benchmarks.protocol.client import ProtocolError
from tests.browser.conftest import Server, stop_server
from tests.browser.journeys import create_accounts, demo_server

ROOT = Path(__file__).resolve().parents[2]
KEY = secrets.token_urlsafe(32)
USERS = ["proto.01", "proto.02"]


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    import cop.registry  # noqa: F401
    from cop.accounts import service as accounts
    from cop.actions import service as actions
    from cop.communities import service as communities
    from cop.core import clock, db
    from cop.core.permissions import SYSTEM
    from tests.browser.journeys import copy_demo

    data_dir = tmp_path_factory.mktemp("protocol")
    copy_demo(data_dir)
    url = f"sqlite:///{data_dir / 'cop.db'}"
    create_accounts(url, USERS, "protocol passphrase 2026")
    with db.write_session(db.get_engine(url)) as session:
        community = communities.get_by_slug(session, SYSTEM, "welcoming-culture")
        for username in USERS:
            person_id = accounts.find_user(session, username).person_id  # type: ignore[union-attr]
            actions.create_action(
                session,
                SYSTEM,
                community_id=community.id,  # type: ignore[arg-type]
                title=f"Load action {username}",
                owner_person_id=person_id,
                due_date=clock.today() + timedelta(days=7),
            )
    db.dispose_engines()
    server = demo_server(data_dir, extra_env={"COP_COOKIE_KEY": KEY}, fresh=False)
    yield server
    stop_server(server)


def _cookie(username: str, key: str = KEY) -> dict[str, str]:
    """The sign-in cookie as the app writes it (cop.shell.session.new_cookie), signed with ``key``."""
    from datetime import UTC, datetime

    from cop.core import settings

    expires = datetime.now(UTC) + timedelta(days=settings.COOKIE_EXPIRY_DAYS)
    token = jwt.encode({"username": username, "exp_date": expires.timestamp()}, key, "HS256")
    return {settings.COOKIE_NAME: token}


def _person(server: Server, username: str, key: str = KEY) -> journey.Person:
    return journey.Person(server.url, username, f"Test person {username}", _cookie(username, key))


def _stored(server: Server, marker: str) -> int:
    with closing(sqlite3.connect(server.data_dir / "cop.db")) as connection:
        return connection.execute(
            "SELECT COUNT(*) FROM action_update WHERE text LIKE ?", (f"{marker}:%",)
        ).fetchone()[0]


def test_a_person_over_the_protocol_walks_the_journey_and_their_update_is_stored_once(
    running: Server,
) -> None:
    person = _person(running, USERS[0])
    try:
        home = journey.sign_in(person)
        assert home.contains("My actions due")
        listed = journey.workshop_list(person)
        assert any(element.kind == "dataframe" for element in listed.elements)
        opened = journey.open_workshop(person)
        assert opened.contains("Back to the list")
        marker = f"proto-{secrets.token_hex(4)}"
        posted = journey.post_update(person, marker)
        assert posted.contains(marker)
        assert _stored(running, marker) == 1
        assert journey.export_chapter(person) > 0
    finally:
        person.close()


def test_a_returning_persons_new_tab_opens_signed_in_in_one_run(running: Server) -> None:
    """The cookie signs a new tab in before anything is drawn: no sign-in page first and no
    second run (through the form it cost both, a fifth of the sign-in's server time)."""
    person = _person(running, USERS[1])
    try:
        run = journey.sign_in(person)
        assert run.reruns == 0
        assert not [e for e in run.elements if e.kind == "text_input"]  # no username box
    finally:
        person.close()


def test_a_cookie_signed_with_another_key_gets_the_sign_in_page_and_the_step_fails(
    running: Server,
) -> None:
    person = _person(running, USERS[0], key=secrets.token_urlsafe(32))
    try:
        with pytest.raises(ProtocolError, match="Welcome"):
            journey.sign_in(person)
    finally:
        person.close()


def test_locust_runs_the_journey_over_the_protocol_with_no_failed_step(
    running: Server, tmp_path: Path
) -> None:
    import json

    people = tmp_path / "people.json"
    people.write_text(
        json.dumps(
            {
                "url": running.url,
                "run_id": "test",
                "people": [
                    {"username": u, "name": f"Test person {u}", "cookies": _cookie(u)}
                    for u in USERS
                ],
            }
        )
    )
    prefix = tmp_path / "run"
    subprocess.run(
        locust_command(2, 2, 25, prefix),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COP_LOAD_PEOPLE": str(people)},
        check=False,
        stdout=subprocess.DEVNULL,
        timeout=120,
    )
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    # The first person starts at "sign in"; the second arrives mid-journey (its tab opened,
    # not reported) and walks on from the workshop list, so every step is walked at any moment.
    assert int(rows["sign_in"]["Request Count"]) == 1
    assert int(rows["Aggregated"]["Failure Count"]) == 0, Path(f"{prefix}_failures.csv").read_text()
    assert int(rows["workshop_list"]["Request Count"]) == 2
