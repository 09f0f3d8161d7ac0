"""The admin's Sign-in tab: the password form on or off, e-mail domains for the identity provider."""

from __future__ import annotations

import streamlit as st

from cop.accounts import oidc
from cop.core.db import read_session
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.shell import oidc as oidc_ui
from cop.shell.forms import errors_banner, field_error, submit
from cop.shell.text import plain


def sign_in_tab(actor: Actor) -> None:
    _ = translator(actor.language)
    configured = oidc_ui.provider() is not None
    with read_session() as session:
        row = oidc.policy(session)
        version, form_on, domains = row.version, row.password_form, row.oidc_domains
    if configured:
        name = oidc_ui.label() or _("your organisation's account")
        st.caption(
            _("People can sign in with {provider} (OpenID Connect).").format(provider=plain(name))
        )
    else:
        st.info(
            _(
                "No identity provider is configured, so everyone signs in with a username and "
                "password. The README explains the settings."
            ),
            icon=":material/info:",
        )
    form = "adm-sign-in"
    errors_banner(form, actor.language)
    with st.form(form, clear_on_submit=False):
        password_form = st.toggle(
            _("Offer the username and password form"),
            value=form_on,
            key=f"adm_sign_in_form_{version}",
            disabled=not configured,
            help=_("Local accounts sign in with it. Without an identity provider it always shows."),
        )
        field_error(form, "password_form", actor.language)
        new_domains = st.text_area(
            _("E-mail domains that get an account at their first sign-in (one per line)"),
            value=domains,
            key=f"adm_sign_in_domains_{version}",
            help=_(
                "People of these domains whose provider confirms their e-mail get an account "
                "without any community until someone invites them. Anyone else needs an "
                "invitation or an existing account with their e-mail."
            ),
        )
        field_error(form, "domains", actor.language)
        chosen = st.form_submit_button(_("Save the sign-in settings"))
    if chosen:
        saved = submit(
            form,
            oidc.update_policy,
            actor,
            version,
            password_form=password_form if configured else True,
            domains=new_domains,
            provider_configured=configured,
            reader_language=actor.language,
        )
        if saved is not None:
            st.toast(_("Saved the sign-in settings."))
            st.rerun()
