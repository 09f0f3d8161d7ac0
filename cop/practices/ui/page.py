"""The practices and standards page: practices, the community's standards, and self-assessment.

The page file only guards and calls ``draw_practices_page`` (see cop/actions/ui/page.py for why).
"""

from __future__ import annotations

import streamlit as st

from cop.communities import service as communities
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.practices.ui.standards import self_assessment_tab, standards_tab
from cop.practices.ui.views import LIST_KEYS, practice_list, practice_page
from cop.shell.cache import cached_read
from cop.shell.formatting import opened_record_id
from cop.shell.in_place import remember
from cop.shell.sidebar import selected_community_id

TABS = (standards_tab, self_assessment_tab)


def draw_practices_page(actor: Actor) -> None:
    """``?id=<practice>`` opens one practice; otherwise three tabs: the practices list, the
    community's standards, and the self-assessment heatmap and trend."""
    _ = translator(actor.language)
    st.title(_("Practices and standards"))

    visible = {c.id: c for c in cached_read(communities.visible_communities, actor, journal=False)}
    chosen = visible.get(selected_community_id(actor) or 0)

    record_id = opened_record_id()
    if record_id:
        practice_page(actor, record_id)
        return

    # Only the open tab is drawn: the heatmap and the standards cost more than the list most people come for.
    practices_tab, standards_part, scores_part = st.tabs(
        [_("Practices"), _("Standards"), _("Self-assessment")],
        key="practices_view",
        on_change="rerun",
    )
    if practices_tab.open:
        with practices_tab:
            practice_list(actor, chosen)
    for tab, draw in zip((standards_part, scores_part), TABS, strict=True):
        if not tab.open:
            continue
        with tab:
            community = chosen
            if community is None and visible:
                mine = sorted(visible, key=lambda cid: (cid not in actor.roles, visible[cid].name))
                picked = st.selectbox(
                    _("Community"),
                    mine,
                    format_func=lambda cid: visible[cid].name,
                    key=f"{draw.__name__}_community",
                )
                community = visible[picked]
            if community is None:
                st.info(_("There is no community you can read yet."))
            else:
                draw(actor, community)
    remember("practices", [*LIST_KEYS, *(f"{d.__name__}_community" for d in TABS)])
