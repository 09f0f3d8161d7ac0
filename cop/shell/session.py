"""Who is signed in: the session's sign-in time, the actor re-read from the database, the cookie, sign-out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import extra_streamlit_components as stx
import jwt
import streamlit as st

from cop.accounts import service as accounts
from cop.core import settings
from cop.core.db import read_session, write_session
from cop.core.i18n import N_, best_language, translator
from cop.core.permissions import Actor
from cop.shell.cache import data_version
from cop.shell.session_keys import AUTH_KEYS, COOKIE_PENDING, COOKIE_WRITER


def browser_translator():  # noqa: ANN202
    locale = getattr(st.context, "locale", None)
    return translator(best_language(locale))


def _cookie_issued_at() -> datetime | None:
    token = st.context.cookies.get(settings.COOKIE_NAME) if st.context.cookies else None
    if not token:
        return None
    try:
        payload = jwt.decode(token, settings.cookie_key(), algorithms=["HS256"])
        expires = datetime.fromtimestamp(float(payload["exp_date"]), UTC)
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        return None
    return expires - timedelta(days=settings.COOKIE_EXPIRY_DAYS)


def _signed_in_at() -> datetime | None:
    stamp = st.session_state.get("cop_signed_in_at")
    if stamp:
        return datetime.fromisoformat(stamp)
    return _cookie_issued_at()


def clear_session(message: str | None = None) -> None:
    for key in AUTH_KEYS:
        st.session_state[key] = None
    for key in ("cop_signed_in_at", "cop_actor_cache", "cop_read_cache", COOKIE_PENDING):
        st.session_state.pop(key, None)
    st.session_state["logout"] = True  # the widget must not sign in again from the old cookie
    st.session_state["cop_delete_cookie"] = True
    if message:
        st.session_state["cop_signed_out_reason"] = message


def sign_out() -> None:
    """End this user's sessions everywhere (the cookie too), then show the sign-in."""
    username = st.session_state.get("username")
    if username:
        with write_session() as session:
            user = accounts.find_user(session, username)
            if user is not None:
                accounts.end_sessions(session, user.id)  # type: ignore[arg-type]
    clear_session()


def current_actor() -> Actor | None:
    """The signed-in actor re-read from the database, or None (then the session is cleared).

    The database is asked again whenever ``data_version`` moved since this
    session's last run; any write anywhere (a sign-out in another tab, a role
    change, a deactivation) moves it, so the checks below always see fresh data.
    """
    if not st.session_state.get("authentication_status"):
        return None
    username = st.session_state.get("username") or ""
    signed_in_at = _signed_in_at()
    version = data_version()
    cached = st.session_state.get("cop_actor_cache")
    if cached and cached[:3] == (version, username, signed_in_at):
        return cached[3]
    with read_session() as session:
        user = accounts.find_user(session, username)
        actor = accounts.load_actor(session, user.id) if user else None
        valid_after = user.sessions_valid_after if user else None
        must_change = bool(user and user.must_change_password)
    if actor is None:
        clear_session()
        return None
    if signed_in_at is None or (valid_after is not None and signed_in_at < valid_after):
        clear_session(N_("You were signed out. Please sign in again."))
        return None
    st.session_state["cop_must_change_password"] = must_change
    st.session_state["cop_actor_cache"] = (version, username, signed_in_at, actor)
    return actor


def new_cookie(username: str) -> tuple[str, datetime]:
    """The widget's own cookie format (a JWT of username and exp_date), made once per sign-in."""
    expires = datetime.now() + timedelta(days=settings.COOKIE_EXPIRY_DAYS)
    token = jwt.encode(
        {"username": username, "exp_date": expires.timestamp()},
        settings.cookie_key(),
        algorithm="HS256",
    )
    return token, expires


def write_cookie() -> None:
    """Draw the cookie writer on every run until the browser reports the cookie written.

    The writer is a component; drawn once, it can be removed by the next rerun
    (the sign-in page's own cookie component reporting late, a quick click)
    before its script ran, and the cookie is silently never set. Drawn with the
    same arguments until it answers, it is one and the same component.
    """
    pending = st.session_state.get(COOKIE_PENDING)
    if not pending:
        return
    if st.session_state.get(COOKIE_WRITER):
        st.session_state.pop(COOKIE_PENDING)
        return
    token, expires = pending
    with st.sidebar:
        stx.CookieManager().set(settings.COOKIE_NAME, token, key=COOKIE_WRITER, expires_at=expires)
