"""``/feeds/<token>.ics``: the private calendar feed, polled by calendar programs without a sign-in.

The token in the address is the only credential, so an unknown or replaced one and a
deactivated account answer the same 404. ETag and Last-Modified let a program that
polls every hour get a 304 while nothing changed. A plain ``def`` handler: Starlette
runs it in a thread, away from the event loop the app's sessions use.
"""

from __future__ import annotations

from email.utils import format_datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cop.calendars.feed import feed_for_token
from cop.core.db import read_session


def calendar_feed(request: Request) -> Response:
    token = request.path_params["token"]
    app_url = str(request.base_url).rstrip("/")
    with read_session() as session:
        feed = feed_for_token(session, token, app_url)
    if feed is None:
        return Response("Not found.\n", status_code=404, media_type="text/plain; charset=utf-8")
    headers = {
        "ETag": f'"{feed.etag}"',
        "Last-Modified": format_datetime(feed.last_modified, usegmt=True),
        "Cache-Control": "private, max-age=300",
    }
    if request.headers.get("if-none-match", "").strip() == f'"{feed.etag}"':
        return Response(status_code=304, headers=headers)
    return Response(feed.body, media_type="text/calendar; charset=utf-8", headers=headers)


ROUTES = [Route("/feeds/{token}.ics", calendar_feed, methods=["GET"])]
