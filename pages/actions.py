"""Joint actions: a filtered table, a board by status, a timeline and a city's action plan; ``?id=`` opens one action."""

import streamlit as st

from cop.i18n import translator
from cop.permissions import is_allowed
from cop.services import communities
from cop.ui import require_actor, selected_community_id
from cop.ui.action_detail import action_page
from cop.ui.action_form import FORM_FIELDS, action_form
from cop.ui.action_plan_view import city_plan_view
from cop.ui.action_views import board_view, filters, table_view, timeline_view
from cop.ui.cache import cached_read
from cop.ui.formatting import opened_record_id
from cop.ui.lazy import lazy_expander

actor = require_actor("actions")
_ = translator(actor.language)

record_id = opened_record_id()
if record_id:
    action_page(actor, record_id)
    st.stop()

st.title(_("Joint actions"))
visible = {c.id: c for c in cached_read(("sidebar", actor.user_id), communities.visible_communities, actor)}
community = visible.get(selected_community_id(actor) or 0)
table, board, timeline, plan = st.tabs(
    [_("Table"), _("Board"), _("Timeline"), _("City plan")], key="actions_view", on_change="rerun"
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
            if community is not None and is_allowed(actor, "action.create", community):
                form = lazy_expander(_("New action"), "act_new_open", icon=":material/add_task:",
                                     kept=[f"action-new-{field}" for field in FORM_FIELDS])
                if form is not None:
                    with form:
                        action_form(actor, community, "action-new", None)
