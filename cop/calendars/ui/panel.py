"""The Profile page's calendar subscription: the private address, what it shows, replacing it.

A calendar program (Outlook, Google Calendar, Apple Calendar, Thunderbird) subscribes
to the address once and then follows the workshops by itself; nobody copies events by
hand any more. Replacing the address asks first: every calendar subscribed to the old
one stops receiving updates.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from cop.calendars import service as calendars
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.shell.confirm import confirmed
from cop.shell.forms import read, submit


def feed_url(token: str) -> str:
    """The address as the person's calendar program must reach it: this app's own origin."""
    parts = urlsplit(st.context.url or "")
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    # Streamlit may be served under a path (server.baseUrlPath); the page is its last part.
    base = parts.path.rsplit("/", 1)[0] if parts.path.count("/") > 1 else ""
    return f"{origin}{base}/feeds/{token}.ics"


def calendar_panel(actor: Actor) -> None:
    _ = translator(actor.language)
    st.subheader(_("Calendar subscription"))
    st.caption(
        _(
            "Subscribe to this address in Outlook, Google Calendar, Apple Calendar or Thunderbird: "
            "the workshops and visits of your communities then appear there and stay up to date. "
            "The address is private: whoever has it sees these events."
        )
    )
    mine = read(calendars.my_feed, actor, reader_language=actor.language)
    if mine is None:
        if st.button(_("Make my calendar address"), key="calendar-make", icon=":material/event:"):
            if submit(
                "calendar", calendars.new_feed_address, actor, reader_language=actor.language
            ):
                st.rerun()
        return
    st.code(feed_url(mine.token), language=None, wrap_lines=True)
    include = st.checkbox(
        _("Also my actions' due dates and milestones (as all-day events)"),
        value=mine.include_actions,
        key=f"calendar-actions-{mine.include_actions}",
    )
    if include != mine.include_actions:
        if submit(
            "calendar",
            calendars.show_actions_in_feed,
            actor,
            include,
            reader_language=actor.language,
        ):
            st.rerun()
    if confirmed(
        "calendar-replace",
        _("Replace the address"),
        _(
            "Calendars subscribed to the current address stop receiving updates; "
            "you then subscribe again with the new one."
        ),
        confirm_label=_("Replace it"),
        language=actor.language,
    ):
        if submit("calendar", calendars.new_feed_address, actor, reader_language=actor.language):
            st.toast(
                _("A new address is ready; the old one no longer works."), icon=":material/check:"
            )
            st.rerun()
