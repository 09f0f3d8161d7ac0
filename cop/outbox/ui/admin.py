"""The admin's view of the outbox: how much mail waits, and every e-mail that failed, with "Retry now"."""

from __future__ import annotations

import streamlit as st

from cop.core import mailer
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor
from cop.outbox import service as outbox
from cop.shell.formatting import local_time
from cop.shell.forms import read, submit
from cop.shell.grid import grid

STATES = {
    "retrying": N_("will be tried again"),
    "failed": N_("given up"),
    "waiting": N_("waiting"),
    "sent": N_("sent"),
}


def outbox_tab(actor: Actor) -> None:
    _ = translator(actor.language)
    if not mailer.is_configured():
        st.info(
            _(
                "No mail server is configured, so the workspace sends no e-mail: "
                "invitation links are shown to you and notifications stay in the inbox."
            ),
            icon=":material/mail:",
        )
    summary = read(outbox.outbox_summary, actor, reader_language=actor.language)
    if summary is None:
        return
    st.caption(
        _("Waiting to be sent: {waiting}. Sent in the last 30 days: {sent}.").format(
            waiting=summary.waiting, sent=summary.sent
        )
    )
    rows = summary.problems
    zone, language = actor.time_zone, actor.language
    grid(
        [
            {
                _("Recipient"): r.to_address,
                _("Subject"): r.subject,
                _("State"): _(STATES.get(r.status, r.status)),
                _("Attempts"): r.attempts,
                _("Next attempt"): local_time(r.next_attempt_at, zone, language=language)
                if r.next_attempt_at
                else "–",
                _("Queued"): local_time(r.created_at, zone, language=language),
                _("Last error"): r.last_error,
            }
            for r in rows
        ],
        _("No e-mail failed: everything queued went out or is on its way."),
        column_config={_("Last error"): st.column_config.TextColumn(width="large")},
    )
    if not rows:
        return
    choices = {r.id: f"{r.to_address} · {r.subject}" for r in rows}
    chosen = st.selectbox(
        _("E-mail to send again"), list(choices), format_func=choices.get, key="adm_outbox_pick"
    )
    if st.button(_("Retry now"), key="adm_outbox_retry", icon=":material/send:"):
        if (
            submit(
                "adm-outbox-retry",
                outbox.retry_now,
                actor,
                chosen,
                reader_language=actor.language,
            )
            is not None
        ):
            st.toast(_("The e-mail goes out with the next round of the sender."))
            st.rerun()
