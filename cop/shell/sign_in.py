"""The sign-in form: streamlit-authenticator draws it and keeps the cookie; every decision is ours."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import streamlit as st
import streamlit_authenticator as stauth
from extra_streamlit_components.CookieManager import _component_func as cookie_component
from streamlit_authenticator.models import cookie_model
from streamlit_authenticator.utilities.exceptions import LoginError

from cop.accounts import oidc
from cop.accounts import service as accounts
from cop.core import clock, settings
from cop.core.db import read_session, write_session
from cop.core.errors import DatabaseUnavailable
from cop.core.i18n import best_language
from cop.shell import oidc as oidc_ui
from cop.shell.forms import localize
from cop.shell.session import browser_translator, clear_session, cookie_claims
from cop.shell.session_keys import DELETE_COOKIE
from cop.shell.text import plain


class QuietCookieManager:
    """The sign-in widget's cookie manager, without the component that reports every cookie.

    extra_streamlit_components' CookieManager draws a component as soon as it is made
    (streamlit-authenticator makes one with every authenticator) that sends the
    browser's cookies back and so reruns the page a moment after the sign-in form first
    shows. A sign-in sent in that moment was handled by a run the component's rerun
    then replaced, and everything it put in the session was lost: the form emptied and
    the person was not signed in (issue 17 item 16). The cookie is read server-side
    (st.context.cookies) and written by the gate (``session.write_cookie``), so the
    sign-in page only ever deletes one, and draws that component only then.
    """

    def __init__(self, key: str = "init") -> None:
        self.cookies: dict[str, str] = {}

    def delete(self, cookie: str, key: str = "delete") -> None:
        cookie_component(method="delete", cookie=cookie, key=key, default=False)

    def set(
        self, cookie: str, val: str, key: str = "set", expires_at: datetime | None = None
    ) -> None:
        """The widget's own cookie is not written: the gate writes ours (``new_cookie``)."""


# streamlit-authenticator makes its cookie manager from this module's ``stx``.
cookie_model.stx = SimpleNamespace(CookieManager=QuietCookieManager)  # type: ignore[attr-defined]


def make_authenticator(only: str | None = None) -> stauth.Authenticate:
    """A fresh authenticator per run: credentials from the database, our password check.

    ``only``: the one account a sign-in cookie names (or "" for none); the form needs them all.
    """
    with read_session() as session:
        creds = accounts.credentials(session, only=only)
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
    cookie_model = authenticator.cookie_controller.cookie_model

    def verified_cookie() -> dict[str, str | float] | bool:
        """The widget's own decoding raises on some forged cookies; ours refuses every bad one."""
        claims = cookie_claims(cookie_model.token)
        if claims is None:
            st.session_state[DELETE_COOKIE] = True  # ignored now, and cleared from the browser
            return False
        return claims

    cookie_model._token_decode = verified_cookie
    return authenticator


def draw_sign_in() -> None:
    _ = browser_translator()
    st.title(_("CoP Workspace"))
    st.caption(
        _("Workshops, joint actions, practices and the toolkit of your Communities of Practice.")
    )
    reason = st.session_state.pop("cop_signed_out_reason", None)
    if reason:
        st.info(_(reason))
    language = best_language(getattr(st.context, "locale", None))
    refused = oidc_ui.refusal()
    if refused:
        st.warning(plain(localize(refused, language)), icon=":material/block:")
    name = oidc_ui.provider()
    if name is not None:
        label = oidc_ui.label()
        text = (
            _("Sign in with {provider}").format(provider=plain(label))
            if label
            else _("Sign in with your organisation's account")
        )
        if st.button(text, type="primary", key="cop_oidc_sign_in", icon=":material/badge:"):
            oidc_ui.go_to_provider()
    with read_session() as session:
        form = oidc.password_form_offered(session, provider_configured=name is not None)
    if form:
        _password_form(_)


def sign_in_from_cookie() -> bool:
    """Read the sign-in cookie as the form does, drawing nothing; True when it signed in.

    The gate asks it first in a new tab: a returning person is signed in before anything
    is drawn, with no sign-in page shown first and no second run (and a signed-in person
    opening the accessibility statement by its address keeps their navigation).
    """
    # The widget looks up only the account the cookie names; a cookie that fails our check
    # names none, and the widget then refuses it as before (``verified_cookie``).
    claims = cookie_claims(st.context.cookies.get(settings.COOKIE_NAME))
    authenticator = make_authenticator(only=str(claims["username"]) if claims else "")
    try:
        authenticator.login(location="unrendered", key="sign-in")
    except LoginError:  # a cookie for a user who may no longer sign in
        clear_session()
        return False
    return bool(st.session_state.get("authentication_status"))


def _password_form(_) -> None:  # noqa: ANN001
    authenticator = make_authenticator()
    fields = {
        "Form name": _("Sign in"),
        "Username": _("Username"),
        "Password": _("Password"),
        "Login": _("Sign in"),
    }
    try:
        authenticator.login(location="main", fields=fields, key="sign-in")
    except LoginError:
        # A cookie for a user who may no longer sign in (locked, deactivated, removed).
        clear_session()
        st.rerun()
    if st.session_state.pop(DELETE_COOKIE, False):
        authenticator.cookie_controller.delete_cookie()
    if st.session_state.get("authentication_status") is False:
        st.error(_(accounts.SIGN_IN_FAILED))
    if settings.demo_enabled():
        st.info(
            _(
                "Demo workspace: sign in as **facilitator**, **member**, **observer** or **admin**; the password of each is `demo passphrase 2026`."
            )
        )
