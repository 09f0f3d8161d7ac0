"""The sidebar on every page: who is signed in, the community switcher, the inbox count, sign-out;
and the forced password change that comes before anything else."""

from __future__ import annotations

import streamlit as st
from sqlmodel import Session

from cop.accounts import notifications
from cop.accounts import service as accounts
from cop.communities import service as communities
from cop.core.db import write_session
from cop.core.errors import ValidationError
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor, Role
from cop.shell.cache import cached_read
from cop.shell.forms import localize
from cop.shell.page_language import mark_page_language
from cop.shell.session import renew_sign_in, sign_out
from cop.shell.session_keys import COMMUNITY_KEY
from cop.shell.text import plain

ROLE_NAMES = {
    Role.FACILITATOR: N_("Facilitator"),
    Role.MEMBER: N_("Member"),
    Role.OBSERVER: N_("Observer"),
}


def role_names(actor: Actor, community_id: int | None) -> list[str]:
    """The actor's roles as the sidebar names them, in English (translated when drawn).

    In the chosen community, its role; with all communities shown, every role
    the actor holds, the strongest first; an administrator is named as such.
    """
    if actor.is_admin:
        return [N_("Administrator")]
    if community_id is not None and community_id in actor.roles:
        return [ROLE_NAMES[actor.roles[community_id]]]
    held = set(actor.roles.values())
    return [ROLE_NAMES[r] for r in ROLE_NAMES if r in held]


def selected_community_id(actor: Actor) -> int | None:
    """The community chosen in the sidebar switcher (None = all my communities)."""
    value = st.session_state.get(COMMUNITY_KEY)
    return int(value) if value not in (None, "", 0) else None


def _keep_community(widget: str) -> None:
    st.session_state[COMMUNITY_KEY] = st.session_state[widget]


WRAP_LINKS = (
    "<style>[data-testid=stMain] [data-testid=stPageLink] a span"
    "{white-space:normal;overflow-wrap:anywhere}</style>"
)


def draw_sidebar(actor: Actor) -> None:
    """Who is signed in, the community switcher and sign-out, on every page."""
    _ = translator(actor.language)
    names = cached_read(_community_names, actor, journal=False)
    labels = {0: _("All my communities")} | names
    if st.session_state.get(COMMUNITY_KEY) not in labels:
        st.session_state[COMMUNITY_KEY] = 0
    # The widget's key carries the language: the browser keeps a selectbox's shown label
    # while its options and label stay the same, so after a switch to German it would
    # still read "All my communities". The choice itself lives under COMMUNITY_KEY.
    widget = f"{COMMUNITY_KEY}_{actor.language}"
    st.session_state[widget] = st.session_state[COMMUNITY_KEY]
    with st.sidebar:
        st.selectbox(
            _("Community"),
            options=list(labels),
            format_func=labels.get,
            key=widget,
            on_change=_keep_community,
            args=(widget,),
        )
        roles = ", ".join(_(r) for r in role_names(actor, selected_community_id(actor)))
        signed_in = (
            _("Signed in as {name} · {role}").format(name=plain(actor.name), role=roles)
            if roles
            else _("Signed in as {name}").format(name=plain(actor.name))
        )
        unread = cached_read(notifications.unread_count, actor, journal=False)
        if unread:  # one caption, not two: every element costs every page run
            signed_in += "  \n:material/notifications: " + _(
                "{n} unread in your inbox (Home)"
            ).format(n=unread)
        st.caption(signed_in)
        st.button(_("Sign out"), on_click=sign_out, key="cop_sign_out", icon=":material/logout:")
        # Streamlit draws a page link's label on one line and cuts it at the edge: on a phone
        # "Study visit to Lisbon · Dec 30, 20" lost its date. Links in the page wrap instead.
        st.html(WRAP_LINKS)
    mark_page_language(actor.language)


def _community_names(session: Session, actor: Actor) -> dict[int, str]:
    """The switcher's choices: the communities the actor belongs to (every one for an administrator).

    Public communities one is not a member of stay readable through lists,
    links and search; offering all of them here made the switcher a list of
    hundreds on a large workspace, redrawn on every run of every page.
    Plain values, cached: reading ORM attributes per option on every run was slow.
    """
    return {
        c.id: c.name
        for c in communities.visible_communities(session, actor)  # type: ignore[misc]
        if actor.is_admin or c.id in actor.roles
    }


def force_password_change(actor: Actor) -> bool:
    """After an admin reset, the temporary password must be replaced before anything else."""
    if not st.session_state.get("cop_must_change_password"):  # read by the gate this run
        return False
    _ = translator(actor.language)
    st.title(_("Choose a new password"))
    st.info(
        _(
            "Your password was reset by an administrator. Please choose your own password to continue."
        )
    )
    with st.form("forced-password-change"):
        current = st.text_input(_("Temporary password"), type="password")
        new = st.text_input(
            _("New password"),
            type="password",
            help=_("At least 12 characters; a passphrase of a few words is easiest."),
        )
        if st.form_submit_button(_("Save password")):
            try:
                with write_session() as session:
                    accounts.change_own_password(session, actor, current, new)
            except ValidationError as exc:
                for message in exc.fields.values():
                    st.error(localize(message, actor.language))
            else:
                renew_sign_in(actor.username)  # this tab goes on, after a reload too
                st.rerun()
    return True
