"""``/outlines/europe.json``: the map's outline of Europe as a file the browser keeps.

Inline in the chart's spec, the 180 kB TopoJSON travelled with every run of the map page
and Streamlit parsed and re-serialised it three times per run: two thirds of the page's
server time (issue 24). Served here, the spec names it by address with its content hash
in the query, so the answer may be kept for a year and a new outline gets a new address.
Shipped with the app: no request leaves the host. A plain ``def`` handler, as the others.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cop.map.chart import OUTLINE

PATH = "outlines/europe.json"


@lru_cache(maxsize=1)
def _outline() -> tuple[bytes, str]:
    """The file's bytes and a short hash of them, read once per process."""
    body = OUTLINE.read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:16]


def outline_address() -> str:
    """The outline's address relative to the page (so it stays below Streamlit's base path)."""
    return f"{PATH}?v={_outline()[1]}"


def outline_file(request: Request) -> Response:
    body, version = _outline()
    headers = {"ETag": f'"{version}"', "Cache-Control": "public, max-age=31536000, immutable"}
    if request.headers.get("if-none-match", "").strip() == f'"{version}"':
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


ROUTES = [Route(f"/{PATH}", outline_file, methods=["GET"])]
