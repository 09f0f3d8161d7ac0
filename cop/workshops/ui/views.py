"""The workshops list (filters, paging, exports), the upcoming list, and the workshop form (the calendar: ``calendar``).

Drawn for pages/workshops.py. Every read and write goes through the workshop
services: lists are filtered, paged and counted in SQL, and only the chosen
view runs its query. Buttons follow the permission table as a courtesy; the
services decide.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pyarrow as pa
import streamlit as st
from sqlmodel import Session

from cop.communities import people
from cop.communities import service as communities
from cop.communities.models import Community, OrganisationKind
from cop.core.db import read_session
from cop.core.errors import ValidationError
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor
from cop.core.settings import LIMITS
from cop.core.validation import MAX_DATE, MIN_DATE
from cop.shell.cache import cached_read
from cop.shell.community_picker import pick_community, writable_communities
from cop.shell.downloads import download_link
from cop.shell.formatting import (
    TIME_ZONES,
    display_table,
    local_time,
    record_link,
)
from cop.shell.forms import (
    draw_conflict,
    errors_banner,
    field_error,
    forget,
    localize,
    prefill,
    read,
    submit,
)
from cop.shell.grid import grid, narrowed
from cop.shell.in_place import button_label, open_columns
from cop.shell.lazy import filter_panel, lazy_expander
from cop.shell.text import plain
from cop.workshops import io as workshop_io
from cop.workshops import service as workshops
from cop.workshops.labels import FORMAT_LABELS, KIND_LABELS, STATUS_LABELS
from cop.workshops.models import Workshop
from cop.workshops.queries import SORTS, find_workshops, upcoming_workshops
from cop.workshops.ui.calendar import DAY_KEY, MODE_KEY

PAGE_SIZE = 25
PAGE_KEY = "workshops_page"
SORT_LABELS = {
    "starts_at": N_("Date"),
    "title": N_("Title"),
    "kind": N_("Kind"),
    "status": N_("Status"),
    "community": N_("Community"),
    "updated_at": N_("Last change"),
}


def _choice(labels: dict[str, str], _: Any) -> Any:
    return lambda value: _(labels.get(value, value)) if value else _("Any")


FILTERS: dict[str, Any] = {
    "ws_kind": "",
    "ws_format": "",
    "ws_status": "",
    "ws_host": 0,
    "ws_from": None,
    "ws_to": None,
    "ws_sort": next(iter(SORTS)),
    "ws_desc": True,
}
NEW_FORM = "workshop-new"
# What "Back to the list" puts back: the view, the search, the filters, the page and the month.
LIST_KEYS = ["ws_view", "ws_text", *FILTERS, PAGE_KEY, MODE_KEY, DAY_KEY]


def _filters(actor: Actor, community_id: int | None) -> dict[str, Any]:
    """The search box, and the other filters in a panel drawn only while open (they apply while it is closed)."""
    _ = translator(actor.language)
    text = st.text_input(
        _("Search"),
        key="ws_text",
        placeholder=_("Title, place or objectives"),
        max_chars=LIMITS.search_max,
    )
    panel = filter_panel(_("Filters, sorting and export"), "ws_filters_open", FILTERS)
    if panel is not None:
        with panel:
            cities = {
                c.id: c.name for c in cached_read(people.organisations, kind=OrganisationKind.CITY)
            }
            st.selectbox(
                _("Kind"), ["", *KIND_LABELS], key="ws_kind", format_func=_choice(KIND_LABELS, _)
            )
            st.selectbox(
                _("Format"),
                ["", *FORMAT_LABELS],
                key="ws_format",
                format_func=_choice(FORMAT_LABELS, _),
            )
            st.selectbox(
                _("Status"),
                ["", *STATUS_LABELS],
                key="ws_status",
                format_func=_choice(STATUS_LABELS, _),
            )
            st.selectbox(
                _("Host city"),
                [0, *cities],
                key="ws_host",
                format_func=lambda c: cities.get(c, _("Any")),
            )
            st.date_input(_("From"), min_value=MIN_DATE, max_value=MAX_DATE, key="ws_from")
            st.date_input(_("To"), min_value=MIN_DATE, max_value=MAX_DATE, key="ws_to")
            st.selectbox(
                _("Sort by"), list(SORTS), key="ws_sort", format_func=lambda s: _(SORT_LABELS[s])
            )
            st.toggle(_("Newest / last first"), key="ws_desc")
            st.divider()
            _exports(actor, filters_from_state(community_id, text))
    return filters_from_state(community_id, text)


def filters_from_state(community_id: int | None, text: str) -> dict[str, Any]:
    """The list query's filters, from the search box and the panel's values."""
    state = st.session_state
    return {
        "community_id": community_id,
        "text": text or None,
        "kind": state["ws_kind"] or None,
        "format": state["ws_format"] or None,
        "status": state["ws_status"] or None,
        "host_organisation_id": state["ws_host"] or None,
        "date_from": state["ws_from"],
        "date_to": state["ws_to"],
        "sort": state["ws_sort"],
        "descending": state["ws_desc"],
    }


def _list_page(
    session: Session, actor: Actor, filters: dict[str, Any], page: int
) -> tuple[pa.Table, list[int], int]:
    """One page of the list formatted for the reader, its workshops' ids and the number of
    matches (cached as one read)."""
    _ = translator(actor.language)
    rows, total = find_workshops(
        session, actor, **filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    columns = [
        _("Workshop"),
        _("Title"),
        _("Kind"),
        _("Format"),
        _("Status"),
        _("Starts"),
        _("Community"),
        _("Host"),
        _("Attendees"),
    ]
    shown = [
        dict(
            zip(
                columns,
                (
                    _("Open"),
                    button_label(r.title),
                    _(KIND_LABELS[r.kind]),
                    _(FORMAT_LABELS[r.format]),
                    _(STATUS_LABELS[r.status]),
                    local_time(r.starts_at, actor.time_zone, language=actor.language),
                    r.community,
                    r.host or "",
                    r.attendees,
                ),
                strict=True,
            )
        )
        for r in rows
    ]
    return display_table(shown, columns), [r.id for r in rows], total


def workshop_list(actor: Actor, community: Community | None) -> None:
    """Filters, one page of workshops, a pager, exports, and the forms to record or import."""
    _ = translator(actor.language)
    filters = _filters(actor, community.id if community else None)
    page = int(st.session_state.get(PAGE_KEY, 1))
    try:
        table, ids, total = read(
            _list_page,
            actor,
            filters,
            page,
            reader_language=actor.language,
            cached=True,
            journal=False,
        )
    except ValidationError as exc:
        st.error("\n".join(localize(m, actor.language) for m in exc.fields.values()))
        table, ids, total = display_table([], []), [], 0
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    if page > pages:
        st.session_state[PAGE_KEY] = 1
        st.rerun()
    st.caption(_("{n} workshops and visits").format(n=total))
    grid(
        table,
        _("No workshop or visit matches these filters: change the search or clear the filters.")
        if narrowed(filters)
        else _(
            "No workshops or visits yet: members record them under “Record a workshop or visit”."
        ),
        column_config=open_columns(
            "workshops", LIST_KEYS, ids, {_("Workshop"): "secondary", _("Title"): "tertiary"}
        ),
    )
    if pages > 1:
        st.number_input(
            _("Page (of {pages})").format(pages=pages),
            min_value=1,
            max_value=pages,
            step=1,
            key=PAGE_KEY,
        )
    _new_and_import(actor, community)


def _new_and_import(actor: Actor, chosen: Community | None) -> None:
    """ "Record a workshop or visit" and the import, in the sidebar's community or, under
    "All my communities", in the one the form asks for."""
    _ = translator(actor.language)
    choices = writable_communities(actor, "workshop.create", chosen)
    if choices:
        form = lazy_expander(
            _("Record a workshop or visit"),
            "ws_new_open",
            icon=":material/add:",
            kept=[f"{NEW_FORM}-{field}" for field in FORM_FIELDS] + [f"{NEW_FORM}-community"],
            stay=True,
        )
        if form is not None:
            with form:
                community = pick_community(actor, choices, chosen, f"{NEW_FORM}-community")
                if community is not None:
                    workshop_form(actor, community, NEW_FORM, None)
    choices = writable_communities(actor, "workshop.import", chosen)
    if choices:
        importer = lazy_expander(
            _("Import past workshops (CSV)"), "ws_import_open", icon=":material/upload_file:"
        )
        if importer is not None:
            with importer:
                community = pick_community(actor, choices, chosen, "ws_import_community")
                if community is not None:
                    _import_form(actor, community)


def _exports(actor: Actor, filters: dict[str, Any]) -> None:
    """In the filter panel: the list as the filters show it, each file on one click."""
    _ = translator(actor.language)
    st.caption(_("Export what the filters show"))
    download_link(
        actor, _("Download the list (CSV)"), "workshops.csv", filters, icon=":material/table:"
    )
    download_link(
        actor,
        _("Download for a calendar (.ics)"),
        "workshops.ics",
        filters,
        icon=":material/event:",
    )


def _import_form(actor: Actor, community: Community) -> None:
    _ = translator(actor.language)
    st.caption(
        _(
            "Columns: {columns}. Times are local to the time zone of each row; status is held or closed."
        ).format(columns=", ".join(workshop_io.IMPORT_COLUMNS))
    )
    upload = st.file_uploader(_("CSV file (UTF-8)"), type=["csv"], key="ws_import_file")
    left, right = st.columns(2)
    check, run = (
        left.button(_("Check (nothing is saved)")),
        right.button(_("Import"), type="primary"),
    )
    if not (check or run) or upload is None:
        return
    report = submit(
        "workshop-import",
        workshop_io.import_workshops_csv,
        actor,
        community.id,
        upload.getvalue(),
        dry_run=check,
        reader_language=actor.language,
    )
    if report is None:
        return
    if report.errors:
        st.error(_("Nothing was imported: {n} rows need correcting.").format(n=len(report.errors)))
        st.dataframe(
            [
                {
                    _("Line"): line,
                    _("Field"): field,
                    _("Problem"): localize(message, actor.language),
                }
                for line, fields in report.errors.items()
                for field, message in fields.items()
            ],
            hide_index=True,
            width="stretch",
        )
    elif report.created:
        st.success(_("{n} workshops imported.").format(n=len(report.created)))
    else:
        st.success(
            _("All {n} rows are fine; press Import to save them.").format(n=len(report.rows))
        )
        st.dataframe(
            [
                {
                    _("Line"): r["line"],
                    _("Title"): r["title"],
                    _("Starts"): local_time(
                        r["starts_at"], r["time_zone"], language=actor.language
                    ),
                    _("Status"): _(STATUS_LABELS[r["status"]]),
                }
                for r in report.rows
            ],
            hide_index=True,
            width="stretch",
        )


def upcoming_view(actor: Actor, community_id: int | None) -> None:
    _ = translator(actor.language)
    rows = read(
        upcoming_workshops, actor, 20, community_id=community_id, reader_language=actor.language
    )
    if not rows:
        st.caption(_("No upcoming workshops."))
    for row in rows:
        record_link("workshops", row.title, row.id)
        where = row.place or _(FORMAT_LABELS[row.format])
        st.caption(
            f"{local_time(row.starts_at, actor.time_zone, language=actor.language)} · {plain(where)} · {plain(row.community)}"
        )


FORM_FIELDS = [
    "title",
    "kind",
    "format",
    "start_day",
    "start_time",
    "end_day",
    "end_time",
    "time_zone",
    "place",
    "meeting_link",
    "host_organisation_id",
    "facilitator_ids",
    "objectives",
]


def _form_values(w: Workshop | None, actor: Actor) -> dict[str, Any]:
    zone = w.time_zone if w else actor.time_zone
    starts = w.starts_at.astimezone(workshops.zone_or_utc(zone)) if w else None
    ends = w.ends_at.astimezone(workshops.zone_or_utc(zone)) if w else None
    return {
        "title": w.title if w else "",
        "kind": w.kind if w else "workshop",
        "format": w.format if w else "in_person",
        "start_day": starts.date() if starts else None,
        "start_time": starts.time() if starts else time(10),
        "end_day": ends.date() if ends else None,
        "end_time": ends.time() if ends else time(16),
        "time_zone": zone if zone in TIME_ZONES else None,
        "place": w.place if w else "",
        "meeting_link": w.meeting_link if w else "",
        "host_organisation_id": w.host_organisation_id if w else None,
        "facilitator_ids": list(w.facilitator_ids) if w else [],
        "objectives": w.objectives if w else "",
    }


def workshop_form(actor: Actor, community: Community, key: str, workshop: Workshop | None) -> None:
    """Every field of a workshop: a new one in ``community``, or an edit of ``workshop``."""
    _ = translator(actor.language)
    w = workshop
    initial = _form_values(w, actor)
    version = prefill(key, w.version if w else 0, initial)
    with read_session() as session:
        hosts = {o.id: o.name for o in people.organisations(session)}
        members = {m.person_id: m.name for m in communities.members(session, actor, community.id)}
    st.session_state[f"{key}-facilitator_ids"] = [
        p for p in st.session_state[f"{key}-facilitator_ids"] if p in members
    ]
    draw_conflict(key, actor.language)
    errors_banner(key, actor.language)

    def k(field: str) -> str:
        return f"{key}-{field}"

    with st.form(key):
        st.text_input(_("Title"), key=k("title"))
        field_error(key, "title", actor.language)
        left, right = st.columns(2)
        left.selectbox(
            _("Kind"), list(KIND_LABELS), format_func=lambda x: _(KIND_LABELS[x]), key=k("kind")
        )
        right.selectbox(
            _("Format"),
            list(FORMAT_LABELS),
            format_func=lambda x: _(FORMAT_LABELS[x]),
            key=k("format"),
        )
        row = st.columns(3)
        row[0].date_input(
            _("Start date"), min_value=MIN_DATE, max_value=MAX_DATE, key=k("start_day")
        )
        row[1].time_input(_("Start time"), key=k("start_time"))
        row[2].selectbox(_("Time zone of the place"), TIME_ZONES, key=k("time_zone"))
        field_error(key, "starts_at", actor.language)
        field_error(key, "time_zone", actor.language)
        row = st.columns(3)
        row[0].date_input(_("End date"), min_value=MIN_DATE, max_value=MAX_DATE, key=k("end_day"))
        row[1].time_input(_("End time"), key=k("end_time"))
        field_error(key, "ends_at", actor.language)
        st.text_input(_("Place (in person and hybrid)"), key=k("place"))
        field_error(key, "place", actor.language)
        st.text_input(
            _("Meeting link (online and hybrid)"),
            placeholder="https://",
            key=k("meeting_link"),
        )
        field_error(key, "meeting_link", actor.language)
        st.selectbox(
            _("Host city or organisation"),
            list(hosts),
            format_func=hosts.get,
            key=k("host_organisation_id"),
        )
        field_error(key, "host_organisation_id", actor.language)
        st.multiselect(
            _("Facilitators"), list(members), format_func=members.get, key=k("facilitator_ids")
        )
        field_error(key, "facilitator_ids", actor.language)
        st.text_area(_("Objectives (Markdown)"), height=120, key=k("objectives"))
        field_error(key, "objectives", actor.language)
        saved = st.form_submit_button(_("Save"), type="primary")
    if not saved:
        return
    state = {field: st.session_state[k(field)] for field in initial}
    values = {
        f: state[f]
        for f in (
            "title",
            "kind",
            "format",
            "time_zone",
            "place",
            "meeting_link",
            "host_organisation_id",
            "facilitator_ids",
            "objectives",
        )
    }
    values["starts_at"] = (
        datetime.combine(state["start_day"], state["start_time"]) if state["start_day"] else None
    )
    values["ends_at"] = (
        datetime.combine(state["end_day"], state["end_time"]) if state["end_day"] else None
    )
    if w is None:
        done = submit(
            key,
            workshops.record_workshop,
            actor,
            community_id=community.id,
            reader_language=actor.language,
            **values,
        )
    else:
        done = submit(
            key,
            workshops.update_workshop,
            actor,
            w.id,
            version,
            reader_language=actor.language,
            **values,
        )
        st.session_state[k("version")] = (
            w.version
        )  # after a conflict, saving again applies the kept input
    if done is not None:
        forget(key, list(initial))
        st.query_params["id"] = str(done.id)
        st.rerun()
