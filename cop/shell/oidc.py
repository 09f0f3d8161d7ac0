"""Signing in with the organisation's account: Streamlit's ``st.login`` (Authlib) and our rules.

Streamlit runs the redirect flow and keeps the provider's claims in its own signed
identity cookie (``st.user``); this module turns them into our session:

1. The sign-in page's button goes to ``/signin/oidc`` (a route of serve.py), which
   keeps the page asked for (``?id=`` deep links) in a short-lived cookie and sends the
   browser on to Streamlit's ``/auth/login``, then to the provider.
2. Back from the provider, the gate finds ``st.user`` signed in and asks
   ``cop.accounts.oidc`` which account the identity signs in to (linking it at the
   first sign-in) or why not; the refusal is shown on the sign-in page.
3. A signed-in identity becomes the same session state a password sign-in leaves,
   with the provider's ``auth_time`` as the sign-in time: ``current_actor`` then applies
   every rule (sessions ended since, deactivation, roles re-read on the next rerun).
4. Sign-out ends our sessions and calls ``st.logout``: Streamlit clears its cookie and
   sends the browser to the provider's ``end_session_endpoint`` when it has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import streamlit as st
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from cop.accounts import oidc
from cop.core import settings
from cop.core.db import write_session
from cop.core.errors import DatabaseUnavailable
from cop.shell.navigation import PAGES

START_PATH = "signin/oidc"
NEXT_COOKIE = "cop_oidc_next"
NEXT_KEY = "cop_oidc_next"
VIA_OIDC = "cop_via_oidc"
REFUSED = "cop_oidc_refused"


def _auth_section() -> Mapping[str, Any]:
    """Streamlit's ``[auth]`` settings (secrets.toml, or the environment's through st.App)."""
    try:
        section = st.secrets.get("auth")
    except Exception:  # noqa: BLE001 - no secrets at all, or unreadable ones: no provider
        return {}
    return section if isinstance(section, Mapping) else {}


def provider() -> str | None:
    """The provider ``st.login`` uses: ``default`` (settings directly under ``[auth]``),
    else the first ``[auth.<name>]`` section; None when none is configured."""
    section = _auth_section()
    if not section or not section.get("redirect_uri") or not section.get("cookie_secret"):
        return None
    if section.get("client_id") and section.get("server_metadata_url"):
        return "default"
    for name, value in section.items():
        if isinstance(value, Mapping) and value.get("client_id") and "_" not in name:
            return str(name)
    return None


def label() -> str:
    """The provider's name on the button: ``COP_OIDC_LABEL``, else the section's name."""
    named = settings.oidc_label()
    if named:
        return named
    name = provider()
    return name.capitalize() if name and name != "default" else ""


def _base_path() -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


# --- the deep link across the redirect --------------------------------------------------------


def safe_next(value: str | None) -> str:
    """A page of ours and its record id (``actions?id=12``), or "" for anything else."""
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return ""
    page = parts.path.strip("/").rsplit("/", 1)[-1]
    if page not in PAGES:
        return ""
    record = dict(parse_qsl(parts.query)).get("id", "")
    if record and not (record.isdigit() and len(record) <= 12):
        record = ""
    return f"{page}?{urlencode({'id': record})}" if record else page


def _asked_for() -> str:
    """The page and record this browser asked for before signing in."""
    url = getattr(st.context, "url", "") or ""
    path = urlsplit(url).path
    base = _base_path()
    if base and path.startswith(base):
        path = path[len(base) :]
    record = st.query_params.get("id")
    return safe_next(f"{path}?{urlencode({'id': record})}" if record else path)


def start(request: Request) -> Response:
    """``GET /signin/oidc?next=...``: keep the page asked for, then Streamlit's login redirect."""
    from streamlit.user_info import generate_login_redirect_url

    name = provider()
    if name is None:
        return PlainTextResponse("No identity provider is configured.", status_code=404)
    response = RedirectResponse(generate_login_redirect_url(name), status_code=302)
    target = safe_next(request.query_params.get("next"))
    if target:
        response.set_cookie(
            NEXT_COOKIE,
            target,
            max_age=600,
            httponly=True,
            samesite="lax",
            path=_base_path() or "/",
        )
    return response


