"""``/infographics/<name>.svg``: a draft's key-results infographic as a file the browser keeps.

Shown with ``st.image``, the SVG travelled inside every run of the Toolkit page as a
133 kB ``data:`` address (Streamlit writes SVG only that way), which the browser decoded
and drew anew on each run: a toolkit click took 270 ms against 158 ms without it
(issue 24). Here the page draws the SVG once, files it under a name, and shows an
``<img>`` with that address: the run carries a line, and the browser fetches the file
once and keeps it.

The name is a keyed hash of the drawing (a secret of this server process), so the same
figures keep one address across runs and tabs, and nobody can make up the address of a
draft they were not shown. A draft's figures are for its community: the address is only
ever written into a page the gate let its reader see. The store keeps the ``KEPT`` most
recently drawn; a browser that still asks for an older one after a restart gets 404 and
the next run of the page files it again. Behind the example nginx a browser sticks to one
replica (deploy/nginx.conf), so it asks the server that drew it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PATH = "infographics"
KEPT = 64
_KEY = secrets.token_bytes(32)
_drawn: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


def infographic_address(svg: str) -> str:
    """File the drawing and return its address relative to the page (below Streamlit's base path)."""
    body = svg.encode("utf-8")
    name = hmac.new(_KEY, body, hashlib.sha256).hexdigest()[:32]
    with _lock:
        _drawn[name] = body
        _drawn.move_to_end(name)
        while len(_drawn) > KEPT:
            _drawn.popitem(last=False)
    return f"{PATH}/{name}.svg"


def infographic_file(request: Request) -> Response:
    name = str(request.path_params["name"])
    with _lock:
        body = _drawn.get(name)
    if body is None:
        return Response("Not found", status_code=404, media_type="text/plain")
    headers = {
        # The name changes with the drawing, so the file may be kept; only by this browser.
        "Cache-Control": "private, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
        # Opened on its own, the drawing may not run or fetch anything.
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    }
    return Response(body, media_type="image/svg+xml", headers=headers)


ROUTES = [Route(f"/{PATH}/{{name:str}}.svg", infographic_file, methods=["GET"])]
