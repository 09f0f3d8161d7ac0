"""``/feeds/<token>.ics``: the private calendar feed, polled by calendar programs without a sign-in.

The token in the address is the only credential, so an unknown or replaced one and a
deactivated account answer the same 404. ETag and Last-Modified let a program that
polls every hour get a 304 while nothing changed. A plain ``def`` handler: Starlette
runs it in a thread, away from the event loop the app's sessions use.

Building the feed of a few hundred workshops takes seconds of CPU (icalendar writes
every line), so each process keeps the last ``CACHED_FEEDS`` feeds it built, keyed by
the workspace's ``data_version`` (every write moves it on, in every replica: a change,
a revoked address or a lost membership is seen on the next poll) and by the day (the
window of cancelled workshops moves on). A poll between two writes, the 304 included,
costs a dictionary look-up.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from email.utils import format_datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cop.calendars.feed import Feed, feed_for_token
from cop.core import clock
from cop.core.db import current_data_version, read_session

CACHED_FEEDS = 32  # a feed of 500 workshops is about 250 kB

_cache: OrderedDict[tuple[str, str, int, str], Feed] = OrderedDict()
_cache_lock = threading.Lock()


def cached_feed(token: str, app_url: str) -> Feed | None:
    """The feed as ``feed_for_token`` builds it, from this process's cache while nothing changed."""
    key = (token, app_url, current_data_version(), clock.today().isoformat())
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    with read_session() as session:
        feed = feed_for_token(session, token, app_url)
    if feed is not None:
        with _cache_lock:
            _cache[key] = feed
            while len(_cache) > CACHED_FEEDS:
                _cache.popitem(last=False)
    return feed


def calendar_feed(request: Request) -> Response:
    token = request.path_params["token"]
    app_url = str(request.base_url).rstrip("/")
    feed = cached_feed(token, app_url)
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
