"""The pages of the workspace, the navigation built from the actor's roles, and the sidebar."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlmodel import Session

from cop.core import clock
from cop.core.db import write_session
from cop.core.errors import ValidationError
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor
from cop.services import accounts, communities, notifications
from cop.ui.cache import cached_read
from cop.ui.forms import localize


@dataclass(frozen=True)
class PageSpec:
    key: str
    file: str
    title: str  # English source string, translated when drawn
    icon: str
    admin_only: bool = False


PAGES: dict[str, PageSpec] = {
    spec.key: spec
    for spec in (
        PageSpec("home", "pages/home.py", N_("Home"), ":material/home:"),
        PageSpec("workshops", "pages/workshops.py", N_("Workshops"), ":material/groups:"),
        PageSpec("actions", "pages/actions.py", N_("Actions"), ":material/task_alt:"),
        PageSpec("practices", "pages/practices.py", N_("Practices"), ":material/lightbulb:"),
        PageSpec("toolkit", "pages/toolkit.py", N_("Toolkit"), ":material/menu_book:"),
        PageSpec("search", "pages/search.py", N_("Search"), ":material/search:"),
        PageSpec("profile", "pages/profile.py", N_("Profile"), ":material/person:"),
        PageSpec("admin", "pages/admin.py", N_("Admin"), ":material/admin_panel_settings:", admin_only=True),
    )
}


def visible_pages(actor: Actor) -> list[PageSpec]:
    """The pages this actor's role allows; the guard enforces the same rule on each page."""
    return [spec for spec in PAGES.values() if actor.is_admin or not spec.admin_only]


def navigation(actor: Actor) -> st.navigation:  # type: ignore[valid-type]
    _ = translator(actor.language)
    pages = [
        st.Page(spec.file, title=_(spec.title), icon=spec.icon, url_path=spec.key, default=spec.key == "home")
        for spec in visible_pages(actor)
    ]
    return st.navigation(pages, position="sidebar")


COMMUNITY_KEY = "cop_community_id"


def selected_community_id(actor: Actor) -> int | None:
    """The community chosen in the sidebar switcher (None = all my communities)."""
    value = st.session_state.get(COMMUNITY_KEY)
    return int(value) if value not in (None, "", 0) else None


def _keep_community(widget: str) -> None:
    st.session_state[COMMUNITY_KEY] = st.session_state[widget]


def draw_sidebar(actor: Actor) -> None:
    """Who is signed in, the community switcher and sign-out, on every page."""
    from cop.ui.auth import sign_out

    _ = translator(actor.language)
    names = cached_read(("sidebar-names", actor.user_id), _community_names, actor)
    labels = {0: _("All my communities")} | names
    if st.session_state.get(COMMUNITY_KEY) not in labels:
        st.session_state[COMMUNITY_KEY] = 0
    # The widget's key carries the language: the browser keeps a selectbox's shown label
    # while its options and label stay the same, so after a switch to German it would
    # still read "All my communities". The choice itself lives under COMMUNITY_KEY.
    widget = f"{COMMUNITY_KEY}_{actor.language}"
    st.session_state[widget] = st.session_state[COMMUNITY_KEY]
    with st.sidebar:
        st.selectbox(_("Community"), options=list(labels), format_func=labels.get, key=widget,
                     on_change=_keep_community, args=(widget,))
        signed_in = _("Signed in as {name} ({username})").format(name=actor.name, username=actor.username)
        unread = cached_read(("unread", actor.user_id), notifications.unread_count, actor)
        if unread:  # one caption, not two: every element costs every page run
            signed_in += "  \n:material/notifications: " + _("{n} unread in your inbox (Home)").format(n=unread)
        st.caption(signed_in)
        st.button(_("Sign out"), on_click=sign_out, key="cop_sign_out", icon=":material/logout:")


def _community_names(session: Session, actor: Actor) -> dict[int, str]:
    """The switcher's choices: the communities the actor belongs to (every one for an administrator).

    Public communities one is not a member of stay readable through lists,
    links and search; offering all of them here made the switcher a list of
    hundreds on a large workspace, redrawn on every run of every page.
    Plain values, cached: reading ORM attributes per option on every run was slow.
    """
    return {c.id: c.name for c in communities.visible_communities(session, actor)  # type: ignore[misc]
            if actor.is_admin or c.id in actor.roles}


def force_password_change(actor: Actor) -> bool:
    """After an admin reset, the temporary password must be replaced before anything else."""
    if not st.session_state.get("cop_must_change_password"):  # read by the gate this run
        return False
    _ = translator(actor.language)
    st.title(_("Choose a new password"))
    st.info(_("Your password was reset by an administrator. Please choose your own password to continue."))
    with st.form("forced-password-change"):
        current = st.text_input(_("Temporary password"), type="password")
        new = st.text_input(_("New password"), type="password", help=_("At least 12 characters; a passphrase of a few words is easiest."))
        if st.form_submit_button(_("Save password")):
            try:
                with write_session() as session:
                    accounts.change_own_password(session, actor, current, new)
            except ValidationError as exc:
                for message in exc.fields.values():
                    st.error(localize(message, actor.language))
            else:
                st.session_state["cop_signed_in_at"] = clock.now().isoformat()
                st.rerun()
    return True
