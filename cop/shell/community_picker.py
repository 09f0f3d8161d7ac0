"""Which community a new record goes to when the sidebar shows "All my communities".

"Record a workshop", "New action", "Record a practice" and the imports are offered
wherever a person may use them: with a community chosen in the sidebar they write
there; under "All my communities" the form asks for the community first, offering
those where the permission table lets the person do it, and chooses it for them
when there is only one. The services check the permission again.
"""

from __future__ import annotations

import streamlit as st

from cop.communities import service as communities
from cop.communities.models import Community
from cop.core.i18n import translator
from cop.core.permissions import Actor, is_allowed
from cop.shell.cache import cached_read


def writable_communities(actor: Actor, operation: str, chosen: Community | None) -> list[Community]:
    """The communities where ``actor`` may do ``operation``: the sidebar's, or every one readable."""
    if chosen is not None:
        return [chosen] if is_allowed(actor, operation, chosen) else []
    return [
        c
        for c in cached_read(communities.visible_communities, actor, journal=False)
        if is_allowed(actor, operation, c)
    ]


def pick_community(
    actor: Actor, choices: list[Community], chosen: Community | None, key: str
) -> Community | None:
    """The community to write in: the sidebar's, or the one picked here (None until picked).

    Under "All my communities" a "Community" choice is drawn above the form; with only
    one possible community it is already chosen.
    """
    if chosen is not None:
        return chosen if chosen in choices else None
    if not choices:
        return None
    _ = translator(actor.language)
    names = {c.id: c.name for c in choices}
    state = st.session_state
    if state.get(key) not in names:
        state[key] = next(iter(names)) if len(names) == 1 else None
    picked = st.selectbox(
        _("Community"),
        list(names),
        format_func=names.get,
        key=key,
        placeholder=_("Choose a community"),
        help=_("The community the new record belongs to."),
    )
    return next((c for c in choices if c.id == picked), None)
