"""Search: one box across everything the user may see, ranked, grouped by kind."""

import streamlit as st

from cop.db import read_session
from cop.i18n import translator
from cop.services import communities
from cop.services.search import KINDS, search
from cop.ui import require_actor, selected_community_id
from cop.ui.formatting import record_link

actor = require_actor("search")
_ = translator(actor.language)

KIND_LABELS = {
    "workshop": _("Workshops and visits"),
    "action": _("Actions"),
    "practice": _("Practices"),
    "standard": _("Standards"),
    "section": _("Toolkit sections"),
}
KIND_PAGES = {"workshop": "workshops", "action": "actions", "practice": "practices", "standard": "practices", "section": "toolkit"}

st.title(_("Search"))
query = st.text_input(
    _("Search workshops, actions, practices, standards and toolkit sections"),
    key="search_query",
    placeholder=_('e.g. welcome points, "local contact persons", Dusseldorf'),
    help=_("Words match their beginnings; put a phrase in double quotes; accents do not matter."),
)
with read_session() as session:
    options = communities.visible_communities(session, actor, include_archived=True)
names = {c.id: c.name for c in options}
left, right = st.columns([2, 3])
community_id = left.selectbox(
    _("Community"), options=[0, *names], format_func=lambda c: names.get(c, _("All communities I can see")),
    index=([0, *names].index(selected_community_id(actor)) if selected_community_id(actor) in names else 0),
)
kinds = right.multiselect(_("Only"), options=list(KINDS), format_func=KIND_LABELS.get)

if query.strip():
    with read_session() as session:
        hits = search(session, actor, query, community_id=community_id or None, kinds=kinds or None, limit=100)
    if not hits:
        st.info(_("Nothing found. Try fewer or shorter words."))
    st.caption(_("{n} results").format(n=len(hits)))
    for kind in KINDS:
        group = [h for h in hits if h.kind == kind]
        if not group:
            continue
        st.subheader(f"{KIND_LABELS[kind]} ({len(group)})")
        for hit in group:
            with st.container(border=True):
                record_link(KIND_PAGES[kind], hit.title or _("(untitled)"), hit.record_id if kind != "standard" else None)
                # The snippet is escaped before <mark> is added (cop.services.search.snippet).
                st.markdown(hit.snippet_html, unsafe_allow_html=True)
                st.caption(names.get(hit.community_id, ""))
