"""Admin console tabs for people: accounts, personal data and invitations.

Every button calls one service through ``submit``; the services decide who
may do what, so these tabs only draw.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from cop.accounts import admin, invitations, personal_data
from cop.accounts import service as accounts
from cop.communities import service as communities
from cop.core.db import read_session
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor
from cop.core.settings import LIMITS
from cop.shell.formatting import local_time
from cop.shell.forms import (
    PAGE_SIZE,
    clear_form,
    errors_banner,
    field_error,
    forget_errors,
    form_errors,
    pager,
    read,
    submit,
    widget_key,
)
from cop.shell.grid import grid
from cop.shell.person_picker import person_picker, pick_person
from cop.shell.text import plain

INVITATION_STATES = {
    "pending": N_("pending"),
    "used": N_("used"),
    "revoked": N_("revoked"),
    "expired": N_("expired"),
}


def _page_of_accounts(actor: Actor, search: str, state: str) -> list[admin.AccountRow]:
    _ = translator(actor.language)
    _first, total = read(
        admin.list_users, actor, search=search, state=state, limit=1, reader_language=actor.language
    )  # type: ignore[misc]
    limit, offset = pager(total, "adm_users_page", PAGE_SIZE, actor.language)
    rows, _count = read(
        admin.list_users,
        actor,
        search=search,
        state=state,
        limit=limit,
        offset=offset,  # type: ignore[misc]
        reader_language=actor.language,
    )
    st.caption(_("{total} accounts").format(total=total))
    return rows


def users_tab(actor: Actor) -> None:
    _ = translator(actor.language)
    states = {
        "all": _("All"),
        "active": _("Active"),
        "inactive": _("Deactivated"),
        "locked": _("Locked"),
    }
    left, right = st.columns([2, 3])
    search = left.text_input(
        _("Search by username, name or e-mail"), key="adm_users_search", max_chars=LIMITS.search_max
    )
    state = (
        right.segmented_control(
            _("Show"), list(states), format_func=states.get, default="all", key="adm_users_state"
        )
        or "all"
    )
    rows = _page_of_accounts(actor, search, state)
    grid(
        [
            {
                _("Username"): r.username,
                _("Name"): r.name,
                _("E-mail"): r.email,
                _("Organisation"): r.organisation,
                _("Admin"): r.is_admin,
                _("Active"): r.active,
                _("Locked"): r.locked,
                _("Must change password"): r.must_change_password,
                _("Last sign-in"): local_time(
                    r.last_login_at, actor.time_zone, language=actor.language
                ),
            }
            for r in rows
        ],
        _("No account matches: change the search or show all accounts."),
    )
    issued = st.session_state.pop("adm_temporary_password", None)
    if issued:
        st.success(
            _(
                "Temporary password for {username} (shown once; it must be changed at the next sign-in):"
            ).format(username=plain(issued[0]))
        )
        st.code(issued[1], language=None)
    if rows:
        _account_actions(actor, rows)
    with st.expander(_("Create an account")):
        _create_account_form(actor)
    with st.expander(_("Anonymise a person")):
        _anonymise_form(actor)


def _account_actions(actor: Actor, rows: list[admin.AccountRow]) -> None:
    _ = translator(actor.language)
    by_id = {r.id: r for r in rows}
    chosen = st.selectbox(
        _("Account"),
        list(by_id),
        key="adm_user_pick",
        format_func=lambda i: f"{by_id[i].username} ({by_id[i].name})",
    )
    row = by_id[chosen]
    cols = st.columns(4)
    if row.active and cols[0].button(
        _("Deactivate"), key="adm_deactivate", icon=":material/block:"
    ):
        if (
            submit("adm-user", admin.deactivate_user, actor, row.id, reader_language=actor.language)
            is not None
        ):
            st.rerun()
    if not row.active and cols[0].button(
        _("Reactivate"), key="adm_reactivate", icon=":material/check_circle:"
    ):
        if (
            submit("adm-user", admin.reactivate_user, actor, row.id, reader_language=actor.language)
            is not None
        ):
            st.rerun()
    if cols[1].button(
        _("Unlock"), key="adm_unlock", icon=":material/lock_open:", disabled=not row.locked
    ):
        if (
            submit("adm-user", admin.unlock_user, actor, row.id, reader_language=actor.language)
            is not None
        ):
            st.rerun()
    if cols[2].button(_("Reset password"), key="adm_reset", icon=":material/key:"):
        password = submit(
            "adm-user", admin.reset_password, actor, row.id, reader_language=actor.language
        )
        if password is not None:
            st.session_state["adm_temporary_password"] = (row.username, password)
            st.rerun()
    field_error("adm-user", "user", actor.language)


def _create_account_form(actor: Actor) -> None:
    _ = translator(actor.language)
    form = "adm-create-user"
    errors_banner(form, actor.language)
    with st.form(form, clear_on_submit=False):
        username = st.text_input(_("Username"), key="adm_new_username")
        field_error(form, "username", actor.language)
        name = st.text_input(_("Name"), key="adm_new_name")
        field_error(form, "name", actor.language)
        email = st.text_input(_("E-mail"), key="adm_new_email")
        field_error(form, "email", actor.language)
        password = st.text_input(
            _("Initial password (must be changed at first sign-in)"),
            type="password",
            key="adm_new_password",
        )
        field_error(form, "password", actor.language)
        is_admin = st.checkbox(_("Administrator of the whole workspace"), key="adm_new_admin")
        chosen = st.form_submit_button(_("Create account"))
    if chosen:
        user = submit(
            form,
            accounts.create_user,
            actor,
            username=username,
            password=password,
            name=name,
            email=email,
            is_admin=is_admin,
            must_change_password=True,
            reader_language=actor.language,
        )
        if user is not None:
            for key in ("adm_new_username", "adm_new_name", "adm_new_email", "adm_new_password"):
                st.session_state.pop(key, None)
            st.toast(_("Created the account {username}.").format(username=plain(user.username)))
            st.rerun()


def _anonymise_form(actor: Actor) -> None:
    _ = translator(actor.language)
    st.caption(
        _(
            "Replaces the name and e-mail, the mentions of the name in texts and the audit values that "
            "name the person; their account is deactivated. Attendance and actions stay, as "
            "\u201cFormer participant\u201d. This cannot be undone."
        )
    )
    person_id = person_picker(actor, "adm_anon")
    if person_id is None:
        return
    sure = st.checkbox(_("I understand that this cannot be undone"), key="adm_anon_sure")
    if st.button(_("Anonymise"), key="adm_anon_go", disabled=not sure, type="primary"):
        person = submit(
            "adm-anonymise",
            personal_data.anonymise_person,
            actor,
            person_id,
            reader_language=actor.language,
        )
        if person is not None:
            st.session_state.pop("adm_anon_search", None)
            st.toast(_("Anonymised as {name}.").format(name=plain(person.name)))
            st.rerun()
    field_error("adm-anonymise", "person", actor.language)


def _workspace_address() -> str:
    """Scheme and host as the admin's browser reached the app, for links in e-mails."""
    url = getattr(st.context, "url", None) or ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def invitations_tab(actor: Actor) -> None:
    _ = translator(actor.language)
    issued = st.session_state.pop("adm_issued_invitation", None)
    if issued:
        st.success(
            _(
                "Send this link to {name}. It works once, for seven days, and is shown only now:"
            ).format(name=plain(issued["name"]))
        )
        st.code(issued["url"], language=None)
        if issued["emailed"]:
            st.info(
                _(
                    "The link is also queued for e-mail and goes out within a minute; "
                    "the E-mail tab lists any that could not be sent."
                )
            )
        elif issued["problem"]:
            st.warning(_(issued["problem"]))
    with read_session() as session:
        options = {c.id: c.name for c in communities.visible_communities(session, actor)}
    if not options:
        st.info(_("Create a community first."))
        return
    st.markdown("**" + _("Invite someone") + "**")
    modes = {"existing": _("A person already in the workspace"), "new": _("Someone new")}
    mode = st.radio(
        _("Who do you invite?"),
        list(modes),
        format_func=modes.get,
        index=1,
        horizontal=True,
        key="adm_inv_mode",
    )
    form = "adm-invite"
    person = None
    if mode == "existing":
        person = pick_person(actor, widget_key(form, "person"), without_account=True)
        field_error(form, "person", actor.language)
    errors_banner(form, actor.language)
    with st.form(form):
        community_id = st.selectbox(
            _("Community"), list(options), format_func=options.get, key="adm_inv_community"
        )
        if mode == "existing":
            # The picked person's own details, shown but not editable: they come from the directory.
            st.text_input(_("Name"), value=person.name if person else "", disabled=True)
            st.text_input(_("E-mail"), value=person.email if person else "", disabled=True)
        else:
            st.text_input(_("Name"), key=widget_key(form, "name"))
            field_error(form, "name", actor.language)
            st.text_input(_("E-mail"), key=widget_key(form, "email"))
            field_error(form, "email", actor.language)
        role = st.selectbox(
            _("Role"), communities.ROLES, format_func=_, index=1, key="adm_inv_role"
        )
        chosen = st.form_submit_button(_("Create invitation link"), type="primary")
    refusal = form_errors(form).get("email")
    if mode == "new" and getattr(refusal, "template", None) == invitations.ALREADY_IN_WORKSPACE:
        st.button(
            _("Choose the person with this e-mail instead"),
            key="adm_inv_offer",
            on_click=_choose_existing,
            args=(form,),
        )
    if chosen:
        if mode == "existing" and person is None:
            st.error(_("Find and choose the person to invite first."), icon=":material/error:")
        else:
            _create_invitation(actor, form, community_id, role, person)
    _invitation_list(actor)