def oidc_routes() -> list[BaseRoute]:
    return [Route(f"/{START_PATH}", start, methods=["GET"])]


def go_to_provider() -> None:
    """The button's action: the browser goes to ``/signin/oidc`` (as ``st.login`` sends it to /auth/login).

    When this browser's identity was refused as signed out (authenticated at the provider
    before a sign-out or deactivation here), its provider session is ended first
    (``st.logout``): a provider that still had it would hand back the same old
    ``auth_time`` and the refusal would repeat; the next click then signs in afresh.
    """
    refused = st.session_state.get(REFUSED)
    if refused and refused[2]:
        st.session_state.pop(REFUSED, None)
        st.logout()
        return
    target = _asked_for()
    url = f"{_base_path()}/{START_PATH}"
    if target:
        url += "?" + urlencode({"next": target})
    ctx = get_script_run_ctx()
    if ctx is not None:
        message = ForwardMsg()
        message.auth_redirect.url = url
        ctx.enqueue(message)


def open_asked_page() -> None:
    """After a sign-in through the provider, open the page the browser asked for (once)."""
    target = st.session_state.pop(NEXT_KEY, None)
    if not target:
        return
    parts = urlsplit(target)
    spec = PAGES.get(parts.path)
    if spec is None:
        return
    params = dict(parse_qsl(parts.query))
    st.switch_page(spec.file, query_params=params or None)


# --- the identity in st.user becomes our session ------------------------------------------------


def _claims() -> dict[str, Any] | None:
    try:
        user = st.user
        if not user.get("is_logged_in"):
            return None
        return dict(user)
    except Exception:  # noqa: BLE001 - no auth configured: st.user is empty
        return None


def sign_in_from_identity() -> bool:
    """Sign this session in from the provider's identity, if there is one and it may.

    A refusal is kept (with the identity it was for) so the sign-in page can say why,
    and the same identity is not asked again on every rerun.
    """
    if provider() is None:
        return False
    claims = _claims()
    if claims is None:
        return False
    identity = oidc.identity_from_claims(claims)
    if identity is None:
        st.session_state[REFUSED] = ("", oidc.NOT_VERIFIED, False)
        return False
    seen = (identity.issuer, identity.subject, identity.authenticated_at.isoformat())
    refused = st.session_state.get(REFUSED)
    if refused and refused[0] == seen:
        return False
    try:
        with write_session() as session:
            signed_in = oidc.sign_in_with_identity(session, identity)
            username = signed_in.user.username
    except oidc.SignInRefused as refusal:
        st.session_state[REFUSED] = (seen, refusal.message, refusal.signed_out)
        return False
    except DatabaseUnavailable:
        return False
    st.session_state.pop(REFUSED, None)
    st.session_state.update(
        {
            "authentication_status": True,
            "username": username,
            "name": identity.name or username,
            "logout": None,
            "cop_signed_in_at": identity.authenticated_at.isoformat(),
            VIA_OIDC: True,
        }
    )
    # The page asked for before this sign-in at the provider; a reload later (the same
    # identity, not fresh) stays where it is even while the cookie lasts.
    cookies = st.context.cookies
    target = safe_next(cookies.get(NEXT_COOKIE) if cookies and signed_in.fresh else None)
    if target:
        st.session_state[NEXT_KEY] = target
    return True


def refusal() -> Any:
    """Why the provider's identity was refused in this session (a Message or msgid), or None."""
    refused = st.session_state.get(REFUSED)
    return refused[1] if refused else None


def end_provider_session() -> None:
    """Sign-out of a session that came through the provider: Streamlit's cookie and the provider's session."""
    if st.session_state.pop(VIA_OIDC, False) and provider() is not None:
        st.logout()
