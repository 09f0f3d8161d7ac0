"""The invitation sign-up form, drawn by the gate for ``/?invite=<token>`` before anyone signs in.

The invited person chooses a username and a password under our rules
(cop.accounts.service); on success the session is signed in the way a form
sign-in leaves it (see cop.shell.gate) and the person lands in their community.
"""

from __future__ import annotations

import streamlit as st
from sqlmodel import Session

from cop.accounts import invitations
from cop.accounts.invitations import InvitationUnusable
from cop.accounts.models import User
from cop.core import clock
from cop.core.db import read_session
from cop.core.errors import ValidationError
from cop.core.i18n import N_, best_language, translator
from cop.export.markdown import escape
from cop.shell.forms import error_text, errors_banner, field_error, submit
from cop.shell.session import new_cookie
from cop.shell.session_keys import COMMUNITY_KEY, COOKIE_PENDING
from cop.shell.text import markdown, plain

FORM = "invitation-signup"


def _accept(
    session: Session, token: str, username: str, password: str, again: str, name: str
) -> User:
    """Refuse a mistyped second password before anything is written."""
    if password != again:
        raise ValidationError({"password_again": N_("The two passwords differ.")})
    return invitations.accept_invitation(session, token, username, password, name)


def _leave() -> None:
    st.query_params.pop("invite", None)


def draw_invitation_signup(token: str) -> None:
    language = best_language(getattr(st.context, "locale", None))
    _ = translator(language)
    st.title(_("Welcome to the CoP Workspace"))
    try:
        with read_session() as session:
            invited = invitations.describe(session, token)
    except InvitationUnusable as exc:
        st.error(plain(error_text(exc, language)), icon=":material/link_off:")
        st.button(_("Go to sign-in"), on_click=_leave, key="cop_invite_leave")
        return
    markdown(
        _("You are invited to **{community}** as {role}. Choose how you will sign in.").format(
            community=escape(invited.community), role=_(invited.role)
        )
    )
    errors_banner(FORM, language)
    with st.form(FORM):
        name = st.text_input(_("Your name"), value=invited.name, key="invite_name")
        field_error(FORM, "name", language)
        username = st.text_input(
            _("Username"),
            key="invite_username",
            help=_("3-32 characters: lower-case letters a-z, digits, dot, hyphen or underscore."),
        )
        field_error(FORM, "username", language)
        password = st.text_input(
            _("Password"),
            type="password",
            key="invite_password",
            help=_(
                "At least 12 characters and at most 72 bytes; a passphrase of a few words is easiest."
            ),
        )
        field_error(FORM, "password", language)
        again = st.text_input(_("Password again"), type="password", key="invite_password_again")
        field_error(FORM, "password_again", language)
        field_error(FORM, "person", language)
        chosen = st.form_submit_button(_("Create my account"), type="primary")
    if not chosen:
        return
    user = submit(FORM, _accept, token, username, password, again, name, reader_language=language)
    if user is None:
        return
    for key in ("invite_password", "invite_password_again"):
        st.session_state.pop(key, None)
    st.session_state.update(
        {
            "authentication_status": True,
            "username": user.username,
            "name": name.strip(),
            "logout": None,
            "cop_signed_in_at": clock.now().isoformat(),
            COOKIE_PENDING: new_cookie(user.username),
            COMMUNITY_KEY: invited.community_id,
        }
    )
    st.query_params.pop("invite", None)
    st.rerun()
