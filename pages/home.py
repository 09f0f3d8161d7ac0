"""Home: my communities with their key figures and members."""

import streamlit as st

from cop.db import read_session
from cop.i18n import translator
from cop.services import communities
from cop.ui import require_actor, selected_community_id

actor = require_actor("home")
_ = translator(actor.language)

st.title(_("Welcome, {name}").format(name=actor.name))

with read_session() as session:
    visible = communities.visible_communities(session, actor)
    mine = [c for c in visible if actor.is_admin or c.id in actor.roles]
    counts = communities.member_counts(session, [c.id for c in mine])  # type: ignore[misc]

chosen = selected_community_id(actor)
shown = [c for c in mine if chosen in (None, c.id)]
if not shown:
    st.info(_("You are not a member of any community yet. An administrator or facilitator can invite you."))

st.subheader(_("My communities"))
for community in shown:
    with st.container(border=True):
        role = actor.role_in(community.id)
        st.markdown(f"#### {community.name}")
        st.caption(
            " · ".join(
                part for part in (
                    community.theme,
                    _("your role: {role}").format(role=_(role.value)) if role else _("administrator"),
                    _("private") if community.visibility == "private" else _("visible to the workspace"),
                ) if part
            )
        )
        figures = counts.get(community.id, {"people": 0, "organisations": 0})  # type: ignore[arg-type]
        left, right = st.columns(2)
        left.metric(_("People"), figures["people"])
        right.metric(_("Cities and organisations"), figures["organisations"])
        with st.expander(_("Members")):
            with read_session() as session:
                rows = communities.members(session, actor, community.id)  # type: ignore[arg-type]
            st.dataframe(
                [{_("Name"): r["name"], _("Organisation"): r["organisation"], _("Role"): _(r["role"])} for r in rows],
                hide_index=True, width="stretch",
            )
