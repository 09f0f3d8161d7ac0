"""The download route (cop.web.routes) and its tokens (cop.web.tokens), on the demo workspace.

A token is signed and short-lived; the route re-reads the account as the gate does and
builds the file through the page's own service, which checks the permissions.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import timedelta

import jwt
import pytest
from sqlmodel import select

from cop.accounts import admin
from cop.accounts import service as accounts
from cop.communities.models import Community
from cop.core import clock, settings
from cop.core.db import read_session, write_session
from cop.core.permissions import Actor
from cop.web import routes, tokens
from tests.download_client import fetch


def _actor(username: str) -> Actor:
    with read_session() as session:
        actor = accounts.load_actor(session, username=username)
    assert actor is not None
    return actor


def _community(slug: str) -> int:
    with read_session() as session:
        return session.exec(select(Community.id).where(Community.slug == slug)).one()  # type: ignore[return-value]


def _link(actor: Actor, kind: str, params: dict | None = None, **kwargs) -> str:
    return routes.download_path(tokens.make_token(actor.user_id, kind, params, **kwargs))


def test_a_token_says_who_asked_for_which_file_until_it_expires(demo_db) -> None:
    facilitator = _actor("facilitator")
    token = tokens.make_token(facilitator.user_id, "workshops.csv", {"kind": "workshop"})
    claims = tokens.read_token(token)
    assert (claims.account_id, claims.kind, claims.params) == (
        facilitator.user_id,
        "workshops.csv",
        {"kind": "workshop"},
    )
    later = clock.now() + tokens.LIFETIME
    with pytest.raises(tokens.TokenExpired):
        tokens.read_token(token, now=later)
    assert tokens.read_token(token, now=later - timedelta(seconds=1)).kind == "workshops.csv"


def test_a_valid_link_answers_the_filtered_list_as_a_csv_attachment(demo_db) -> None:
    facilitator = _actor("facilitator")
    community = _community("welcoming-culture")
    answer = fetch(_link(facilitator, "workshops.csv", {"community_id": community}))
    assert answer.status == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        "attachment; filename=\"workshops.csv\"; filename*=UTF-8''workshops.csv"
    )
    assert answer.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(answer.body.decode("utf-8-sig"))))
    titles = {r["title"] for r in rows}
    assert "Study visit to Düsseldorf: welcome points in the neighbourhood" in titles
    assert {r["community"] for r in rows} == {"Community building and welcoming culture"}


def test_an_expired_link_is_refused_in_a_sentence(demo_db) -> None:
    facilitator = _actor("facilitator")
    old = clock.now() - tokens.LIFETIME - timedelta(seconds=1)
    answer = fetch(_link(facilitator, "workshops.csv", now=old))
    assert answer.status == 403
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.text.startswith("This download link has expired.")
    german = fetch(_link(facilitator, "workshops.csv", now=old), accept_language="de-AT,de")
    assert german.text.startswith("Dieser Download-Link ist abgelaufen."), german.text


def test_a_changed_or_foreign_token_is_not_a_link(demo_db) -> None:
    facilitator, member = _actor("facilitator"), _actor("member")
    token = tokens.make_token(member.user_id, "my-data.json")
    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["sub"] = str(facilitator.user_id)  # someone else's data under the member's signature
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    # Signed with the cookie key itself, or a sign-in cookie: neither is a download link.
    raw_key = jwt.encode(
        {**claims, "sub": str(member.user_id)}, settings.cookie_key(), algorithm="HS256"
    )
    cookie = jwt.encode(
        {"username": "member", "exp_date": (clock.now() + timedelta(days=1)).timestamp()},
        settings.cookie_key(),
        algorithm="HS256",
    )
    for bad in (f"{head}.{forged}.{signature}", raw_key, cookie, "garbage", token[:-4]):
        answer = fetch(routes.download_path(bad))
        assert answer.status == 404, (bad, answer.status)
        assert answer.text.startswith("This download link is not valid."), answer.text
        assert "content-disposition" not in answer.headers
    assert fetch(routes.download_path(token)).status == 200


def test_a_link_of_an_unknown_kind_is_not_a_link(demo_db) -> None:
    answer = fetch(_link(_actor("admin"), "database.sqlite"))
    assert answer.status == 404


def test_a_link_stops_working_when_the_account_is_deactivated_or_signed_out(demo_db) -> None:
    """Another person who got hold of the link cannot replay it once the account is gone."""
    member, admin_actor = _actor("member"), _actor("admin")
    link = _link(member, "my-data.json")
    answer = fetch(link)
    assert answer.status == 200 and json.loads(answer.body)["account"]["username"] == "member"

    with write_session() as session:
        accounts.end_sessions(session, member.user_id)  # sign-out everywhere
    answer = fetch(link)
    assert answer.status == 403
    assert answer.text == "This download link no longer works: sign in to the workspace again.\n"
    fresh = _link(member, "my-data.json")  # a page drawn after signing in again
    assert fetch(fresh).status == 200

    with write_session() as session:
        admin.deactivate_user(session, admin_actor, member.user_id)
    for replayed in (link, fresh):
        answer = fetch(replayed)
        assert answer.status == 403 and b"Lena" not in answer.body


def test_the_service_still_decides_who_may_have_the_file(demo_db) -> None:
    """A member's link to a community's actions they may not export: the service refuses."""
    member = _actor("member")
    for slug, status in (("volunteering-with-refugees", 403), ("young-migrants", 404)):
        answer = fetch(_link(member, "actions.csv", {"community_id": _community(slug)}))
        assert answer.status == status, (slug, answer.status, answer.text)
        assert answer.headers["content-type"].startswith("text/plain")
        assert "content-disposition" not in answer.headers
    own = fetch(_link(member, "actions.csv", {"community_id": _community("welcoming-culture")}))
    assert own.status == 200
    assert own.headers["content-disposition"].startswith('attachment; filename="actions-')


def test_a_bad_filter_in_a_link_is_answered_with_the_services_message(demo_db) -> None:
    answer = fetch(_link(_actor("facilitator"), "workshops.csv", {"kind": "party"}))
    assert answer.status == 400
    assert answer.text.startswith("The kind"), answer.text


def test_a_file_name_with_other_letters_travels_in_utf8() -> None:
    header = routes.attachment("Planung für Düsseldorf – 2027.md")
    assert header == (
        'attachment; filename="Planung_fur_Dusseldorf__2027.md"; '
        "filename*=UTF-8''Planung%20f%C3%BCr%20D%C3%BCsseldorf%20%E2%80%93%202027.md"
    )
    assert routes.attachment('a"b\\c.csv').startswith('attachment; filename="a_b_c.csv"')
