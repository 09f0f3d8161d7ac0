"""CoP Workspace as served: the Streamlit app (app.py) and the routes beside it.

Start it with ``streamlit run serve.py``: Streamlit finds the module-level ``app``
below (it must stay a literal ``st.App(...)`` assignment) and serves app.py's pages
through it, with these routes mounted alongside:

- ``/download/<token>``: one-click files (cop.web.routes);
- ``/published/``: the toolkit website, open to anyone (cop.publishing.web);
- ``/feeds/<token>.ics``: each person's private calendar feed (cop.calendars.web);
- ``/healthz``: for the reverse proxy and orchestrators (cop.web.health).

All of them sit below Streamlit's ``server.baseUrlPath`` when one is set. app.py
stays the page script (AppTest runs it).
"""

import streamlit as st
from starlette.routing import BaseRoute, Mount

from cop.calendars.web import ROUTES as FEED_ROUTES
from cop.publishing.web import ROUTES as PUBLISHED_ROUTES
from cop.shell.startup import prepare_database
from cop.web.health import health_routes
from cop.web.routes import download_routes


def _below(base_url_path: str, routes: list[BaseRoute]) -> list[BaseRoute]:
    """The routes as the server sees them: under the base path, if Streamlit has one."""
    base = base_url_path.strip("/")
    return [Mount(f"/{base}", routes=routes)] if base else routes


app = st.App(
    "app.py",
    routes=[
        *download_routes(st.get_option("server.baseUrlPath")),
        *_below(
            st.get_option("server.baseUrlPath"),
            [*PUBLISHED_ROUTES, *FEED_ROUTES, *health_routes(prepare_database)],
        ),
    ],
)
