"""The search page: one box across everything the user may see, ranked, grouped by kind,
the first 20 results at first and 20 more at each "Show more".

Each result is its card, its link and one HTML block (the snippet and its community): the
page's time is its elements, and fifty results of four elements each made it the slowest
click after the toolkit (issue 24); twenty is what the best search pages show at first.

The page file only guards and calls ``draw_search_page`` (see cop/actions/ui/page.py for why).
"""

from __future__ import annotations

import html

import streamlit as st
from sqlmodel import Session

from cop.communities import service as communities
from cop.core.db import read_session
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.core.settings import LIMITS
from cop.search.index import KINDS
from cop.search.queries import search
from cop.shell.cache import cached_read
from cop.shell.formatting import record_link
from cop.shell.sidebar import selected_community_id

PAGE = 20  # results shown at first, and added by each "Show more"
MOST = 500  # a search shows at most this many: past them, more words find it faster
SHOWN = "search_shown"  # session state: (the search, how many of its results are shown)

KIND_PAGES = {
    "workshop": "workshops",
    "action": "actions",
    "practice": "practices",
    "standard": "practices",
    "section": "toolkit",
}


def _community_names(session: Session, actor: Actor) -> dict[int, str]:
    """Every community the actor may search in, archived ones included; plain names, so they can be cached."""
    return {
        c.id: c.name for c in communities.visible_communities(session, actor, include_archived=True)
    }  # type: ignore[misc]


def _show_more(search_key: tuple, shown: int) -> None:
    st.session_state[SHOWN] = (search_key, min(shown + PAGE, MOST))


def draw_search_page(actor: Actor) -> None:
    """The box, a community and kind filter, and the hits grouped by kind with their snippets."""
    _ = translator(actor.language)
    kind_labels = {
        "workshop": _("Workshops and visits"),
        "action": _("Actions"),
        "practice": _("Practices"),
        "standard": _("Standards"),
        "section": _("Toolkit sections"),
    }
    st.title(_("Search"))
    query = st.text_input(
        _("Search workshops, actions, practices, standards and toolkit sections"),
        key="search_query",
        max_chars=LIMITS.search_max,
        placeholder=_('e.g. welcome points, "local contact persons", Dusseldorf'),
        help=_(
            "Words match their beginnings; put a phrase in double quotes; accents do not matter."
        ),
    )
    # Read once per data_version: a large workspace has hundreds of communities to list here.
    names = cached_read(_community_names, actor)
    choices = [0, *names]
    chosen = selected_community_id(actor)
    left, right = st.columns([2, 3])
    community_id = left.selectbox(
        _("Community"),
        options=choices,
        format_func=lambda c: names.get(c, _("All communities I can see")),
        index=choices.index(chosen) if chosen in names else 0,
    )
    kinds = right.multiselect(_("Only"), options=list(KINDS), format_func=kind_labels.get)

    if not query.strip():
        return
    # A new search (other words, community or kinds) starts with the first PAGE results again.
    search_key = (query.strip(), community_id, tuple(kinds))
    remembered = st.session_state.get(SHOWN)
    shown = remembered[1] if remembered and remembered[0] == search_key else PAGE
    with read_session() as session:
        hits = search(
            session,
            actor,
            query,
            community_id=community_id or None,
            kinds=kinds or None,
            limit=shown + 1,  # one more than shown tells whether there are more
        )
    more = len(hits) > shown
    hits = hits[:shown]
    if not hits:
        st.info(_("Nothing found. Try fewer or shorter words."))
    elif more:
        st.caption(_("The first {n} results are shown; there are more.").format(n=len(hits)))
    else:
        st.caption(_("{n} results").format(n=len(hits)))
    for kind in KINDS:
        group = [h for h in hits if h.kind == kind]
        if not group:
            continue
        st.subheader(f"{kind_labels[kind]} ({len(group)})")
        for hit in group:
            with st.container(border=True):
                record_link(
                    KIND_PAGES[kind],
                    hit.title or _("(untitled)"),
                    hit.record_id if kind != "standard" else None,
                )
                # The snippet is escaped before <mark> is added (cop.search.queries.snippet),
                # the community's name here; inside an HTML block (no blank line in it)
                # Markdown is not read, so the text's own brackets and bare addresses stay text.
                community = html.escape(names.get(hit.community_id, ""))
                st.markdown(
                    f"<div>{hit.snippet_html}</div><div><small>{community}</small></div>",
                    unsafe_allow_html=True,
                )
    if more and shown < MOST:
        st.button(
            _("Show {n} more results").format(n=PAGE),
            key="search_more",
            on_click=_show_more,
            args=(search_key, shown),
        )
    elif more:
        st.caption(_("Add words to the search to find the others."))
