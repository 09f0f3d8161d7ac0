"""One workshop (``?id=``): details, lifecycle, agenda, attendance, outcomes, attachments and history.

Drawn for pages/workshops.py. What the actor may do comes from the service's
``may`` (the permission table plus "a closed workshop is read-only"); the
services check again on every write. User text is shown as sanitised
Markdown, table cells or widget values only.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import streamlit as st

from cop.actions.outcomes import (
    create_action_from_outcome,
    default_action_title,
    outcomes_with_actions,
)
from cop.communities import service as communities
from cop.core import clock
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor
from cop.core.validation import MAX_DATE, MIN_DATE
from cop.practices.queries import practices_seen_at
from cop.shell.confirm import confirmed
from cop.shell.downloads import download_link
from cop.shell.formatting import format_number, local_time, record_link
from cop.shell.forms import (
    clear_form,
    draw_conflict,
    errors_banner,
    field_error,
    forget,
    prefill,
    read,
    submit,
    widget_key,
)
from cop.shell.history import history_table
from cop.shell.in_place import back_to_list
from cop.shell.lazy import lazy_expander, lazy_popover
from cop.shell.lazy_tabs import lazy_tabs
from cop.shell.markdown_editor import markdown_editor
from cop.shell.markdown_editor.mentions import mention_editor
from cop.shell.text import markdown, plain
from cop.workshops import agenda, attachments, attendance, outcomes
from cop.workshops import service as workshops
from cop.workshops.labels import FORMAT_LABELS, KIND_LABELS, STATUS_LABELS
from cop.workshops.queries import WorkshopDetail, workshop_detail, workshop_history
from cop.workshops.ui.views import FORM_FIELDS, workshop_form

TAB_KEY = "workshop-tab"  # with the workshop's id: each workshop opens on its Agenda tab
ROLE_LABELS = {"host": N_("Host"), "speaker": N_("Speaker"), "participant": N_("Participant")}
OUTCOME_LABELS = {"insight": N_("Insight"), "decision": N_("Decision"), "action": N_("Action")}


def _done(session: Any, service: Any, *args: Any, **kwargs: Any) -> bool:
    """Run a service that answers nothing, answering True so the page can tell success from a refusal."""
    service(session, *args, **kwargs)
    return True


def workshop_page(actor: Actor, workshop_id: str) -> None:
    _ = translator(actor.language)
    d = read(workshop_detail, actor, workshop_id, reader_language=actor.language)
    w, may = d.workshop, d.may
    back_to_list(actor, "workshops")
    st.title(plain(w.title))
    st.caption(
        " · ".join(
            (
                _(KIND_LABELS[w.kind]),
                _(FORMAT_LABELS[w.format]),
                _(STATUS_LABELS[w.status]),
                plain(d.community.name),
            )
        )
    )
    when = (
        f"{local_time(w.starts_at, w.time_zone, language=actor.language)} – "
        f"{local_time(w.ends_at, w.time_zone, language=actor.language)} ({w.time_zone})"
    )
    if w.time_zone != actor.time_zone:
        when += " · " + _("your time: {t}").format(
            t=local_time(w.starts_at, actor.time_zone, language=actor.language)
        )
    facts = [
        (_("Place"), w.place),
        (_("Meeting link"), w.meeting_link),
        (_("Host"), d.host.name if d.host else ""),
        (_("Facilitators"), ", ".join(f.name for f in d.facilitators)),
    ]
    # One element, a paragraph each (each was an element of its own); user text escaped.
    st.markdown(
        "\n\n".join(
            [f"**{_('When')}:** {when}"]
            + [plain(f"{label}: {value}") for label, value in facts if value]
        )
    )
    if w.objectives.strip():
        st.markdown(f"**{_('Objectives')}**")
        markdown(w.objectives)
    _practices_seen(actor, w.id)
    if w.status == "closed":
        st.info(
            _("This workshop is closed and read-only; a facilitator can reopen it."),
            icon=":material/lock:",
        )
    _lifecycle(actor, d)
    # Only the open tab is drawn (a tab with a form the actor may fill stays drawn once opened,
    # so typing not yet sent survives a glance at another tab): opening a workshop drew all five.
    forms = [may.edit, may.attend, may.edit or may.create_action, may.attach, False]
    agenda_tab, attendance_tab, outcomes_tab, attachments_tab, past = lazy_tabs(
        [_("Agenda"), _("Attendance"), _("Outcomes"), _("Attachments"), _("History")],
        f"{TAB_KEY}-{w.id}",
        stay=[index for index, form in enumerate(forms) if form],
    )
    for tab, draw in (
        (agenda_tab, _agenda),
        (attendance_tab, _attendance),
        (outcomes_tab, _outcomes),
        (attachments_tab, _attachments),
    ):
        if tab is not None:
            with tab:
                draw(actor, d)
    if past is not None:
        with past:
            entries = read(workshop_history, actor, w.id, reader_language=actor.language)
            history_table(actor, entries or [])
    if may.edit:
        # Drawn only while open: the whole form and its member list were most of this page's run.
        # A form's typed values reach the server only on Save, so closing it loses nothing more.
        edit = lazy_expander(
            _("Edit"),
            f"ws_edit_open-{w.id}",
            icon=":material/edit:",
            kept=[f"workshop-{w.id}-{field}" for field in FORM_FIELDS],
            stay=True,
        )
        if edit is not None:
            with edit:
                workshop_form(actor, d.community, f"workshop-{w.id}", w)
    # The question and its button are drawn only while the popover is open.
    ask = (
        lazy_popover(_("Delete"), f"ws-delete-{w.id}-open", icon=":material/delete:")
        if may.delete
        else None
    )
    if ask is not None:
        with ask:
            st.caption(
                _("The workshop disappears from every list; an administrator can restore it.")
            )
            if st.button(_("Delete this workshop"), key="ws-delete"):
                if submit(
                    "workshop-delete",
                    _done,
                    workshops.delete_workshop,
                    actor,
                    w.id,
                    reader_language=actor.language,
                ):
                    del st.query_params["id"]
                    st.rerun()


def _practices_seen(actor: Actor, workshop_id: int) -> None:
    """The practices presented here, each a link to its page (the practice names the workshop too)."""
    _ = translator(actor.language)
    seen = read(practices_seen_at, actor, workshop_id, reader_language=actor.language) or []
    if not seen:
        return
    st.markdown(f"**{_('Practices seen here')}**")
    for practice in seen:
        record_link("practices", f"{practice.title} ({practice.city})", practice.id)


def _lifecycle(actor: Actor, d: WorkshopDetail) -> None:
    """Mark as held, close with minutes or a report, or reopen."""
    _ = translator(actor.language)
    w, may = d.workshop, d.may
    key = f"workshop-close-{w.id}"
    draw_conflict(key, actor.language)
    if (
        w.status == "planned"
        and may.edit
        and st.button(_("Mark as held"), icon=":material/event_available:")
    ):
        if submit(key, workshops.mark_held, actor, w.id, w.version, reader_language=actor.language):
            st.rerun()
    # Drawn from its first opening on (its two Markdown editors were most of a held
    # workshop's run); what is typed lives in the browser until "Close" sends it.
    closing = (
        lazy_expander(
            _("Close the workshop"), f"ws_close_open-{w.id}", icon=":material/lock:", stay=True
        )
        if w.status == "held" and may.close
        else None
    )
    if closing is not None:
        version = prefill(
            key, w.version, {"minutes": w.minutes, "closing_report": w.closing_report}
        )
        with closing:
            errors_banner(key, actor.language)
            with st.form(key):
                mention_editor(actor, _("Minutes (Markdown)"), w.community_id, key=f"{key}-minutes")
                field_error(key, "minutes", actor.language)
                markdown_editor(
                    _("Closing report (Markdown)"),
                    key=f"{key}-closing_report",
                    language=actor.language,
                )
                field_error(key, "closing_report", actor.language)
                st.caption(_("Add the outcomes first: a closed workshop is read-only."))
                if st.form_submit_button(_("Close"), type="primary"):
                    done = submit(
                        key,
                        workshops.close_workshop,
                        actor,
                        w.id,
                        version,
                        reader_language=actor.language,
                        minutes=st.session_state[f"{key}-minutes"],
                        closing_report=st.session_state[f"{key}-closing_report"],
                    )
                    st.session_state[f"{key}-version"] = w.version
                    if done is not None:
                        forget(key, ["minutes", "closing_report"])
                        st.rerun()
    report = (
        lazy_expander(_("Minutes and closing report"), f"ws_minutes_open-{w.id}")
        if w.status != "planned" and (w.minutes or w.closing_report)
        else None
    )
    if report is not None:
        with report:
            markdown(w.minutes)
            markdown(w.closing_report)
    if may.reopen and st.button(_("Reopen"), icon=":material/lock_open:"):
        if submit(
            key, workshops.reopen_workshop, actor, w.id, w.version, reader_language=actor.language
        ):
            st.rerun()


def _agenda(actor: Actor, d: WorkshopDetail) -> None:
    _ = translator(actor.language)
    items, editable = d.agenda, d.may.edit
    if not items:
        st.caption(_("No agenda yet."))
    if not editable:
        # One list for all the items (a row of elements each was four of them).
        if items:
            st.markdown("\n".join(f"- {plain(_agenda_line(actor, item))}" for item in items))
        return
    last = len(items) - 1
    for index, item in enumerate(items):
        # The item, then its buttons as wide as their labels, in one row ("Move down" was cut
        # to "Move d…" in fixed columns); on a narrow screen the buttons go below.
        row = st.container(horizontal=True, vertical_alignment="center")
        row.text(_agenda_line(actor, item), width="stretch")
        for direction, label, tip, icon, disabled in (
            (
                "up",
                _("Move up"),
                _("Move this item one place earlier"),
                "arrow_upward",
                index == 0,
            ),
            (
                "down",
                _("Move down"),
                _("Move this item one place later"),
                "arrow_downward",
                index == last,
            ),
        ):
            if row.button(
                label,
                key=f"agenda-{direction}-{item.id}",
                help=tip,
                icon=f":material/{icon}:",
                disabled=disabled,
            ):
                if submit(
                    "agenda",
                    agenda.move_agenda_item,
                    actor,
                    item.id,
                    direction,
                    reader_language=actor.language,
                ):
                    st.rerun()
        if confirmed(
            f"agenda-remove-{item.id}",
            _("Remove"),
            _("Remove “{item}” from the agenda? The history keeps a record of it.").format(
                item=plain(item.title)
            ),
            confirm_label=_("Yes, remove it"),
            language=actor.language,
            slot=row,
        ):
            if submit(
                "agenda",
                _done,
                agenda.remove_agenda_item,
                actor,
                item.id,
                reader_language=actor.language,
            ):
                st.rerun()
    errors_banner("agenda", actor.language)
    key = f"agenda-new-{d.workshop.id}"
    errors_banner(key, actor.language)
    # Not cleared on submit: a refused item keeps what was typed; a saved one empties the form.
    with st.form(key):
        row = st.columns([4, 1, 2])
        title = row[0].text_input(_("Agenda item"), key=widget_key(key, "title"))
        with row[0]:
            field_error(key, "title", actor.language)
        length = row[1].number_input(
            _("Minutes"),
            min_value=0,
            max_value=1440,
            value=0,
            step=5,
            key=widget_key(key, "minutes"),
        )
        with row[1]:
            field_error(key, "duration_minutes", actor.language)
        presenter = row[2].text_input(_("Presenter"), key=widget_key(key, "presenter"))
        with row[2]:
            field_error(key, "presenter", actor.language)
        if st.form_submit_button(_("Add to the agenda")):
            if submit(
                key,
                agenda.add_agenda_item,
                actor,
                d.workshop.id,
                title=title,
                duration_minutes=length or None,
                presenter=presenter,
                reader_language=actor.language,
            ):
                clear_form(key)
                st.rerun()


def _agenda_line(actor: Actor, item: Any) -> str:
    _ = translator(actor.language)
    minutes = _("{n} min").format(n=item.duration_minutes) if item.duration_minutes else ""
    return " · ".join(x for x in (item.title, minutes, item.presenter) if x)


def _attendance(actor: Actor, d: WorkshopDetail) -> None:
    _ = translator(actor.language)
    w, summary, may = d.workshop, d.summary, d.may
    counts = st.container(horizontal=True)
    counts.metric(_("Registered"), format_number(summary.registered, actor.language))
    counts.metric(_("Attended"), format_number(summary.attended, actor.language))
    counts.metric(_("Guests"), format_number(summary.guests, actor.language))
    if summary.by_organisation:
        st.dataframe(
            [
                {
                    _("Organisation"): r.organisation or _("(no organisation)"),
                    _("City"): _("yes") if r.kind == "city" else "",
                    _("Registered"): r.registered,
                    _("Attended"): r.attended,
                }
                for r in summary.by_organisation
            ],
            hide_index=True,
            width="stretch",
        )
    if not may.attend:
        # Who came, as one table (a row of elements each was four of them).
        if d.attendance:
            st.dataframe(
                [
                    {
                        _("Name"): row.name,
                        _("Organisation"): row.organisation,
                        _("Role"): _(ROLE_LABELS[row.role])
                        + (" · " + _("guest") if row.guest else ""),
                        _("Attended"): "✓" if row.attended else "",
                    }
                    for row in d.attendance
                ],
                hide_index=True,
                width="stretch",
            )
    for row in d.attendance if may.attend else []:
        line = st.container(horizontal=True, vertical_alignment="center")
        guest = " · " + _("guest") if row.guest else ""
        came = "✓ " if row.attended else ""
        line.text(
            f"{came}{row.name} · {row.organisation} · {_(ROLE_LABELS[row.role])}{guest}",
            width="stretch",
        )
        label = _("Did not come") if row.attended else _("Attended")
        if line.button(label, key=f"attend-{row.id}"):
            if submit(
                "attendance",
                attendance.update_attendance,
                actor,
                row.id,
                row.version,
                role=row.role,
                attended=not row.attended,
                reader_language=actor.language,
            ):
                st.rerun()
        if confirmed(
            f"attend-remove-{row.id}",
            _("Remove"),
            _("Remove {name} from this workshop's attendance?").format(name=plain(row.name)),
            confirm_label=_("Yes, remove it"),
            language=actor.language,
            slot=line,
        ):
            if submit(
                "attendance",
                _done,
                attendance.remove_attendance,
                actor,
                row.id,
                reader_language=actor.language,
            ):
                st.rerun()
    if may.export_attendance and d.attendance:
        download_link(
            actor, _("Download attendance (CSV)"), "attendance.csv", {"workshop_id": w.id}
        )
    if may.attend:
        _add_attendees(actor, d)


def _add_attendees(actor: Actor, d: WorkshopDetail) -> None:
    _ = translator(actor.language)
    w = d.workshop
    listed = {row.person_id for row in d.attendance}
    members = {
        m.person_id: f"{m.name} ({m.organisation})" if m.organisation else m.name
        for m in read(communities.members, actor, w.community_id, reader_language=actor.language)
        if m.person_id not in listed
    }
    roles = list(ROLE_LABELS)
    left, right = st.columns(2)
    key = f"attendee-{w.id}"
    with left.form(key):
        st.markdown(f"**{_('Add a member')}**")
        person = st.selectbox(
            _("Member of the community"),
            list(members),
            format_func=members.get,
            index=None,
            key=widget_key(key, "person"),
        )
        field_error(key, "person_id", actor.language)
        role = st.selectbox(_("Role"), roles, format_func=lambda r: _(ROLE_LABELS[r]), index=2)
        came = st.checkbox(_("Attended"), value=w.status != "planned")
        if st.form_submit_button(_("Add")):
            if submit(
                key,
                attendance.add_attendee,
                actor,
                w.id,
                person_id=person,
                role=role,
                attended=came,
                reader_language=actor.language,
            ):
                clear_form(key)
                st.rerun()
    key = f"guest-{w.id}"
    with right.form(key):
        st.markdown(f"**{_('Add a guest without an account')}**")
        name = st.text_input(_("Name"), key=widget_key(key, "name"))
        field_error(key, "guest_name", actor.language)
        organisation = st.text_input(_("Organisation"), key=widget_key(key, "organisation"))
        field_error(key, "guest_organisation", actor.language)
        role = st.selectbox(_("Role"), roles, format_func=lambda r: _(ROLE_LABELS[r]), index=2)
        came = st.checkbox(_("Attended"), value=w.status != "planned")
        if st.form_submit_button(_("Add guest")):
            if submit(
                key,
                attendance.add_guest,
                actor,
                w.id,
                name=name,
                organisation=organisation,
                role=role,
                attended=came,
                reader_language=actor.language,
            ):
                clear_form(key)
                st.rerun()


def _outcomes(actor: Actor, d: WorkshopDetail) -> None:
    _ = translator(actor.language)
    w, may = d.workshop, d.may
    entries = read(outcomes_with_actions, w.id, reader_language=actor.language) or []
    if not entries:
        st.caption(_("No outcomes yet."))
    members: dict[int | None, str] = {}  # read once, for the first "Create action" opened
    for entry in entries:
        outcome = entry.outcome
        with st.container(border=True):
            st.markdown(f"**{_(OUTCOME_LABELS[outcome.kind])}**")
            markdown(outcome.text)
            if entry.action_id is not None:
                record_link(
                    "actions",
                    _("Action: {title}").format(title=entry.action_title),
                    entry.action_id,
                )
            elif outcome.kind == "action" and may.create_action:
                _create_action(actor, d, outcome, members)
            if may.edit and confirmed(
                f"outcome-remove-{outcome.id}",
                _("Remove"),
                _("Remove this outcome? The history keeps a record of it."),
                confirm_label=_("Yes, remove it"),
                language=actor.language,
            ):
                if submit(
                    "outcomes",
                    _done,
                    outcomes.remove_outcome,
                    actor,
                    outcome.id,
                    reader_language=actor.language,
                ):
                    st.rerun()
    if not may.edit:
        return
    key = f"outcome-new-{w.id}"
    errors_banner(key, actor.language)
    with st.form(key):
        kind = st.radio(
            _("Kind of outcome"),
            list(OUTCOME_LABELS),
            format_func=lambda k: _(OUTCOME_LABELS[k]),
            horizontal=True,
        )
        text = st.text_area(_("Outcome (Markdown)"), height=100, key=widget_key(key, "text"))
        field_error(key, "text", actor.language)
        if st.form_submit_button(_("Add outcome")):
            if submit(
                key,
                outcomes.add_outcome,
                actor,
                w.id,
                kind=kind,
                text=text,
                reader_language=actor.language,
            ):
                clear_form(key)
                st.rerun()


def _create_action(
    actor: Actor, d: WorkshopDetail, outcome: Any, members: dict[int | None, str]
) -> None:
    """The "Create action" popover of an action outcome; its form is drawn from its first
    opening on (typing not yet sent survives closing it), ``members`` read for the first."""
    _ = translator(actor.language)
    key = f"action-from-{outcome.id}"
    form = lazy_popover(_("Create action"), f"{key}-open", icon=":material/add_task:", stay=True)
    if form is None:
        return
    if not members:
        members.update(
            (m.person_id, m.name)
            for m in read(
                communities.members, actor, d.workshop.community_id, reader_language=actor.language
            )
            or []
        )
    with form:
        errors_banner(key, actor.language)
        with st.form(key):
            title = st.text_input(_("Title"), value=default_action_title(outcome.text))
            field_error(key, "title", actor.language)
            owner = st.selectbox(_("Owner"), list(members), format_func=members.get, index=None)
            field_error(key, "owner_person_id", actor.language)
            due = st.date_input(
                _("Due date"),
                value=clock.today() + timedelta(days=90),
                min_value=MIN_DATE,
                max_value=MAX_DATE,
            )
            field_error(key, "due_date", actor.language)
            if st.form_submit_button(_("Create action"), type="primary"):
                if submit(
                    key,
                    create_action_from_outcome,
                    actor,
                    outcome.id,
                    owner_person_id=owner,
                    due_date=due,
                    title=title,
                    reader_language=actor.language,
                ):
                    st.rerun()


def _attachments(actor: Actor, d: WorkshopDetail) -> None:
    _ = translator(actor.language)
    w, may = d.workshop, d.may
    if not d.attachments:
        st.caption(_("No attachments yet."))
    for item in d.attachments:
        row = st.container(horizontal=True, vertical_alignment="center")
        people = " · " + _("shows people (consent confirmed)") if item.shows_people else ""
        row.text(
            f"{item.filename} · {format_number(round(item.size / 1024), actor.language)} KB · {item.caption}{people}",
            width="stretch",
        )
        with row:
            download_link(
                actor,
                _("Download"),
                "attachment",
                {"attachment_id": item.id},
                help=_("Download {name}").format(name=plain(item.filename)),
            )
        if may.attach and confirmed(
            f"attachment-remove-{item.id}",
            _("Remove"),
            _("Remove the attachment {name}?").format(name=plain(item.filename)),
            confirm_label=_("Yes, remove it"),
            language=actor.language,
            slot=row,
        ):
            if submit(
                "attachments",
                _done,
                attachments.remove_attachment,
                actor,
                item.id,
                reader_language=actor.language,
            ):
                st.rerun()
    if not may.attach:
        return
    key = f"attachment-new-{w.id}"
    errors_banner(key, actor.language)
    # Not cleared on submit: after a refusal the file, caption and ticks stay chosen.
    with st.form(key):
        upload = st.file_uploader(
            _("Photo, slides or document (up to 10 MB)"), key=widget_key(key, "file")
        )
        field_error(key, "file", actor.language)
        field_error(key, "filename", actor.language)
        caption = st.text_input(_("Caption"), key=widget_key(key, "caption"))
        field_error(key, "caption", actor.language)
        shows_people = st.checkbox(_("The photo shows people"), key=widget_key(key, "shows_people"))
        consent = st.checkbox(
            _("The people shown agreed to the photo being shared"),
            key=widget_key(key, "consent"),
        )
        field_error(key, "consent_confirmed", actor.language)
        if st.form_submit_button(_("Attach")):
            if submit(
                key,
                attachments.add_attachment,
                actor,
                w.id,
                filename=upload.name if upload else "",
                content=upload.getvalue() if upload else b"",
                caption=caption,
                shows_people=shows_people,
                consent_confirmed=consent,
                reader_language=actor.language,
            ):
                clear_form(key)
                st.rerun()
