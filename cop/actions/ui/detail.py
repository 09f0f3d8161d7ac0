"""One action (``?id=``): its facts, origin, updates timeline, milestones, indicators, sub-actions and history.

Drawn for pages/actions.py. Posting an update ("Post update") is how the status moves from
this page; the update is written in the Markdown editor, which offers the community's members
after ``@`` and two letters (the service notifies whoever is mentioned). What the actor may do comes from the detail's ``may`` (the
permission table plus ownership); the services check again on every write.
User text is shown as sanitised Markdown, table cells or widget values.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cop.actions import detail_queries
from cop.actions import service as actions
from cop.actions import updates as action_updates
from cop.actions.detail_queries import ActionDetail, action_detail
from cop.actions.progress import DRIVEN_BY_CHILDREN, STATUSES, progress_source
from cop.actions.ui.form import folded_action_form
from cop.actions.ui.views import PRIORITY_LABELS, status_label
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.core.validation import MAX_DATE, MIN_DATE
from cop.shell.formatting import format_date, local_time, record_link
from cop.shell.forms import (
    clear_form,
    draw_conflict,
    errors_banner,
    field_error,
    read,
    submit,
    widget_key,
)
from cop.shell.history import history_table
from cop.shell.in_place import back_to_list, button_label, open_columns
from cop.shell.lazy import lazy_popover
from cop.shell.lazy_tabs import lazy_tabs
from cop.shell.markdown_editor.mentions import mention_editor
from cop.shell.text import MarkdownBlock, markdown, plain

TAB_KEY = "action-tab"  # with the action's id: each action opens on its Updates tab
POSTING = "cop_action_posting"  # the action whose "Post update" was pressed, for the next run


def _done(session: Any, service: Any, *args: Any, **kwargs: Any) -> bool:
    """Run a service that answers nothing, answering True so the page can tell success from a refusal."""
    service(session, *args, **kwargs)
    return True


def action_page(actor: Actor, action_id: str) -> None:
    _ = translator(actor.language)
    posting = st.session_state.pop(POSTING, None)
    if posting is not None:
        _post_update(actor, posting)
    d: ActionDetail = read(action_detail, actor, action_id, reader_language=actor.language)
    a = d.action
    back_to_list(actor, "actions")
    st.title(plain(a.title))
    st.caption(
        " · ".join(
            (
                plain(d.community.name),
                status_label(a.status, _),
                _("{level} priority").format(level=_(PRIORITY_LABELS[a.priority])),
            )
        )
    )
    if d.overdue:
        st.warning(
            _("Overdue: it was due on {date}.").format(
                date=format_date(a.due_date, actor.language)
            ),
            icon=":material/schedule:",
        )
    _facts(actor, d)
    # Only the open tab is drawn (a tab with a form the actor may fill stays drawn once opened,
    # so typing not yet sent survives a glance at another tab): opening an action drew all five.
    may = d.may
    forms = [may["post_update"], may["update"], may["update"], may["create"], False]
    updates, milestones, indicators, sub_actions, past = lazy_tabs(
        [_("Updates"), _("Milestones"), _("Indicators"), _("Sub-actions"), _("History")],
        f"{TAB_KEY}-{a.id}",
        stay=[index for index, form in enumerate(forms) if form],
    )
    for tab, draw in (
        (updates, _updates),
        (milestones, _milestones),
        (indicators, _indicators),
        (sub_actions, _sub_actions),
    ):
        if tab is not None:
            with tab:
                draw(actor, d)
    if past is not None:
        with past:
            entries = read(
                detail_queries.action_history, actor, a.id, reader_language=actor.language
            )
            history_table(actor, entries or [])
    if d.may["update"]:
        folded_action_form(actor, d.community, f"action-{a.id}", d, _("Edit"), ":material/edit:")
    # The question and its button are drawn only while the popover is open.
    ask = (
        lazy_popover(_("Delete"), f"action-delete-{a.id}-open", icon=":material/delete:")
        if d.may["delete"]
        else None
    )
    if ask is not None:
        with ask:
            st.caption(
                _("The action disappears from every list and plan; a facilitator can restore it.")
            )
            if st.button(_("Delete this action"), key="action-delete"):
                if submit(
                    "action-delete",
                    _done,
                    actions.delete_action,
                    actor,
                    a.id,
                    reader_language=actor.language,
                ):
                    del st.query_params["id"]
                    st.rerun()


def _facts(actor: Actor, d: ActionDetail) -> None:
    _ = translator(actor.language)
    a = d.action
    source = (d.driven_by, d.driven_count) if d.driven_by else None
    figures = st.container(horizontal=True)  # one block where three columns were four
    # The label says where a roll-up comes from; the figure stays short enough for a phone.
    figures.metric(
        _("Progress (from {source})").format(source=progress_source(source, _))
        if source
        else _("Progress"),
        f"{a.progress} %",
    )
    figures.metric(_("Due"), format_date(a.due_date, actor.language))
    figures.metric(_("Start"), format_date(a.start_date, actor.language) or "—")
    st.progress(a.progress / 100)
    if d.driven_by == DRIVEN_BY_CHILDREN:
        note = _("The progress is the mean of its open and done sub-actions; it cannot be posted.")
    elif d.driven_by:
        note = _("The progress is the share of its milestones done; it cannot be posted.")
    else:
        note = ""
    posted = d.last_posted
    if note and posted is not None and posted.new_progress != a.progress:
        note += " " + _("Last posted: {percent} % on {date}.").format(
            percent=posted.new_progress,
            date=format_date(posted.posted_at, actor.language, actor.time_zone),
        )
    if note:
        st.caption(note)
    facts = [
        (_("Owner"), d.owner.name),
        (_("Co-owners"), ", ".join(p.name for p in d.co_owners)),
        (_("City or organisation"), d.organisation.name if d.organisation else ""),
        (_("Partners"), ", ".join(o.name for o in d.partners)),
        (_("Tags"), ", ".join(a.tags)),
    ]
    # One element, a paragraph each (each was an element of its own); escaped as typed.
    shown = [plain(f"{label}: {value}") for label, value in facts if value]
    if shown:
        st.markdown("\n\n".join(shown))
    if a.objective.strip():
        st.markdown(f"**{_('Objective')}**")
        markdown(a.objective)
    if d.parent is not None:
        record_link("actions", _("Part of: {title}").format(title=d.parent.title), d.parent.id)
    if d.workshop is not None:
        record_link(
            "workshops",
            _("From the workshop: {title}").format(title=d.workshop.title),
            d.workshop.id,
        )
    if d.outcome is not None:
        st.caption(_("Outcome it came from:"))
        markdown(d.outcome.text)


def _updates(actor: Actor, d: ActionDetail) -> None:
    _ = translator(actor.language)
    a = d.action
    if d.may["post_update"]:
        key = f"action-update-{a.id}"
        draw_conflict(key, actor.language)
        errors_banner(key, actor.language)
        # Not clear_on_submit: a refused update keeps what was typed; a posted one empties.
        with st.form(key):
            mention_editor(
                actor,
                _("Update (Markdown)"),
                a.community_id,
                key=widget_key(key, "text"),
                height=100,
                placeholder=_("What happened since the last update?"),
            )
            field_error(key, "text", actor.language)
            row = st.container(horizontal=True)  # one block where two columns were three
            row.selectbox(
                _("New status"),
                [None, *STATUSES],
                index=0,
                format_func=lambda s: (
                    _("Keep {status}").format(status=status_label(a.status, _))
                    if s is None
                    else status_label(s, _)
                ),
                key=widget_key(key, "new_status"),
            )
            row.number_input(
                _("New progress (%)"),
                min_value=0,
                max_value=100,
                value=None,
                step=5,
                disabled=d.driven_by is not None,
                key=widget_key(key, "new_progress"),
            )
            field_error(key, "new_status", actor.language)
            field_error(key, "new_progress", actor.language)
            # Posted at the start of the run the button causes, before the action is read
            # (_post_update): the page then shows the new update and status in that one run,
            # where posting here, below what was already drawn, needed a second run.
            st.form_submit_button(
                _("Post update"), type="primary", on_click=_ask_to_post, args=(a.id,)
            )
    if not d.updates:
        st.caption(_("No updates yet."))
        return
    # Every update, newest first, as ONE element: each was a bordered box, a caption and its
    # text (three elements), so an action a year old cost a hundred elements on every run
    # and every posted update (issue 24). Each piece is escaped or sanitised on its own.
    block = MarkdownBlock()
    for update, author in d.updates:
        moved = []
        if update.new_status:
            moved.append(_("status: {status}").format(status=status_label(update.new_status, _)))
        if update.new_progress is not None:
            moved.append(_("posted {percent} %").format(percent=update.new_progress))
        with block.box():
            block.caption(
                " · ".join(
                    [
                        local_time(update.posted_at, actor.time_zone, language=actor.language),
                        author or _("someone"),
                        *moved,
                    ]
                )
            )
            block.markdown(update.text)
    block.draw()


def _ask_to_post(action_id: int) -> None:
    st.session_state[POSTING] = action_id


def _post_update(actor: Actor, action_id: int) -> None:
    """Post the update form's text, status and progress (as typed when "Post update" was pressed).

    A posted update empties the form; a refused one keeps what was typed and says why
    under each field (``submit`` runs the page again for that).
    """
    key = f"action-update-{action_id}"
    state = st.session_state
    current = read(actions.get_action, actor, action_id, reader_language=actor.language)
    if submit(
        key,
        action_updates.post_update,
        actor,
        action_id,
        text=state.get(widget_key(key, "text"), ""),
        new_status=state.get(widget_key(key, "new_status")),
        new_progress=state.get(widget_key(key, "new_progress")),
        version=current.version,
        reader_language=actor.language,
    ):
        clear_form(key)


def _milestones(actor: Actor, d: ActionDetail) -> None:
    _ = translator(actor.language)
    may = d.may["update"]
    if not d.milestones:
        st.caption(_("No milestones yet."))
    for m in d.milestones:
        left, right = st.columns([6, 1])
        label = plain(m.title) + (
            f" ({format_date(m.due_date, actor.language)})" if m.due_date else ""
        )
        ticked = left.checkbox(
            label, value=m.done, key=f"milestone-{m.id}-{m.version}", disabled=not may
        )
        if may and ticked != m.done:
            if submit(
                "milestones",
                action_updates.update_milestone,
                actor,
                m.id,
                m.version,
                done=ticked,
                reader_language=actor.language,
            ):
                st.rerun()
        if may and right.button(_("Remove"), key=f"milestone-remove-{m.id}"):
            if submit(
                "milestones",
                _done,
                action_updates.remove_milestone,
                actor,
                m.id,
                reader_language=actor.language,
            ):
                st.rerun()
    draw_conflict("milestones", actor.language)
    if not may:
        return
    key = f"milestone-new-{d.action.id}"
    errors_banner(key, actor.language)
    with st.form(key):  # kept after a refusal, emptied after a save
        left, right = st.columns([3, 1])
        title = left.text_input(_("Milestone"), key=widget_key(key, "title"))
        due = right.date_input(
            _("By"),
            value=None,
            min_value=MIN_DATE,
            max_value=MAX_DATE,
            key=widget_key(key, "due_date"),
        )
        field_error(key, "title", actor.language)
        if st.form_submit_button(_("Add milestone")):
            if submit(
                key,
                action_updates.add_milestone,
                actor,
                d.action.id,
                title=title,
                due_date=due,
                reader_language=actor.language,
            ):
                clear_form(key)
                st.rerun()


def _indicators(actor: Actor, d: ActionDetail) -> None:
    _ = translator(actor.language)
    if d.indicators:
        st.dataframe(
            [
                {
                    _("Indicator"): i.name,
                    _("Unit"): i.unit,
                    _("Baseline"): i.baseline,
                    _("Target"): i.target,
                    _("Current"): i.current,
                }
                for i in d.indicators
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(_("No indicators yet."))
    if not d.may["update"]:
        return
    for i in d.indicators:
        key = f"indicator-{i.id}"
        with st.form(key):
            left, right = st.columns([3, 1])
            current = left.text_input(
                _("Current value of {name}").format(name=plain(i.name)),
                value="" if i.current is None else f"{i.current:g}",
            )
            field_error(key, "current", actor.language)
            if right.form_submit_button(_("Save value")):
                if submit(
                    key,
                    action_updates.update_indicator,
                    actor,
                    i.id,
                    i.version,
                    current=current,
                    reader_language=actor.language,
                ):
                    st.rerun()
        draw_conflict(key, actor.language)
    key = f"indicator-new-{d.action.id}"
    errors_banner(key, actor.language)
    with st.form(key):  # kept after a refusal, emptied after a save
        st.markdown(f"**{_('Add an indicator')}**")
        row = st.columns(5)
        labels = {
            "name": _("Name"),
            "unit": _("Unit"),
            "baseline": _("Baseline"),
            "target": _("Target"),
            "current": _("Current"),
        }
        values = {
            name: column.text_input(label, key=widget_key(key, name))
            for column, (name, label) in zip(row, labels.items(), strict=True)
        }
        for name in values:
            field_error(key, name, actor.language)
        if st.form_submit_button(_("Add indicator")):
            if submit(
                key,
                action_updates.add_indicator,
                actor,
                d.action.id,
                reader_language=actor.language,
                **values,
            ):
                clear_form(key)
                st.rerun()


def _sub_actions(actor: Actor, d: ActionDetail) -> None:
    _ = translator(actor.language)
    rows = (
        read(detail_queries.sub_actions, actor, d.action.id, reader_language=actor.language) or []
    )
    if rows:
        st.dataframe(
            [
                {
                    _("Action"): _("Open"),
                    _("Title"): button_label(r.title),
                    _("Status"): status_label(r.status, _),
                    _("Progress"): r.progress,
                    _("Due"): format_date(r.due_date, actor.language),
                    _("Owner"): r.owner,
                }
                for r in rows
            ],
            hide_index=True,
            width="stretch",
            column_config={
                **open_columns(
                    "actions",
                    (),
                    [r.id for r in rows],
                    {_("Action"): "secondary", _("Title"): "tertiary"},
                ),
                _("Progress"): st.column_config.ProgressColumn(
                    min_value=0, max_value=100, format="%d %%"
                ),
            },
        )
    else:
        st.caption(_("No sub-actions."))
    if d.may["create"]:
        folded_action_form(
            actor,
            d.community,
            f"action-sub-{d.action.id}",
            None,
            _("Add a sub-action"),
            ":material/subdirectory_arrow_right:",
            parent_id=d.action.id,
        )
