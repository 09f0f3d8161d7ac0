"""The workshops page: the list with filters, the month calendar and the upcoming ones.

The page file only guards and calls ``draw_workshops_page`` (see cop/actions/ui/page.py for why).
"""

from __future__ import annotations

import streamlit as st

from cop.core.db import read_session
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.shell.formatting import opened_record_id
from cop.shell.in_place import remember
from cop.shell.sidebar import selected_community_id
from cop.workshops.service import readable_community
from cop.workshops.ui.detail import workshop_page
from cop.workshops.ui.views import LIST_KEYS, month_view, upcoming_view, workshop_list


def draw_workshops_page(actor: Actor) -> None:
    """The list, calendar or upcoming view; ``?id=`` in the URL opens one workshop instead."""
    _ = translator(actor.language)

    record_id = opened_record_id()
    if record_id:
        workshop_page(actor, record_id)
    else:
        st.title(_("Workshops and visits"))
        chosen = selected_community_id(actor)
        with read_session() as session:
            community = readable_community(session, actor, chosen) if chosen else None
        views = {"list": _("List"), "calendar": _("Calendar"), "upcoming": _("Upcoming")}
        st.session_state.setdefault("ws_view", "list")  # not default=: "Back to the list" sets it
        view = st.segmented_control(_("View"), list(views), format_func=views.get, key="ws_view")
        if view == "calendar":
            month_view(actor, chosen)
        elif view == "upcoming":
            upcoming_view(actor, chosen)
        else:
            workshop_list(actor, community)
        remember("workshops", LIST_KEYS)
