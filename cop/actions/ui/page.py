"""The joint actions page: a filtered table, a board by status, a timeline and a city's action plan.

The page file only guards and calls ``draw_actions_page``: code in a module is compiled once
per process, a page file's on every run that AppTest makes.
"""

from __future__ import annotations

import streamlit as st

from cop.actions.ui.board import board_view
from cop.actions.ui.detail import action_page
from cop.actions.ui.form import FORM_FIELDS, action_form
from cop.actions.ui.plan import city_plan_view
from cop.actions.ui.timeline import ZOOM_KEY, timeline_view
from cop.actions.ui.views import LIST_KEYS, filters, table_view
from cop.communities import service as communities
from cop.communities.models import Community
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.shell.cache import cached_read
from cop.shell.community_picker import pick_community, writable_communities
from cop.shell.formatting import opened_record_id
from cop.shell.in_place import remember
from cop.shell.lazy import keep, lazy_expander
from cop.shell.sidebar import selected_community_id


def draw_actions_page(actor: Actor) -> None:
    """The Table, Board, Timeline and City plan tabs; ``?id=`` in the URL opens one action instead."""
    _ = translator(actor.language)

    record_id = opened_record_id()
    if record_id:
        action_page(actor, record_id)
        return

    st.title(_("Joint actions"))
    visible = {c.id: c for c in cached_read(communities.visible_communities, actor, journal=False)}
    community = visible.get(selected_community_id(actor) or 0)
    keep([ZOOM_KEY])  # the timeline's zoom, also while another tab is open
    table, board, timeline, plan = st.tabs(
        [_("Table"), _("Board"), _("Timeline"), _("City plan")],
        key="actions_view",
        on_change="rerun",
    )
    if plan.open:
        with plan:
            city_plan_view(actor)
    for tab, view in ((table, "table"), (board, "board"), (timeline, "timeline")):
        if not tab.open:
            continue
        with tab:
            chosen = filters(actor, community)
            if view == "board":
                board_view(actor, chosen)
            elif view == "timeline":
                timeline_view(actor, chosen)
            else:
                table_view(actor, community, chosen)
                _new_action(actor, community)
    remember("actions", [*LIST_KEYS, ZOOM_KEY])


def _new_action(actor: Actor, chosen: Community | None) -> None:
    """ "New action" in the sidebar's community or, under "All my communities", in the one
    the form asks for."""
    _ = translator(actor.language)
    choices = writable_communities(actor, "action.create", chosen)
    if not choices:
        return
    form = lazy_expander(
        _("New action"),
        "act_new_open",
        icon=":material/add_task:",
        kept=[f"action-new-{field}" for field in FORM_FIELDS] + ["action-new-community"],
        stay=True,
    )
    if form is not None:
        with form:
            community = pick_community(actor, choices, chosen, "action-new-community")
            if community is not None:
                action_form(actor, community, "action-new", None)
