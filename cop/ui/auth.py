"""The sign-in gate and the guard every page starts with.

streamlit-authenticator 0.4.2 draws the sign-in form and keeps the cookie; all
decisions are ours and live in the database (cop.services.accounts):

* The credentials dict is built from the database each run, leaving out
  locked and inactive users, and the widget's password check is routed
  through ``accounts.sign_in`` so failures are counted (and lock the username)
  in the database, not in this browser tab's session state.
* Every run re-reads the user. A session whose sign-in (this tab's form, or
  the cookie's issue time, i.e. its ``exp_date`` minus the configured expiry)
  predates ``User.sessions_valid_after`` is signed out: that is how sign-out,
  password changes and deactivation end sessions everywhere.

Test seam (documented for AppTest and benchmarks): a session is signed in when
``st.session_state`` holds ``authentication_status=True``, ``username`` and
``cop_signed_in_at`` (an aware ISO datetime), exactly what a form sign-in
leaves behind; ``cop.ui.testing.sign_in_state(username)`` builds that dict.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities.exceptions import LoginError

from cop.core import clock, settings
from cop.core.db import read_session, write_session
from cop.core.errors import CopError, DatabaseUnavailable
from cop.core.i18n import N_, best_language, translator
from cop.core.permissions import Actor
from cop.services import accounts
from cop.ui.cache import data_version, refresh_data_version

AUTH_KEYS = ("authentication_status", "username", "name", "email", "roles")


def _browser_translator():  # noqa: ANN202
    locale = getattr(st.context, "locale", None)
    return translator(best_language(locale))


def _make_authenticator() -> stauth.Authenticate:
    """A fresh authenticator per run: credentials from the database, our password check."""
    with read_session() as session:
        creds = accounts.credentials(session)
    authenticator = stauth.Authenticate(
        creds,
        settings.COOKIE_NAME,
        settings.cookie_key(),
        settings.COOKIE_EXPIRY_DAYS,
        auto_hash=False,
        # The cookie is read server-side from st.context.cookies, so the widget's
        # pause for its cookie component to report is not needed.
        login_sleep_time=0,
    )
    model = authenticator.authentication_controller.authentication_model

    def check_credentials(username: str, password: str) -> bool:
        try:
            with write_session() as session:
                user = accounts.sign_in(session, username, password)
        except DatabaseUnavailable:
            # A read-only database cannot count attempts; reading stays possible.
            with read_session() as session:
                user = accounts.sign_in_read_only(session, username, password)
        if user is not None:
            st.session_state["cop_signed_in_at"] = clock.now().isoformat()
        return user is not None

    model.check_credentials = check_credentials
    return authenticator


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


def _clear_session(message: str | None = None) -> None:
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
    _clear_session()


def _draw_sign_in() -> None:
    _ = _browser_translator()
    st.title(_("CoP Workspace"))
    st.caption(_("Workshops, joint actions, practices and the toolkit of your Communities of Practice."))
    reason = st.session_state.pop("cop_signed_out_reason", None)
    if reason:
        st.info(_(reason))
    authenticator = _make_authenticator()
    if st.session_state.pop("cop_delete_cookie", False):
        authenticator.cookie_controller.delete_cookie()
    fields = {"Form name": _("Sign in"), "Username": _("Username"), "Password": _("Password"), "Login": _("Sign in")}
    try:
        authenticator.login(location="main", fields=fields, key="sign-in")
    except LoginError:
        # A cookie for a user who may no longer sign in (locked, deactivated, removed).
        _clear_session()
        st.rerun()
    if st.session_state.get("authentication_status") is False:
        st.error(_(accounts.SIGN_IN_FAILED))
    if settings.demo_enabled():
        st.info(_("Demo workspace: sign in as **facilitator**, **member** or **admin**; the password of each is `demo passphrase 2026`."))


def _hide_page_list() -> None:
    """Register the pages, hidden, before anyone signed in.

    A run that never calls st.navigation makes Streamlit list the files of
    pages/ in the sidebar (raw file names, on the sign-in screen, and a click
    there lands on the sign-in again). Registering them hidden keeps the
    sidebar empty and the address as it is, so a deep link still opens its
    page once signed in.
    """
    from streamlit.errors import StreamlitAPIException

    from cop.ui.layout import PAGES

    try:
        st.navigation([st.Page(spec.file, title=spec.title, url_path=spec.key, default=spec.key == "home")
                       for spec in PAGES.values()], position="hidden")
    except StreamlitAPIException:
        pass  # a page script run on its own (AppTest), where page paths do not resolve


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
        _clear_session()
        return None
    if signed_in_at is None or (valid_after is not None and signed_in_at < valid_after):
        _clear_session(N_("You were signed out. Please sign in again."))
        return None
    st.session_state["cop_must_change_password"] = must_change
    st.session_state["cop_actor_cache"] = (version, username, signed_in_at, actor)
    return actor


def gate() -> Actor:
    """Return the signed-in actor, or draw the sign-in (or invitation) form and stop the run."""
    from cop.ui.startup import prepare_workspace

    prepare_workspace()
    refresh_data_version()
    invite = st.query_params.get("invite")
    actor = current_actor()
    if actor is None:
        _hide_page_list()
    if actor is None and invite:
        from cop.ui.invitation import draw_invitation_signup

        draw_invitation_signup(invite)
        st.stop()
    if actor is None:
        _draw_sign_in()
        if st.session_state.get("authentication_status"):
            if "cop_signed_in_at" in st.session_state:  # through the form, not from a cookie
                st.session_state[COOKIE_PENDING] = new_cookie(st.session_state["username"])
            st.rerun()
        st.stop()
    return actor


COOKIE_PENDING = "cop_cookie_pending"
COOKIE_WRITER = "cop-cookie-writer"


def new_cookie(username: str) -> tuple[str, datetime]:
    """The widget's own cookie format (a JWT of username and exp_date), made once per sign-in."""
    expires = datetime.now() + timedelta(days=settings.COOKIE_EXPIRY_DAYS)
    token = jwt.encode({"username": username, "exp_date": expires.timestamp()}, settings.cookie_key(), algorithm="HS256")
    return token, expires


