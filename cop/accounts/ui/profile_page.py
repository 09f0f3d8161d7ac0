"""The profile page: one's own name, e-mail, language, time zone and e-mail notifications, password, and a copy of one's data.

The page file only guards and calls ``draw_profile_page`` (see cop/actions/ui/page.py for why).
"""

from __future__ import annotations

import streamlit as st

from cop.accounts import profile
from cop.accounts.notifications import EMAIL_DELIVERY
from cop.accounts.ui.profile_forms import change_password
from cop.core.i18n import LANGUAGES, translator
from cop.core.permissions import Actor
from cop.shell.downloads import download_link
from cop.shell.formatting import TIME_ZONES
from cop.shell.forms import errors_banner, field_error, read, submit

FORM = "profile"


def draw_profile_page(actor: Actor) -> None:
    """The profile form (refilled when the record changed elsewhere), the password form, the data export."""
    _ = translator(actor.language)
    st.title(_("Your profile"))

    mine = read(profile.my_profile, actor, reader_language=actor.language)
    if st.session_state.get("profile_versions") != (mine.person_version, mine.user_version):  # type: ignore[union-attr]
        # Fresh from the database (first visit, or saved elsewhere): fill the form again.
        st.session_state.update(
            {
                "profile_versions": (mine.person_version, mine.user_version),  # type: ignore[union-attr]
                "profile_name": mine.name,
                "profile_email": mine.email,  # type: ignore[union-attr]
                "profile_language": mine.language,
                "profile_time_zone": mine.time_zone,  # type: ignore[union-attr]
                "profile_email_delivery": mine.email_delivery,  # type: ignore[union-attr]
            }
        )

    errors_banner(FORM, actor.language)
    with st.form(FORM):
        name = st.text_input(_("Name"), key="profile_name")
        field_error(FORM, "name", actor.language)
        email = st.text_input(_("E-mail"), key="profile_email")
        field_error(FORM, "email", actor.language)
        language = st.selectbox(
            _("Language"), list(LANGUAGES), format_func=LANGUAGES.get, key="profile_language"
        )
        field_error(FORM, "language", actor.language)
        time_zone = st.selectbox(_("Time zone"), TIME_ZONES, key="profile_time_zone")
        field_error(FORM, "time_zone", actor.language)
        email_delivery = st.selectbox(
            _("E-mail notifications"),
            list(EMAIL_DELIVERY),
            format_func=lambda choice: _(EMAIL_DELIVERY[choice]),
            key="profile_email_delivery",
            help=_(
                "How what happens in your communities reaches you by e-mail. "
                "Your inbox in the workspace shows everything either way."
            ),
        )
        field_error(FORM, "email_delivery", actor.language)
        if st.form_submit_button(_("Save"), type="primary"):
            person_version, user_version = st.session_state["profile_versions"]
            saved = submit(
                FORM,
                profile.update_own_profile,
                actor,
                name=name,
                email=email,
                language=language,
                time_zone=time_zone,
                email_delivery=email_delivery,
                person_version=person_version,
                user_version=user_version,
                reader_language=actor.language,
            )
            if saved is not None:
                st.session_state.pop("profile_versions", None)
                st.toast(_("Saved."), icon=":material/check:")
                st.rerun()

    st.subheader(_("Password"))
    change_password(actor)

    st.subheader(_("Your data"))
    st.caption(
        _(
            "Everything the workspace holds about you, as a JSON file: profile, memberships and every record "
            "that refers to you."
        )
    )
    download_link(actor, _("Download my data (JSON)"), "my-data.json")
