"""The download route the app serves beside its pages (``serve.py`` mounts it on st.App).

``GET /download/<token>``: the token (cop.web.tokens) names the account, the kind of
file and its parameters. The handler checks the signature and the time, re-reads the
account as the gate does, builds the file with the kind's service (cop.web.downloads)
and answers it as an attachment under its real name. Anything else gets a short
plain-text answer in the reader's language: 404 for a link not made here, 403 for an
expired one or an account that may no longer download, the service's own refusal
otherwise. Handlers are plain functions: Starlette runs them on its worker threads,
where the database calls may block.
"""

from __future__ import annotations

import unicodedata
from functools import partial
from urllib.parse import quote

from babel.numbers import get_decimal_symbol, get_group_symbol
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

import cop.registry  # noqa: F401  (every table, as at every entry point)
from cop.core.errors import (
    CopError,
    DatabaseUnavailable,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from cop.core.i18n import N_, best_language, format_day, translator
from cop.core.messages import localize
from cop.export.limiter import ExportBusy
from cop.web import downloads, tokens

PATH = "download"

NOT_A_LINK = N_("This download link is not valid. Go back to the workspace and download again.")
EXPIRED = N_(
    "This download link has expired. Go back to the workspace and click the download again."
)
SIGNED_OUT = N_("This download link no longer works: sign in to the workspace again.")
UNAVAILABLE = N_("The database is unavailable right now; please try again shortly.")

# Never kept by a browser or a proxy, never guessed into another type, never told where it came from.
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def download_path(token: str, base_url_path: str = "") -> str:
    """The link to a token's file, from the server's root (below Streamlit's base path)."""
    return "/" + "/".join(part for part in (base_url_path.strip("/"), PATH, token) if part)


def download_routes(base_url_path: str = "") -> list[BaseRoute]:
    """The route to mount on st.App; ``base_url_path`` is Streamlit's server.baseUrlPath."""
    return [Route(download_path("{token}", base_url_path), download, methods=["GET"])]


def attachment(name: str) -> str:
    """``Content-Disposition`` for a file of that name: an ASCII fallback, then the name in UTF-8."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = "".join(c if c.isalnum() or c in "-_." else "_" for c in fallback) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _text(
    status: int, messages: list[str] | str, language: str, **headers: str
) -> PlainTextResponse:
    """A short answer in the reader's language: each message translated, one a line."""
    marks = (get_group_symbol(language), get_decimal_symbol(language))
    dates = partial(format_day, language=language)
    lines = [messages] if isinstance(messages, str) else messages
    text = "".join(localize(m, translator(language), marks, dates) + "\n" for m in lines)
    return PlainTextResponse(text, status_code=status, headers={**HEADERS, **headers})


def download(request: Request) -> Response:
    """Answer the file a download token names, or say in a sentence why not."""
    language = best_language(request.headers.get("accept-language"))
    try:
        claims = tokens.read_token(str(request.path_params.get("token", "")))
    except tokens.TokenExpired:
        return _text(403, EXPIRED, language)
    except tokens.TokenInvalid:
        return _text(404, NOT_A_LINK, language)
    build = downloads.KINDS.get(claims.kind)
    if build is None:
        return _text(404, NOT_A_LINK, language)
    try:
        actor = downloads.actor_for(claims.account_id, claims.issued_at)
        if actor is None:
            return _text(403, SIGNED_OUT, language)
        language = actor.language or language
        file = build(actor, claims.params)
    except ValidationError as exc:
        return _text(400, list(exc.fields.values()), language)
    except PermissionDenied as exc:
        return _text(403, _message(exc), language)
    except NotFound as exc:
        return _text(404, _message(exc), language)
    except ExportBusy as exc:
        return _text(503, _message(exc), language, **{"Retry-After": "60"})
    except DatabaseUnavailable:
        return _text(503, UNAVAILABLE, language, **{"Retry-After": "30"})
    headers = {**HEADERS, "Content-Disposition": attachment(file.name)}
    return Response(file.data, media_type=file.mime, headers=headers)


def _message(error: CopError) -> str:
    return error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
