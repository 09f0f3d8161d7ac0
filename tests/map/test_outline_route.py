"""The outline's route: the shipped file byte for byte, kept by the browser, and a 304 when it
asks again with the version it has; the page's address for it changes when the file does."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.testclient import TestClient

from cop.map.chart import OUTLINE
from cop.map.web import ROUTES, outline_address


def test_the_outline_is_served_as_shipped_and_kept_by_the_browser() -> None:
    client = TestClient(Starlette(routes=ROUTES))
    answer = client.get("/" + outline_address())
    assert answer.status_code == 200
    assert answer.content == OUTLINE.read_bytes()
    assert answer.headers["content-type"] == "application/json"
    assert "immutable" in answer.headers["cache-control"]
    again = client.get("/outlines/europe.json", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_the_outlines_address_names_its_content() -> None:
    version = outline_address().partition("?v=")[2]
    assert len(version) == 16
    other = TestClient(Starlette(routes=ROUTES)).get(
        "/outlines/europe.json", headers={"If-None-Match": '"0000000000000000"'}
    )
    assert other.status_code == 200 and other.headers["etag"] == f'"{version}"'
