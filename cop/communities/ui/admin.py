"""Admin console tabs for communities: memberships and roles, spreadsheet import, and the audit log."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cop.accounts import admin
from cop.communities import onboarding
from cop.communities import service as communities
from cop.core.db import read_session
from cop.core.errors import CopError, ValidationError
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor, Visibility
from cop.core.settings import LIMITS
from cop.shell.forms import (
    PAGE_SIZE,
    clear_form,
    draw_conflict,
    error_text,
    errors_banner,
    field_error,
    localize,
    pager,
    read,
    submit,
    widget_key,
)
from cop.shell.grid import grid
from cop.shell.history import history_table
from cop.shell.person_picker import person_picker
from cop.shell.text import plain

# What the import preview says of each row's person and membership.
PLAN_WORDS = {"new": N_("new"), "existing": N_("existing")}


def _community_choice(actor: Actor, key: str, *, everything: str | None = None) -> int | None:
    _ = translator(actor.language)
    with read_session() as session:
        options: dict[int, str] = {
            c.id: c.name
            for c in communities.visible_communities(  # type: ignore[misc]
                session, actor, include_archived=True
            )
        }
    if everything is not None:
        options = {0: everything} | options
    if not options:
        st.info(_("There is no community yet."))
        return None
    chosen = st.selectbox(_("Community"), list(options), format_func=options.get, key=key)
    return chosen or None


def memberships_tab(actor: Actor) -> None:
    _ = translator(actor.language)
    community_id = _community_choice(actor, "adm_members_community")
    if community_id is not None:
        rows = read(communities.members, actor, community_id, reader_language=actor.language) or []
        grid(
            [
                {
                    _("Name"): r.name,
                    _("Organisation"): r.organisation,
                    _("Role"): _(r.role),
                }
                for r in rows
            ],
            _("This community has no members yet: add one below."),
        )
        draw_conflict("adm-membership", actor.language)
        if rows:
            _change_membership(actor, rows)
        st.markdown("**" + _("Add a member") + "**")
        # Keys move on after a save, so the search box empties in the browser too.
        person_id = person_picker(actor, widget_key("adm-member-add", "person"))
        role = st.selectbox(
            _("Role"), communities.ROLES, format_func=_, index=1, key="adm_member_add_role"
        )
        if person_id is not None and st.button(_("Add"), key="adm_member_add_go"):
            if (
                submit(
                    "adm-membership",
                    communities.add_member,
                    actor,
                    community_id,
                    person_id,
                    role,
                    reader_language=actor.language,
                )
                is not None
            ):
                clear_form("adm-member-add")
                st.rerun()
        field_error("adm-membership", "person", actor.language)
    with st.expander(_("Create a community")):
        _create_community_form(actor)


def _change_membership(actor: Actor, rows: list[communities.Member]) -> None:
    _ = translator(actor.language)
    by_id = {r.membership_id: r for r in rows}
    left, middle, right = st.columns([3, 2, 2])
    chosen = left.selectbox(
        _("Member"),
        list(by_id),
        key="adm_member_pick",
        format_func=lambda i: f"{by_id[i].name} ({_(by_id[i].role)})",
    )
    row = by_id[chosen]
    role = middle.selectbox(
        _("New role"),
        communities.ROLES,
        format_func=_,
        key="adm_member_role",
        index=communities.ROLES.index(row.role),
    )
    if right.button(_("Change role"), key="adm_member_change"):
        if (
            submit(
                "adm-membership",
                communities.change_role,
                actor,
                chosen,
                row.membership_version,
                role,
                reader_language=actor.language,
            )
            is not None
        ):
            st.rerun()
    if right.button(_("Remove from community"), key="adm_member_remove"):
        removed = submit(
            "adm-membership",
            lambda session: communities.remove_member(session, actor, chosen) or True,
            reader_language=actor.language,
        )
        if removed:
            st.rerun()


def _create_community_form(actor: Actor) -> None:
    _ = translator(actor.language)
    form = "adm-community"
    errors_banner(form, actor.language)
    visibilities = {
        Visibility.WORKSPACE.value: _("Every signed-in user may read it"),
        Visibility.PRIVATE.value: _("Members only"),
    }
    with st.form(form):
        name = st.text_input(_("Name"), key="adm_community_name")
        field_error(form, "name", actor.language)
        slug = st.text_input(_("Short name (used in commands)"), key="adm_community_slug")
        field_error(form, "slug", actor.language)
        theme = st.text_input(_("Theme"), key="adm_community_theme")
        visibility = st.radio(
            _("Visibility"),
            list(visibilities),
            format_func=visibilities.get,
            key="adm_community_visibility",
        )
        chosen = st.form_submit_button(_("Create community"))
    if (
        chosen
        and submit(
            form,
            communities.create_community,
            actor,
            name=name,
            slug=slug,
            theme=theme,
            visibility=visibility,
            reader_language=actor.language,
        )
        is not None
    ):
        for key in ("adm_community_name", "adm_community_slug", "adm_community_theme"):
            st.session_state.pop(key, None)
        st.rerun()


def import_tab(actor: Actor) -> None:
    _ = translator(actor.language)
    st.caption(
        _(
            "Columns of the first row: name (required), email, organisation, organisation_kind, country "
            "(two letters), role. People get accounts later, through invitations."
        )
    )
    community_id = _community_choice(actor, "adm_import_community")
    upload = st.file_uploader(
        _("Spreadsheet (.xlsx or .csv in UTF-8)"), type=["csv", "xlsx"], key="adm_import_file"
    )
    if community_id is None or upload is None:
        return
    data, filename = upload.getvalue(), upload.name
    if st.session_state.pop("adm_import_done", False):
        st.success(_("Imported."))
        return
    try:
        with read_session() as session:
            plan = onboarding.preview_import(session, actor, community_id, filename, data)
    except ValidationError as exc:
        st.error(localize(exc.fields.get("file", str(exc)), actor.language))
        return
    except CopError as exc:
        st.error(plain(error_text(exc, actor.language)))
        return
    st.write(
        _(
            "{orgs} new organisation(s), {people} new person(s), {members} new membership(s)."
        ).format(
            orgs=len(plan.new_organisations), people=plan.new_people, members=plan.new_memberships
        )
    )
    if plan.ignored_columns:
        st.caption(_("Ignored columns: {columns}").format(columns=", ".join(plan.ignored_columns)))
    if plan.problems:
        st.error(
            _(
                "{count} problem(s): correct the file and upload it again. Nothing will be imported until "
                "every row is right."
            ).format(count=len(plan.problems))
        )
        st.dataframe(
            [
                {
                    _("Row"): p.row,
                    _("Field"): p.field,
                    _("Problem"): localize(p.message, actor.language),
                }
                for p in plan.problems
            ],
            hide_index=True,
            width="stretch",
        )
    st.dataframe(
        [
            {
                _("Row"): r.row,
                _("Name"): r.name,
                _("E-mail"): r.email,
                _("Organisation"): r.organisation,
                _("Role"): _(r.role),
                _("Person"): _(PLAN_WORDS.get(r.person, r.person)),
                _("Membership"): _(PLAN_WORDS.get(r.membership, r.membership)),
                _("Note"): _(r.note) if r.note else "",
            }
            for r in plan.rows
        ],
        hide_index=True,
        width="stretch",
    )
    if plan.can_apply and st.button(_("Import everything"), key="adm_import_go", type="primary"):
        if (
            submit(
                "adm-import",
                onboarding.apply_import,
                actor,
                community_id,
                filename,
                data,
                reader_language=actor.language,
            )
            is not None
        ):
            st.session_state["adm_import_done"] = True
            st.rerun()
    field_error("adm-import", "file", actor.language)


def audit_tab(actor: Actor) -> None:
    _ = translator(actor.language)
    cols = st.columns(4)
    who = cols[0].text_input(_("Who (username)"), key="adm_audit_who", max_chars=LIMITS.search_max)
    what = cols[1].text_input(
        _("What (e.g. user. or workshop.close)"), key="adm_audit_what", max_chars=64
    )
    since: date | None = cols[2].date_input(_("From"), value=None, key="adm_audit_since")  # type: ignore[assignment]
    until: date | None = cols[3].date_input(_("Until"), value=None, key="adm_audit_until")  # type: ignore[assignment]
    community_id = _community_choice(actor, "adm_audit_community", everything=_("All communities"))
    filters = {
        "who": who,
        "what": what,
        "since": since,
        "until": until,
        "community_id": community_id,
    }
    if since and until and until < since:
        st.error(_("The end of the period must not be before the start."))
        return
    _rows, total = read(admin.audit_log, actor, limit=1, reader_language=actor.language, **filters)  # type: ignore[misc]
    limit, offset = pager(total, "adm_audit_page", PAGE_SIZE, actor.language)
    entries, _total = read(
        admin.audit_log_entries,
        actor,
        limit=limit,
        offset=offset,  # type: ignore[misc]
        reader_language=actor.language,
        **filters,
    )
    st.caption(_("{total} events").format(total=total))
    history_table(actor, entries or [])
