"""CoP Workspace as served: the Streamlit app (app.py) and the routes beside it.

Start it with ``streamlit run serve.py``: Streamlit finds the module-level ``app``
below (it must stay a literal ``st.App(...)`` assignment) and serves app.py's pages
through it, with these routes mounted alongside:

- ``/download/<token>``: one-click files (cop.web.routes);
- ``/published/``: the toolkit website, open to anyone (cop.publishing.web);
- ``/feeds/<token>.ics``: each person's private calendar feed (cop.calendars.web);
- ``/outlines/europe.json``: the map's outline, kept by the browser (cop.map.web);
- ``/healthz``: for the reverse proxy and orchestrators (cop.web.health);
- ``/signin/oidc``: keeps the page asked for, then starts the sign-in with the
  organisation's identity provider (cop.shell.oidc); Streamlit's own ``/auth/login``,
  ``/auth/logout`` and ``/oauth2callback`` do the rest.

The provider's settings come from ``[auth]`` in ``.streamlit/secrets.toml`` or from the
environment (``COP_OIDC_*``, cop.core.settings.oidc_auth_section), handed over as secrets.

All of them sit below Streamlit's ``server.baseUrlPath`` when one is set. app.py
stays the page script (AppTest runs it). Every connection the server accepts sends without
waiting for acknowledgements (cop.shell.nodelay), and a page run hands its messages to the
event loop in batches (cop.shell.handover).
"""

import streamlit as st
from starlette.routing import BaseRoute, Mount

from cop.calendars.web import ROUTES as FEED_ROUTES
from cop.core.settings import oidc_auth_section
from cop.map.web import ROUTES as OUTLINE_ROUTES
from cop.publishing.web import ROUTES as PUBLISHED_ROUTES
from cop.shell.handover import hand_over_in_batches
from cop.shell.nodelay import send_at_once
from cop.shell.oidc import oidc_routes
from cop.shell.startup import prepare_database
from cop.toolkit.web import ROUTES as INFOGRAPHIC_ROUTES
from cop.web.health import health_routes
from cop.web.routes import download_routes


def _below(base_url_path: str, routes: list[BaseRoute]) -> list[BaseRoute]:
    """The routes as the server sees them: under the base path, if Streamlit has one."""
    base = base_url_path.strip("/")
    return [Mount(f"/{base}", routes=routes)] if base else routes


# Each run's messages leave at once, not after the browser's delayed acknowledgement (40 ms).
send_at_once()
# A run's messages reach the event loop in batches, not one wake-up each (cop.shell.handover).
hand_over_in_batches()

_AUTH = oidc_auth_section()

app = st.App(
    "app.py",
    secrets={"auth": _AUTH} if _AUTH else None,
    routes=[
        *download_routes(st.get_option("server.baseUrlPath")),
        *_below(
            st.get_option("server.baseUrlPath"),
            [
                *PUBLISHED_ROUTES,
                *FEED_ROUTES,
                *OUTLINE_ROUTES,
                *INFOGRAPHIC_ROUTES,
                *health_routes(prepare_database),
                *oidc_routes(),
            ],
        ),
    ],
)
