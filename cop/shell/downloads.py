"""One-click downloads: a link to the app's own download route, drawn as a button.

The page signs a short-lived token naming the person, the kind of file and its
parameters (cop.web.tokens) and draws ``st.link_button`` to ``/download/<token>``;
the click fetches the file from the route served beside the pages (``serve.py``,
cop.web.routes), which builds it with the same service the page would call and
answers it as an attachment. No "Prepare" step, nothing held in the session, and
the browser's own download manager shows the progress.

A link lives ``tokens.LIFETIME`` (ten minutes); each one is drawn in a fragment that
redraws itself well before that, so a page left open still offers a working link.
Use it for files built in about a second; slower ones (a chapter or the whole toolkit
as PDF) keep their progress panel.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import streamlit as st

from cop.core.permissions import Actor
from cop.web import downloads, routes, tokens

# Redrawn this often, so a link drawn on a page left open is never older than this.
REFRESH = timedelta(minutes=4)


def download_url(actor: Actor, kind: str, params: dict[str, Any] | None = None) -> str:
    """The link (from the server's root) to the file ``kind`` built with ``params`` for ``actor``."""
    if kind not in downloads.KINDS:
        raise ValueError(f"no download of the kind {kind!r}")
    token = tokens.make_token(actor.user_id, kind, params)
    return routes.download_path(token, str(st.get_option("server.baseUrlPath") or ""))


@st.fragment(run_every=REFRESH)
def download_link(
    actor: Actor,
    label: str,
    kind: str,
    params: dict[str, Any] | None = None,
    *,
    icon: str = ":material/download:",
    help: str | None = None,
) -> None:
    """A button that downloads the file on one click.

    ``label`` is read as Markdown, as every Streamlit label: user text in it goes
    through ``cop.shell.text.plain`` first.
    """
    st.link_button(label, download_url(actor, kind, params), icon=icon, help=help)
