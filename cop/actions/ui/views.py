"""The actions page's views of many actions: the filtered table and the timeline (the board: ``board/``).

Drawn for pages/actions.py. Lists are filtered, counted and paged in SQL by
the action services; only the open tab runs its queries. Controls follow the
permission table as a courtesy; the services decide. User text reaches the
page only as table cells, widget values or escaped link labels.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st
from sqlmodel import Session

from cop.actions import io as action_io
from cop.actions import queries as action_views
from cop.actions.progress import STATUSES, progress_source, progress_text
from cop.actions.queries import ActionRow
from cop.communities import people
from cop.communities import service as communities
from cop.communities.models import Community
from cop.core import clock
from cop.core.errors import ValidationError
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor
from cop.core.settings import LIMITS
from cop.core.validation import MAX_DATE, MIN_DATE
from cop.shell.cache import cached_read
from cop.shell.community_picker import pick_community, writable_communities
from cop.shell.formatting import chart_date_format, display_table, format_date
from cop.shell.forms import localize, read, submit
from cop.shell.grid import grid, narrowed
from cop.shell.in_place import button_label, open_columns
from cop.shell.lazy import filter_panel, lazy_expander

PAGE_SIZE = 25
PAGE_KEY = "actions_page"
STATUS_LABELS = {
    "idea": N_("Idea"),
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
STATUS_COLOURS = ["#a0aec0", "#4299e1", "#ed8936", "#48bb78", "#718096"]
PRIORITY_LABELS = {"low": N_("Low"), "normal": N_("Normal"), "high": N_("High")}


def status_label(status: str, _: Any) -> str:
    return _(STATUS_LABELS.get(status, status))


FILTERS: dict[str, Any] = {
    "act_status": [],
    "act_city": 0,
    "act_owner": 0,
    "act_tag": "",
    "act_tag_text": "",
    "act_from": None,
    "act_to": None,
    "act_overdue": False,
}
OWNER_KEY = "board_owner"  # the board's own filter
# What "Back to the list" puts back: the tab, the search, the filters, the page, the board's owner.
LIST_KEYS = ["actions_view", "act_text", *FILTERS, PAGE_KEY, OWNER_KEY]


def filters(actor: Actor, community: Community | None) -> dict[str, Any]:
    """The filters shared by the table, the board and the timeline (community: the sidebar's).

    The search box is always there; the others sit in a panel drawn only
    while open, and apply while it is closed.
    """
    _ = translator(actor.language)
    state = st.session_state
    cid = community.id if community else None
    text = st.text_input(
        _("Search"),
        key="act_text",
        placeholder=_("Title or objective"),
        max_chars=LIMITS.search_max,
    )
    tag_key = (
        "act_tag" if cid else "act_tag_text"
    )  # listing every tag in reach is slow: without a community, one types it
    panel = filter_panel(
        _("Filters"), "act_filters_open", FILTERS, uncounted=["act_tag_text" if cid else "act_tag"]
    )
    if panel is not None:
        with panel:
            _filter_widgets(actor, cid)
    return {
        "community_id": cid,
        "text": text or None,
        "status": state["act_status"] or None,
        "organisation_id": state["act_city"] or None,
        "owner_person_id": state["act_owner"] or None,
        "tag": state[tag_key] or None,
        "due_from": state["act_from"],
        "due_to": state["act_to"],
        "overdue": state["act_overdue"],
    }


def _filter_widgets(actor: Actor, cid: int | None) -> None:
    _ = translator(actor.language)
    state = st.session_state
    # Choices are reused until anything is written (data_version).
    cities = {o.id: o.name for o in cached_read(people.organisations)}
    tags = cached_read(action_views.known_tags, actor, cid) if cid else None
    members = (
        {m.person_id: m.name for m in cached_read(communities.members, actor, cid)} if cid else {}
    )
    owners: dict[int, str] = {0: _("Anyone")}
    if actor.person_id is not None:
        owners[actor.person_id] = _("Me")
    owners.update({p: n for p, n in members.items() if p not in owners})
    if state["act_owner"] not in owners:  # chosen in another community
        state["act_owner"] = 0
    st.multiselect(
        _("Status"), STATUSES, key="act_status", format_func=lambda s: status_label(s, _)
    )
    st.selectbox(
        _("City or organisation"),
        [0, *cities],
        key="act_city",
        format_func=lambda o: cities.get(o, _("Any")),
    )
    st.selectbox(_("Owner"), list(owners), key="act_owner", format_func=owners.get)
    if tags is None:
        st.text_input(_("Tag"), key="act_tag_text", max_chars=LIMITS.search_max)
    else:
        if state["act_tag"] not in tags:
            state["act_tag"] = ""
        st.selectbox(_("Tag"), ["", *tags], key="act_tag", format_func=lambda t: t or _("Any"))
    st.date_input(_("Due from"), min_value=MIN_DATE, max_value=MAX_DATE, key="act_from")
    st.date_input(_("Due until"), min_value=MIN_DATE, max_value=MAX_DATE, key="act_to")
    st.toggle(_("Overdue only"), key="act_overdue")


def _latest(row: ActionRow, actor: Actor) -> str:
    latest = row.latest_update
    if not latest:
        return ""
    return f"{format_date(latest.posted_at, actor.language, actor.time_zone)}: {latest.text}"


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return tuple(value) if isinstance(value, list) else value


def _found(actor: Actor, service: Any, **kwargs: Any) -> Any:
    """Run a list query; a bad filter value becomes a message under the filters instead of a stop."""
    try:
        # "Overdue" moves at midnight, so today's date is part of what the list depends on.
        return read(
            service,
            actor,
            reader_language=actor.language,
            cached=True,
            varies_with=(clock.today(),),
            **kwargs,
        )
    except ValidationError as exc:
        st.error("\n".join(localize(m, actor.language) for m in exc.fields.values()))
        return None


def _table_page(
    session: Session, actor: Actor, chosen: dict[str, Any], page: int
) -> tuple[pa.Table, list[int], int]:
    """One page of matching actions formatted for the reader, their ids and the number of
    matches (cached as one read)."""
    _ = translator(actor.language)
    rows, total = action_views.find_actions(
        session, actor, **chosen, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    columns = [
        _("Action"),
        _("Title"),
        _("Status"),
        _("Progress"),
        _("Progress from"),
        _("Due"),
        _("Overdue"),
        _("Owner"),
        _("City or organisation"),
        _("Community"),
        _("Priority"),
        _("Tags"),
        _("Latest update"),
    ]
    shown = [
        dict(
            zip(
                columns,
                (
                    _("Open"),
                    button_label(r.title),
                    status_label(r.status, _),
                    r.progress,
                    progress_source(r.progress_from, _),
                    format_date(r.due_date, actor.language),
                    "⚠️" if r.overdue else "",
                    r.owner,
                    r.city or "",
                    r.community,
                    _(PRIORITY_LABELS.get(r.priority, r.priority)),
                    ", ".join(r.tags),
                    _latest(r, actor),
                ),
                strict=True,
            )
        )
        for r in rows
    ]
    return display_table(shown, columns), [r.id for r in rows], total


def table_view(actor: Actor, community: Community | None, chosen: dict[str, Any]) -> None:
    """One page of matching actions with their latest update, a pager, export and import."""
    _ = translator(actor.language)
    page = int(st.session_state.get(PAGE_KEY, 1))
    found = _found(actor, _table_page, chosen=chosen, page=page)
    table, ids, total = found if found is not None else (display_table([], []), [], 0)
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    if page > pages:
        st.session_state[PAGE_KEY] = 1
        st.rerun()
    st.caption(_("{n} actions").format(n=total))
    grid(
        table,
        _("No action matches these filters: change the search or clear the filters.")
        if narrowed(chosen)
        else _("No actions yet: members add them under “New action” below."),
        column_config={
            **open_columns(
                "actions", LIST_KEYS, ids, {_("Action"): "secondary", _("Title"): "tertiary"}
            ),
            _("Progress"): st.column_config.ProgressColumn(
                min_value=0, max_value=100, format="%d %%"
            ),
        },
    )
    if pages > 1:
        st.number_input(
            _("Page (of {pages})").format(pages=pages),
            min_value=1,
            max_value=pages,
            step=1,
            key=PAGE_KEY,
        )
    _export_and_import(actor, community)


def _export_and_import(actor: Actor, chosen: Community | None) -> None:
    """One panel: one exports a community's actions, edits the file, and imports it here.

    Under "All my communities" the export asks for the community; the import needs none
    (each row names its action).
    """
    _ = translator(actor.language)
    exports = writable_communities(actor, "action.export", chosen)
    imports = bool(writable_communities(actor, "action.import", chosen))
    if not (exports or imports):
        return
    panel = lazy_expander(
        _("Export and import (CSV)"), "act_csv_open", icon=":material/import_export:"
    )
    if panel is None:
        return
    with panel:
        community = pick_community(actor, exports, chosen, "act_export_community")
        if community is not None and st.button(
            _("Export the community's actions as CSV"), icon=":material/table:"
        ):
            data = read(
                action_io.export_actions_csv, actor, community.id, reader_language=actor.language
            )
            st.download_button(
                _("Download CSV"),
                data,
                file_name=f"actions-{community.slug}.csv",
                mime="text/csv",
                on_click="ignore",
            )
        if imports:
            _import_form(actor)


def _import_form(actor: Actor) -> None:
    _ = translator(actor.language)
    st.caption(
        _(
            "Edit status, progress, dates, title, priority or tags of an export and load it here. "
            "Nothing is saved while any row has a problem."
        )
    )
    upload = st.file_uploader(_("CSV file (UTF-8)"), type=["csv"], key="act_import_file")
    left, right = st.columns(2)
    check, run = (
        left.button(_("Check (nothing is saved)")),
        right.button(_("Import"), type="primary"),
    )
    if not (check or run) or upload is None:
        return
    service = action_io.preview_actions_import if check else action_io.apply_actions_import
    preview = submit(
        "action-import", service, actor, upload.getvalue(), reader_language=actor.language
    )
    if preview is None:
        return
    if not preview.ok:
        st.error(
            _("Nothing was imported: {n} problems need correcting.").format(
                n=len(preview.problems())
            )
        )
        st.dataframe(
            [
                {
                    _("Line"): line,
                    _("Field"): field,
                    _("Problem"): localize(message, actor.language),
                }
                for line, field, message in preview.problems()
            ],
            hide_index=True,
            width="stretch",
        )
        return
    if preview.applied:
        st.success(_("{n} actions changed.").format(n=len(preview.changed)))
    else:
        st.success(
            _("All {n} rows are fine; {c} would change. Press Import to save.").format(
                n=len(preview.rows), c=len(preview.changed)
            )
        )
    st.dataframe(
        [
            {
                _("Line"): r.line,
                _("Action"): r.action_id,
                _("Title"): r.title,
                _("Field"): name,
                _("Was"): str(old),
                _("Becomes"): str(new),
            }
            for r in preview.changed
            for name, (old, new) in r.changes.items()
        ],
        hide_index=True,
        width="stretch",
    )


def timeline_view(actor: Actor, chosen: dict[str, Any]) -> None:
    """Start-to-due bars of the filtered actions, coloured by status (at most 300, soonest due first)."""
    _ = translator(actor.language)
    found = _found(actor, action_views.timeline, **chosen)
    if found is None:
        return
    rows, total = found
    if not rows:
        st.info(_("No actions match the filters."))
        return
    if total > len(rows):
        st.caption(
            _(
                "The {n} due first of {total} matching actions are shown; narrow the filters to see others."
            ).format(n=len(rows), total=total)
        )
    frame = pd.DataFrame(
        [
            {
                "action": f"{r.title} (#{r.id})",
                "start": pd.Timestamp(r.start),
                "due": pd.Timestamp(r.due_date),
                "status": status_label(r.status, _),
                "progress": progress_text(r.progress, r.progress_from, _),
                "owner": r.owner,
            }
            for r in rows
        ]
    )
    labels = [status_label(s, _) for s in STATUSES]
    day = chart_date_format(actor.language)
    tooltip = [
        alt.Tooltip("action:N", title=_("Action")),
        alt.Tooltip("owner:N", title=_("Owner")),
        alt.Tooltip("status:N", title=_("Status")),
        alt.Tooltip("progress:N", title=_("Progress")),
        alt.Tooltip("start:T", title=_("Start"), format=day),
        alt.Tooltip("due:T", title=_("Due"), format=day),
    ]
    colour = alt.Color(
        "status:N", title=_("Status"), scale=alt.Scale(domain=labels, range=STATUS_COLOURS)
    )
    # One band of fixed height per action, every label drawn (Vega otherwise drops labels it
    # thinks overlap: every other row had none).
    row = alt.Y(
        "action:N", title=None, sort=None, axis=alt.Axis(labelLimit=220, labelOverlap=False)
    )
    base = alt.Chart(frame).encode(y=row, color=colour, tooltip=tooltip)
    bars = base.mark_bar(cornerRadius=3).encode(
        x=alt.X("start:T", title=_("Start"), axis=alt.Axis(format=day)), x2="due:T"
    )
    # A mark on the due date, so an action due the day it starts (no length) is still seen.
    due = base.mark_tick(thickness=3, size=16).encode(x=alt.X("due:T", axis=alt.Axis(format=day)))
    chart = alt.layer(bars, due).properties(height=alt.Step(24))
    st.altair_chart(chart, width="stretch")
