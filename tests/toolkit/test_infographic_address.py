"""The draft's infographic travels by address (issue 24): inline, its 133 kB ``data:`` address
came with every run of the Toolkit page and the browser drew it anew each time."""

from __future__ import annotations

import hashlib
import re

from starlette.applications import Starlette
from starlette.testclient import TestClient

from cop.toolkit.web import ROUTES, infographic_address

IMG = re.compile(
    r'<img class="cop-infographic" src="(infographics/[0-9a-f]{32}\.svg)" alt="([^"]+)"'
)


def _client() -> TestClient:
    return TestClient(Starlette(routes=ROUTES))


def test_the_draft_shows_its_infographic_by_address_and_the_address_serves_it(run_page) -> None:
    at = run_page("toolkit", "member")
    assert not at.exception, at.exception
    assert not [e for e in at.get("image")], "no drawing inside the run"
    found = [IMG.search(m.value) for m in at.markdown if IMG.search(m.value)]
    assert len(found) == 1
    address, alt = found[0].groups()
    assert "Key results" in alt or "key results" in alt  # the text alternative, as before
    answer = _client().get("/" + address)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")
    assert answer.content.startswith(b"<svg") and b"<title" in answer.content
    assert "immutable" in answer.headers["cache-control"]
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    again = run_page("toolkit", "member")
    assert [IMG.search(m.value).group(1) for m in again.markdown if IMG.search(m.value)] == [
        address
    ], "the same figures keep their address, so the browser keeps the file"


def test_an_address_cannot_be_made_up_from_the_figures() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>Key results</title></svg>'
    address = infographic_address(svg)
    plain_hash = hashlib.sha256(svg.encode()).hexdigest()[:32]
    assert plain_hash not in address
    assert _client().get(f"/infographics/{plain_hash}.svg").status_code == 404
    assert _client().get("/" + address).content == svg.encode()
