"""``/healthz`` for the reverse proxy and orchestrators: 200 when this replica can serve.

503 with a short reason when the database is down or behind on migrations, so the
proxy sends people elsewhere instead of to an error page. Streamlit answers every
unknown path with its page (200), which is why a check must read the JSON, as the
example nginx configuration and the tests do.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import partial

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from cop.core.health import check


def healthz(request: Request, prepare: Callable[[], None]) -> JSONResponse:
    """Prepare the workspace as a first page run would, then check it.

    A fresh SQLite file is migrated by the first page run; a proxy asks before anyone
    has visited, so the check first does what that run would (once per process) and
    then reports. A failure to prepare is what the check itself then finds and says.
    """
    # Whatever stops the preparing (database down, schema behind) is what check() then
    # finds and reports, in a sentence without host names.
    with suppress(Exception):
        prepare()
    found = check()
    return JSONResponse(
        found.as_json(),
        status_code=200 if found.ok else 503,
        headers={"Cache-Control": "no-store"},
    )


def health_routes(prepare: Callable[[], None]) -> list[BaseRoute]:
    """``prepare`` readies the workspace as the app does at its first run (shell.startup)."""
    return [Route("/healthz", partial(healthz, prepare=prepare), methods=["GET"])]
