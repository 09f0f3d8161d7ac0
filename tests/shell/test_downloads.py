"""Download links as a page draws them (cop.shell.downloads): the route's path, a token for the
person, and a link that is redrawn long before it expires."""

from __future__ import annotations

import pytest
from streamlit import config

from cop.core.permissions import Actor
from cop.shell import downloads
from cop.web import tokens
from cop.web.routes import download_routes

MEMBER = Actor(user_id=7, username="member", name="Lena")


def test_a_link_drawn_on_a_page_left_open_still_has_most_of_its_life() -> None:
    assert downloads.REFRESH * 2 <= tokens.LIFETIME


def test_the_link_names_the_person_the_file_and_its_filters(demo_db) -> None:
    url = downloads.download_url(MEMBER, "workshops.csv", {"kind": "workshop"})
    assert url.startswith("/download/")
    claims = tokens.read_token(url.removeprefix("/download/"))
    assert (claims.account_id, claims.kind, claims.params) == (
        7,
        "workshops.csv",
        {"kind": "workshop"},
    )
    with pytest.raises(ValueError):
        downloads.download_url(MEMBER, "database.sqlite")


def test_links_and_the_route_follow_streamlits_base_path(demo_db) -> None:
    before = config.get_option("server.baseUrlPath")
    config.set_option("server.baseUrlPath", "/cop/")
    try:
        url = downloads.download_url(MEMBER, "my-data.json")
    finally:
        config.set_option("server.baseUrlPath", before)
    assert url.startswith("/cop/download/")
    (route,) = download_routes("/cop/")
    assert route.path == "/cop/download/{token}"  # type: ignore[attr-defined]
