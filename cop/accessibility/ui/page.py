"""The accessibility statement (issue 23): open to anyone, signed in or not.

Its conformance status, known gaps and the date of the last check come from the last
automated check (``make a11y`` writes docs/accessibility.json); the feedback form reaches
the administrators (cop.accessibility.service).
"""

from __future__ import annotations

import streamlit as st

from cop.accessibility import service
from cop.accessibility.statement import KNOWN_GAPS, last_check
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.shell.formatting import format_date
from cop.shell.forms import clear_form, errors_banner, field_error, submit, widget_key

FORM = "accessibility-feedback"


def draw_accessibility_page(actor: Actor | None, language: str) -> None:
    _ = translator(language)
    st.title(_("Accessibility statement"))
    st.markdown(
        _(
            "CoP Workspace aims to be usable by everyone, as the Web Accessibility Directive asks of "
            "public bodies: the Web Content Accessibility Guidelines (WCAG) 2.1 at levels A and AA, "
            "which EN 301 549 refers to."
        )
    )
    st.subheader(_("Conformance status"))
    st.markdown(
        _(
            "**Partially conformant**: most of the workspace meets WCAG 2.1 AA; the gaps below do not yet."
        )
    )
    check = last_check()
    if check is None:
        st.info(_("The automated check has not been run on this installation."))
    else:
        st.markdown(
            _(
                "Last automated check: {day}, {tool}, over {states} pages and states in English and "
                "German. Serious or critical problems found: {blocking}; moderate or minor: {other}."
            ).format(
                day=format_date(check.checked_at.date(), language),
                tool=check.tool,
                states=check.states,
                blocking=check.serious + check.critical,
                other=check.moderate + check.minor,
            )
        )
    st.subheader(_("Known gaps"))
    st.markdown("\n".join(f"- {_(gap)}" for gap in KNOWN_GAPS))
    st.subheader(_("Feedback"))
    st.markdown(
        _(
            "Did something stop you? Tell us where and what; the administrators read every message "
            "and answer within a month if you leave an address."
        )
    )
    _feedback_form(actor, language)


def _feedback_form(actor: Actor | None, language: str) -> None:
    _ = translator(language)
    sent = st.session_state.pop(f"{FORM}-sent", False)
    if sent:
        st.success(_("Thank you: your message reached the administrators."))
    errors_banner(FORM, language)
    with st.form(FORM):
        message = st.text_area(_("Your message"), key=widget_key(FORM, "message"))
        field_error(FORM, "message", language)
        where = st.text_input(_("Where (page or file)"), key=widget_key(FORM, "where"))
        field_error(FORM, "where", language)
        name = st.text_input(_("Your name (optional)"), key=widget_key(FORM, "name"))
        field_error(FORM, "name", language)
        email = st.text_input(
            _("Your e-mail address (optional, for an answer)"), key=widget_key(FORM, "email")
        )
        field_error(FORM, "email", language)
        if st.form_submit_button(_("Send feedback"), type="primary"):
            done = submit(
                FORM,
                service.send_feedback,
                actor or service.VISITOR,
                message=message,
                where=where,
                name=name,
                email=email,
                reader_language=language,
            )
            if done is not None:
                clear_form(FORM)
                st.session_state[f"{FORM}-sent"] = True
                st.rerun()
