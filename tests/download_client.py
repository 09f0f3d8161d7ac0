"""Fetching a download link in the test process: the app's download route without a server.

``fetch(path)`` sends one GET through the routes serve.py mounts (cop.web.routes) as a
bare Starlette app, over ASGI directly (no HTTP client needed); ``page_download(at,
label)`` follows the link an AppTest page drew under that label.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from streamlit.testing.v1 import AppTest

from cop.web.routes import download_routes


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(path: str, accept_language: str = "en-GB") -> Fetched:
    """GET ``path`` from the download routes; the status, the headers (lower-case) and the body."""
    app = Starlette(routes=download_routes())
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"accept-language", accept_language.encode())],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # A thread of its own: once a browser test ran, Playwright's sync API keeps an event
    # loop running in this thread, where asyncio.run() refuses to start another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return Fetched(start["status"], headers, body)


def links(at: AppTest) -> dict[str, str]:
    """Every link button the page drew: its label as shown (Markdown escapes read) and its address."""
    return {
        re.sub(r"\\(.)", r"\1", element.proto.label): element.proto.url
        for element in at.get("link_button")
    }


def page_download(at: AppTest, label: str) -> Fetched:
    """Follow the link button labelled ``label`` on the page, as the browser would."""
    drawn = links(at)
    assert label in drawn, f"no link {label!r} among {sorted(drawn)}"
    return fetch(drawn[label])