def _choose_existing(form: str) -> None:
    """The typed e-mail belongs to someone already there: look them up under the existing people."""
    st.session_state["adm_inv_mode"] = "existing"
    st.session_state[widget_key(form, "person") + "_search"] = st.session_state.get(
        widget_key(form, "email"), ""
    )
    forget_errors(form)


def _create_invitation(
    actor: Actor, form: str, community_id: int, role: str, person: admin.PersonFound | None
) -> None:
    """A picked person goes by id alone (the service takes their name and e-mail); a new one by what was typed."""
    base = _workspace_address()
    typed = (
        {"person_id": person.person_id}
        if person is not None
        else {
            "name": st.session_state.get(widget_key(form, "name"), ""),
            "email": st.session_state.get(widget_key(form, "email"), ""),
        }
    )
    result = submit(
        form,
        invitations.invite,
        actor,
        community_id=community_id,
        role=role,
        base_url=base,
        reader_language=actor.language,
        **typed,
    )
    if result is not None:
        st.session_state["adm_issued_invitation"] = {
            "name": result.invitation.name,
            "url": base + result.link,
            "emailed": result.emailed,
            "problem": result.email_problem,
        }
        clear_form(form)  # keys move on: the browser draws the fields empty
        st.rerun()


def _invitation_list(actor: Actor) -> None:
    _ = translator(actor.language)
    _rows, total = read(
        invitations.list_invitations, actor, limit=1, reader_language=actor.language
    )  # type: ignore[misc]
    limit, offset = pager(total, "adm_inv_page", PAGE_SIZE, actor.language)
    rows, _total = read(
        invitations.list_invitations,
        actor,
        limit=limit,
        offset=offset,  # type: ignore[misc]
        reader_language=actor.language,
    )
    grid(
        [
            {
                _("Name"): r.name,
                _("E-mail"): r.email,
                _("Community"): r.community,
                _("Role"): _(r.role),
                _("State"): _(INVITATION_STATES.get(r.status, r.status)),
                _("Expires"): local_time(r.expires_at, actor.time_zone, language=actor.language),
            }
            for r in rows
        ],
        _("No invitations yet: invite someone with the form above."),
    )
    pending = {r.id: f"{r.name} \u2192 {r.community}" for r in rows if r.status == "pending"}
    if pending:
        chosen = st.selectbox(
            _("Withdraw an invitation"),
            list(pending),
            format_func=pending.get,
            key="adm_inv_revoke_pick",
        )
        if st.button(_("Withdraw"), key="adm_inv_revoke"):
            if (
                submit(
                    "adm-inv-revoke",
                    invitations.revoke_invitation,
                    actor,
                    chosen,
                    reader_language=actor.language,
                )
                is not None
            ):
                st.rerun()
