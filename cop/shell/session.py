"""Who is signed in: the session's sign-in time, the actor re-read from the database, the cookie, sign-out."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import extra_streamlit_components as stx
import jwt
import streamlit as st
from sqlmodel import Session

from cop.accounts import service as accounts
from cop.core import clock, settings
from cop.core.db import write_session
from cop.core.i18n import N_, best_language, translator
from cop.core.permissions import Actor
from cop.shell.cache import kept_for_everyone, records_version
from cop.shell.oidc import VIA_OIDC, end_provider_session
from cop.shell.session_keys import AUTH_KEYS, COOKIE_PENDING, COOKIE_WRITER, DELETE_COOKIE


def browser_translator():  # noqa: ANN202
    locale = getattr(st.context, "locale", None)
    return translator(best_language(locale))


def cookie_claims(token: str | None) -> dict[str, str | float] | None:
    """The sign-in cookie's username and exp_date, or None for any cookie that does not verify.

    Anyone can put any cookie in their browser: an ``"alg": "none"`` token, another
    key, garbage, an expired one or one of the wrong shape. streamlit-authenticator
    decodes it itself and raises on some of these (``InvalidAlgorithmError``) before
    anything is drawn, so the sign-in widget is handed this check instead
    (``cop.shell.sign_in.make_authenticator``): a bad cookie is simply no cookie.
    """
    if not token or not isinstance(token, str):
        return None
    try:
        payload = jwt.decode(token, settings.cookie_key(), algorithms=["HS256"])
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
    username, expires = payload.get("username"), payload.get("exp_date")
    if not isinstance(username, str) or not username:
        return None
    if isinstance(expires, bool) or not isinstance(expires, int | float):
        return None
    if not datetime.now(UTC).timestamp() < expires < _LATEST_EXPIRY:
        return None
    return {"username": username, "exp_date": float(expires)}


# Far beyond any cookie we issue; keeps a huge exp_date from overflowing datetime.
_LATEST_EXPIRY = datetime(9000, 1, 1, tzinfo=UTC).timestamp()


def cookie_issued_at(token: str | None) -> datetime | None:
    """When a verified cookie was issued (its exp_date minus the configured expiry), else None."""
    claims = cookie_claims(token)
    if claims is None:
        return None
    expires = datetime.fromtimestamp(float(claims["exp_date"]), UTC)
    return expires - timedelta(days=settings.COOKIE_EXPIRY_DAYS)


def browser_cookie() -> str | None:
    """The sign-in cookie this browser sent with the page, as is (unverified)."""
    cookies = st.context.cookies
    return cookies.get(settings.COOKIE_NAME) if cookies else None


def _cookie_issued_at() -> datetime | None:
    return cookie_issued_at(browser_cookie())


def _signed_in_at() -> datetime | None:
    stamp = st.session_state.get("cop_signed_in_at")
    if stamp:
        return datetime.fromisoformat(stamp)
    return _cookie_issued_at()


def clear_session(message: str | None = None) -> None:
    for key in AUTH_KEYS:
        st.session_state[key] = None
    for key in ("cop_signed_in_at", "cop_actor_cache", "cop_read_cache", COOKIE_PENDING, VIA_OIDC):
        st.session_state.pop(key, None)
    st.session_state["logout"] = True  # the widget must not sign in again from the old cookie
    st.session_state[DELETE_COOKIE] = True
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
    end_provider_session()  # signed in through the provider: its session ends too
    clear_session()


def current_actor() -> Actor | None:
    """The signed-in actor re-read from the database, or None (then the session is cleared).

    The database is asked again whenever the records' version moved since this
    session's last run; any write to a record anywhere (a sign-out in another tab, a
    role change, a deactivation) moves it, so the checks below always see fresh data.
    Someone's posted update elsewhere does not (it writes only the journals). The answer
    is kept for every tab of the person, so a new tab does not ask again; the checks run
    in each.
    """
    if not st.session_state.get("authentication_status"):
        return None
    username = st.session_state.get("username") or ""
    signed_in_at = _signed_in_at()
    version = records_version()
    cached = st.session_state.get("cop_actor_cache")
    if cached and cached[:3] == (version, username, signed_in_at):
        return cached[3]
    actor, valid_after, must_change = kept_for_everyone(
        ("signed-in actor", username), lambda session: _signed_in(session, username)
    )
    if actor is None:
        clear_session()
        return None
    if signed_in_at is None or (valid_after is not None and signed_in_at < valid_after):
        clear_session(N_("You were signed out. Please sign in again."))
        return None
    st.session_state["cop_must_change_password"] = must_change
    st.session_state["cop_actor_cache"] = (version, username, signed_in_at, actor)
    return actor


def _signed_in(session: Session, username: str) -> tuple[Actor | None, datetime | None, bool]:
    """Who ``username`` is, since when their sign-ins count, and whether they must change their
    password: the same for every tab of theirs, so kept for all of them (cop.shell.cache)."""
    user = accounts.find_user(session, username)
    actor = accounts.load_actor(session, user.id) if user else None
    valid_after = user.sessions_valid_after if user else None
    return actor, valid_after, bool(user and user.must_change_password)


def new_cookie(username: str) -> tuple[str, datetime]:
    """The widget's own cookie format (a JWT of username and exp_date), made once per sign-in."""
    # Aware UTC: naive local time would move the issue time by an hour across a DST change.
    expires = datetime.now(UTC) + timedelta(days=settings.COOKIE_EXPIRY_DAYS)
    token = jwt.encode(
        {"username": username, "exp_date": expires.timestamp()},
        settings.cookie_key(),
        algorithm="HS256",
    )
    return token, expires


def renew_sign_in(username: str) -> None:
    """Keep this tab signed in after its own user's other sessions were ended here.

    A password change moves ``sessions_valid_after`` to now, which refuses every
    sign-in before it, this tab's included: its session gets a new sign-in time and
    its browser a new cookie, or a reload (which has only the cookie) signs it out.
    """
    st.session_state["cop_signed_in_at"] = clock.now().isoformat()
    st.session_state[COOKIE_PENDING] = new_cookie(username)


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
    token, expires = pending
    # One writer per cookie: a later cookie (after a password change) is a new component,
    # not the earlier writer that already answered.
    key = f"{COOKIE_WRITER}-{hashlib.sha256(token.encode()).hexdigest()[:16]}"
    if st.session_state.get(key):
        st.session_state.pop(COOKIE_PENDING)
        return
    with st.sidebar:
        stx.CookieManager().set(settings.COOKIE_NAME, token, key=key, expires_at=expires)
