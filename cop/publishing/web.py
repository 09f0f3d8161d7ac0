"""``/published/``: the toolkit website, served by the running app to anyone, no sign-in.

Every replica reads the same site from the database (``PublishedSite``), so the
address works whichever replica the proxy picks. Handlers are plain ``def``:
Starlette runs them in a thread, away from the event loop the app's sessions use.
"""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from cop.core.db import read_session
from cop.core.i18n import translator
from cop.publishing.service import online_editions, site_archive, site_file

PREFIX = "/published"


def editions_index(request: Request) -> Response:
    """A plain list of the editions online, each linking to its site."""
    with read_session() as session:
        editions = online_editions(session)
    language = "de" if request.headers.get("accept-language", "").lower().startswith("de") else "en"
    _ = translator(language)
    items = "".join(
        f'<li lang="{html.escape(e.language)}"><a href="{PREFIX}/{e.toolkit_id}/index.html">'
        f"{html.escape(e.title)} {e.year}</a></li>"
        for e in editions
    )
    body = (
        items and f"<ul>{items}</ul>" or f"<p>{html.escape(_('No toolkit is published yet.'))}</p>"
    )
    title = html.escape(_("Published toolkits"))
    return HTMLResponse(
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
        f"</head><body><main><h1>{title}</h1>{body}</main></body></html>"
    )


def site_page(request: Request) -> Response:
    """One file of an edition's site; 404 with a short text when there is none."""
    toolkit_id = int(request.path_params["toolkit_id"])
    path = request.path_params.get("path", "")
    found = site_file(toolkit_id, path)
    if found is None:
        return Response("Not found.\n", status_code=404, media_type="text/plain; charset=utf-8")
    data, kind = found
    # A short cache: a new publication is seen within a minute, a reader's clicks stay fast.
    return Response(data, media_type=kind, headers={"Cache-Control": "public, max-age=60"})


def site_zip(request: Request) -> Response:
    """The site online now as a zip, for any static host or ``file://``."""
    toolkit_id = int(request.path_params["toolkit_id"])
    with read_session() as session:
        archive = site_archive(session, toolkit_id)
    if archive is None:
        return Response("Not found.\n", status_code=404, media_type="text/plain; charset=utf-8")
    return Response(
        archive,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="toolkit-{toolkit_id}-website.zip"'},
    )


def site_root(request: Request) -> Response:
    return RedirectResponse(f"{PREFIX}/{request.path_params['toolkit_id']}/index.html")


ROUTES = [
    Route(f"{PREFIX}/", editions_index, methods=["GET"]),
    Route(f"{PREFIX}/{{toolkit_id:int}}.zip", site_zip, methods=["GET"]),
    Route(f"{PREFIX}/{{toolkit_id:int}}", site_root, methods=["GET"]),
    Route(f"{PREFIX}/{{toolkit_id:int}}/{{path:path}}", site_page, methods=["GET"]),
]
