"""The password form of the profile page: our own, because the sign-in widget's refuses long passphrases."""

from __future__ import annotations

import streamlit as st
from sqlmodel import Session

from cop.accounts import service as accounts
from cop.core.errors import ValidationError
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor
from cop.shell.forms import errors_banner, field_error, submit
from cop.shell.session import renew_sign_in
from cop.shell.session_keys import COOKIE_PENDING

FORM = "change-password"
_FIELDS = ("pw_current", "pw_new", "pw_again")


def _change(session: Session, actor: Actor, current: str, new: str, again: str) -> bool:
    if new != again:
        raise ValidationError({"new_password_again": N_("The two new passwords differ.")})
    accounts.change_own_password(session, actor, current, new)
    return True


def change_password(actor: Actor) -> None:
    """Needs the current password; every other session of this user is signed out."""
    _ = translator(actor.language)
    if st.session_state.get("pw_changed"):
        st.success(_("Your password was changed. Your other sessions are signed out."))
        # Kept until this tab's new cookie is written: the writer's answer is one more run.
        if not st.session_state.get(COOKIE_PENDING):
            st.session_state.pop("pw_changed")
    errors_banner(FORM, actor.language)
    with st.form(FORM):
        current = st.text_input(_("Current password"), type="password", key="pw_current")
        field_error(FORM, "current_password", actor.language)
        new = st.text_input(
            _("New password"),
            type="password",
            key="pw_new",
            help=_(
                "At least 12 characters and at most 72 bytes; a passphrase of a few words "
                "is easiest."
            ),
        )
        field_error(FORM, "new_password", actor.language)
        again = st.text_input(_("New password again"), type="password", key="pw_again")
        field_error(FORM, "new_password_again", actor.language)
        chosen = st.form_submit_button(_("Change password"))
    if chosen and submit(FORM, _change, actor, current, new, again, reader_language=actor.language):
        # This tab goes on (a new sign-in time and cookie); sessions_valid_after now
        # refuses every older one.
        renew_sign_in(actor.username)
        for key in _FIELDS:
            st.session_state.pop(key, None)
        st.session_state["pw_changed"] = True
        st.rerun()
