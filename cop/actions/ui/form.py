"""The action form: every field of a new action, a sub-action, or an edit of one.

Drawn for pages/actions.py and the action's own page. The form is filled
once from the stored record and keeps the user's input across reruns; a
save states the version it was filled from, so a stale edit is refused with
the other change shown and the input kept.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cop.actions import service as actions
from cop.actions.detail_queries import ActionDetail
from cop.actions.models import Action
from cop.actions.queries import parent_choices
from cop.actions.rules import FIELDS, PRIORITIES
from cop.actions.ui.views import PRIORITY_LABELS
from cop.communities import people
from cop.communities import service as communities
from cop.communities.models import Community
from cop.core.db import read_session
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor
from cop.core.validation import MAX_DATE, MIN_DATE
from cop.shell.forms import draw_conflict, errors_banner, field_error, forget, prefill, submit
from cop.shell.lazy import lazy_expander

MODE_LABELS = {"status": N_("By status and updates"), "milestones": N_("By milestones done")}


def _form_values(
    a: Action | None, detail: ActionDetail | None, parent_id: int | None
) -> dict[str, Any]:
    return {
        "title": a.title if a else "",
        "objective": a.objective if a else "",
        "owner_person_id": a.owner_person_id if a else None,
        "co_owner_ids": [p.id for p in detail.co_owners] if detail else [],
        "organisation_id": a.organisation_id if a else None,
        "partner_ids": [o.id for o in detail.partners] if detail else [],
        "start_date": a.start_date if a else None,
        "due_date": a.due_date if a else None,
        "priority": a.priority if a else "normal",
        "tags": ", ".join(a.tags) if a else "",
        "parent_id": a.parent_id if a else parent_id,
        "progress_mode": a.progress_mode if a else "status",
    }


FORM_FIELDS = list(_form_values(None, None, None))


def folded_action_form(
    actor: Actor,
    community: Community,
    key: str,
    detail: ActionDetail | None,
    label: str,
    icon: str,
    parent_id: int | None = None,
) -> None:
    """``action_form`` under a folded panel that draws it (and runs its three queries) only while open.

    Until first opened, the action page's Edit and "Add a sub-action" forms cost one
    element each instead of twenty elements and three queries on every run (issue 24),
    and most visits never open them. Once opened the form stays drawn, so what the
    person typed and has not saved survives closing the panel.
    """
    panel = lazy_expander(
        label,
        f"{key}-open",
        icon=icon,
        kept=[f"{key}-{field}" for field in FORM_FIELDS],
        stay=True,
    )
    if panel is not None:
        with panel:
            action_form(actor, community, key, detail, parent_id=parent_id)


def action_form(
    actor: Actor,
    community: Community,
    key: str,
    detail: ActionDetail | None,
    parent_id: int | None = None,
) -> None:
    """Every field of an action: a new one in ``community`` (optionally below ``parent_id``), or an edit."""
    _ = translator(actor.language)
    a = detail.action if detail else None
    initial = _form_values(a, detail, parent_id)
    version = prefill(key, a.version if a else 0, initial)
    with read_session() as session:
        members = {m.person_id: m.name for m in communities.members(session, actor, community.id)}
        organisations = {o.id: o.name for o in people.organisations(session)}
        parents = {0: _("None")} | parent_choices(session, actor, community.id, a.id if a else None)
    if a is not None:  # keep the current values choosable even if they left the lists
        members.setdefault(a.owner_person_id, detail.owner.name)  # type: ignore[union-attr]
        if a.parent_id and detail.parent:  # type: ignore[union-attr]
            parents.setdefault(a.parent_id, detail.parent.title)  # type: ignore[union-attr]
    draw_conflict(key, actor.language)
    errors_banner(key, actor.language)

    def k(name: str) -> str:
        return f"{key}-{name}"

    # A new action's community may have been changed above the form: drop the other one's people.
    state = st.session_state
    if any(p not in members for p in state[k("co_owner_ids")]):
        state[k("co_owner_ids")] = [p for p in state[k("co_owner_ids")] if p in members]
    if state[k("owner_person_id")] is not None and state[k("owner_person_id")] not in members:
        state[k("owner_person_id")] = None
    if state[k("parent_id")] is not None and state[k("parent_id")] not in parents:
        state[k("parent_id")] = 0
    with st.form(key):
        st.text_input(_("Title"), key=k("title"))
        field_error(key, "title", actor.language)
        st.text_area(_("Objective (Markdown)"), height=100, key=k("objective"))
        field_error(key, "objective", actor.language)
        left, right = st.columns(2)
        left.selectbox(
            _("Owner"), list(members), format_func=members.get, index=None, key=k("owner_person_id")
        )
        field_error(key, "owner_person_id", actor.language)
        right.multiselect(
            _("Co-owners"), list(members), format_func=members.get, key=k("co_owner_ids")
        )
        field_error(key, "co_owner_ids", actor.language)
        left, right = st.columns(2)
        left.selectbox(
            _("City or organisation leading it"),
            list(organisations),
            format_func=organisations.get,
            index=None,
            key=k("organisation_id"),
            placeholder=_("The owner's own"),
        )
        field_error(key, "organisation_id", actor.language)
        right.multiselect(
            _("Partner organisations"),
            list(organisations),
            format_func=organisations.get,
            key=k("partner_ids"),
        )
        field_error(key, "partner_ids", actor.language)
        row = st.columns(3)
        row[0].date_input(
            _("Start date"), min_value=MIN_DATE, max_value=MAX_DATE, key=k("start_date")
        )
        row[1].date_input(_("Due date"), min_value=MIN_DATE, max_value=MAX_DATE, key=k("due_date"))
        row[2].selectbox(
            _("Priority"),
            PRIORITIES,
            format_func=lambda p: _(PRIORITY_LABELS[p]),
            key=k("priority"),
        )
        for name in ("start_date", "due_date"):
            field_error(key, name, actor.language)
        st.text_input(_("Tags (separated by commas)"), key=k("tags"))
        field_error(key, "tags", actor.language)
        left, right = st.columns(2)
        left.selectbox(_("Part of"), list(parents), format_func=parents.get, key=k("parent_id"))
        field_error(key, "parent_id", actor.language)
        right.radio(
            _("Progress is measured"),
            list(MODE_LABELS),
            format_func=lambda m: _(MODE_LABELS[m]),
            key=k("progress_mode"),
            horizontal=True,
        )
        saved = st.form_submit_button(_("Save"), type="primary")
    if not saved:
        return
    values = {name: st.session_state[k(name)] for name in FIELDS}
    values["parent_id"] = values["parent_id"] or None
    if a is None:
        done = submit(
            key,
            actions.create_action,
            actor,
            community_id=community.id,
            reader_language=actor.language,
            **values,
        )
    else:
        done = submit(
            key,
            actions.update_action,
            actor,
            a.id,
            version,
            reader_language=actor.language,
            **values,
        )
        st.session_state[k("version")] = (
            a.version
        )  # after a conflict, saving again applies the kept input
    if done is not None:
        forget(key, list(initial))
        st.query_params["id"] = str(done.id)
        st.rerun()