def _write_cookie() -> None:
    """Draw the cookie writer on every run until the browser reports the cookie written.

    The writer is a component; drawn once, it can be removed by the next rerun
    (the sign-in page's own cookie component reporting late, a quick click)
    before its script ran, and the cookie is silently never set. Drawn with the
    same arguments until it answers, it is one and the same component.
    """
    import extra_streamlit_components as stx

    pending = st.session_state.get(COOKIE_PENDING)
    if not pending:
        return
    if st.session_state.get(COOKIE_WRITER):
        st.session_state.pop(COOKIE_PENDING)
        return
    token, expires = pending
    with st.sidebar:
        stx.CookieManager().set(settings.COOKIE_NAME, token, key=COOKIE_WRITER, expires_at=expires)


def require_actor(page: str) -> Actor:
    """The first line of every page: signed in, still valid, and allowed on ``page``.

    Pages are also reachable by their own URL without passing app.py, so the
    guard does everything the gate does, then draws the shared sidebar.
    """
    from cop.ui.layout import PAGES, draw_sidebar, force_password_change

    actor = gate()
    _write_cookie()  # here, not in gate(): app.py and the page both pass the gate in one run
    _ = translator(actor.language)
    spec = PAGES.get(page)
    if spec is None or (spec.admin_only and not actor.is_admin):
        draw_sidebar(actor)
        st.warning(_("This page is for workspace administrators. Ask an admin if you need something done here."))
        st.stop()
    if force_password_change(actor):
        st.stop()
    draw_sidebar(actor)
    return actor


def show_database_problem(exc: CopError) -> None:
    st.error(str(exc))
