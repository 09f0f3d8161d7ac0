"""Home, drawn for pages/home.py: my communities, my due actions, upcoming workshops, inbox, activity.

What the records say is read and formatted in one kept read
(``dashboard.home_overview`` plus formatting), reused until a record changes or
the hour turns, for every tab of the reader; recent activity, which every posted
update adds to, is read on its own. The page is the first one everybody
sees, so it is built from few elements: the communities and their figures
are one table (actions by status as small bars in it), each list one link per
line, the inbox and activity one block of text each; the workspace chart and
marking single notifications read open on request.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pyarrow as pa
import streamlit as st
from sqlmodel import Session

from cop.accounts import notifications
from cop.actions.progress import STATUSES, progress_text
from cop.communities.service import visible_communities
from cop.core import clock
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor
from cop.home import queries as dashboard
from cop.home.queries import CommunityFigures
from cop.shell.cache import cached_read
from cop.shell.charts import show_bars
from cop.shell.formatting import (
    display_table,
    format_date,
    format_month,
    local_time,
    record_link,
)
from cop.shell.forms import localize, submit
from cop.shell.history import activity_line
from cop.shell.lazy import lazy_expander, lazy_popover
from cop.shell.text import plain
from cop.toolkit.service import STATUS_LABELS as CHAPTER_LABELS

SHOWN = 6  # lines per list; the actions and workshops pages hold the rest
ACTION_STATUS = {
    "idea": N_("idea"),
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "dropped": N_("dropped"),
}


# Overdue or due soon is said in words; the icon repeats it in shape, not only in colour.
OVERDUE_ICON = ":material/error:"
DUE_SOON_ICON = ":material/schedule:"


@dataclass
class HomeView:
    """What the home page shows, formatted for one reader."""

    communities: pa.Table | None
    due: list[tuple[str, int, str]] = field(default_factory=list)  # (link label, action id, icon)
    due_total: int = 0
    upcoming: list[tuple[str, int]] = field(default_factory=list)
    inbox: list[tuple[int, str]] = field(default_factory=list)  # (notification id, Markdown line)
    unread_total: int = 0
    per_month: list[dict[str, Any]] = field(default_factory=list)
    months: list[str] = field(default_factory=list)  # the chart's months in calendar order


def _month_label(month: str, language: str) -> str:
    """ "2026-05" (the query's month) as the reader's language writes it."""
    year, number = month.split("-")
    return format_month(int(year), int(number), language)


def home_view(session: Session, actor: Actor, community_id: int | None) -> HomeView:
    """Read the overview once and format it; kept by the page with the reader's language and zone in the key."""
    _ = translator(actor.language)
    o = dashboard.home_overview(session, actor, community_id)
    columns = [
        _("Community"),
        _("Your role"),
        _("Workshops held"),
        _("People"),
        _("Cities and organisations"),
        _("Practices"),
        _("Actions by status"),
        _("Toolkit chapter"),
    ]
    rows = []
    for community in o.mine:
        numbers = o.figures.get(community.id or 0, CommunityFigures())
        role = actor.role_in(community.id)
        statuses = numbers.actions_by_status
        chapter = numbers.chapter_status
        rows.append(
            dict(
                zip(
                    columns,
                    (
                        community.name,
                        _(role.value) if role else _("administrator"),
                        numbers.workshops_held,
                        numbers.people,
                        numbers.organisations,
                        numbers.practices,
                        [statuses.get(s, 0) for s in STATUSES],
                        _(CHAPTER_LABELS.get(chapter, chapter)) if chapter else "",
                    ),
                    strict=True,
                )
            )
        )
    due = [
        (
            " · ".join(
                (
                    row.title,
                    _("overdue") if row.overdue else _("due soon"),
                    format_date(row.due_date, actor.language),
                    row.community,
                    progress_text(row.progress, row.progress_from, _),
                )
            ),
            row.id,
            OVERDUE_ICON if row.overdue else DUE_SOON_ICON,
        )
        for row in o.due
    ]
    upcoming = [
        (
            " · ".join(
                (
                    row.title,
                    local_time(row.starts_at, actor.time_zone, language=actor.language),
                )
            ),
            row.id,
        )
        for row in o.upcoming
    ]
    inbox = [
        (
            note.id,
            f"- **{plain(_(notifications.KINDS.get(note.kind, note.kind)))}**: "
            + plain(localize(notifications.shown(note), actor.language)),
        )
        for note in o.inbox
    ]
    return HomeView(
        communities=display_table(rows, columns) if rows else None,
        due=due[:SHOWN],
        due_total=len(due),
        upcoming=upcoming[:SHOWN],
        inbox=inbox,
        unread_total=o.unread_total,
        per_month=[
            asdict(row) | {"month": _month_label(row.month, actor.language)} for row in o.per_month
        ],
        months=[_month_label(m, actor.language) for m in sorted({r.month for r in o.per_month})],
    )


def activity_view(session: Session, actor: Actor) -> str:
    """Recent activity as HTML lines, every text escaped (cop.shell.history.activity_line)."""
    names = {c.id: c.name for c in visible_communities(session, actor) if c.id is not None}
    return "  \n".join(
        activity_line(actor, entry, names.get(entry.community_id, ""))
        for entry in dashboard.recent_activity(session, actor)
    )


def draw_home(actor: Actor, community_id: int | None) -> None:
    _ = translator(actor.language)
    view: HomeView = cached_read(
        home_view,
        actor,
        community_id,
        varies_with=(clock.now().strftime("%Y-%m-%d %H"),),  # "upcoming" moves
        journal=False,
    )
    _communities(actor, view)
    work_col, news_col = st.columns(2, gap="large")
    with work_col:
        st.subheader(_("My actions due"))
        if not view.due:
            st.caption(_("Nothing overdue or due in the next 14 days."))
        for label, action_id, icon in view.due:
            record_link("actions", label, action_id, icon=icon)
        if view.due_total > len(view.due):
            st.caption(
                _("and {n} more on the actions page").format(n=view.due_total - len(view.due))
            )
        st.subheader(_("Upcoming workshops"))
        if not view.upcoming:
            st.caption(_("No upcoming workshops."))
        for label, workshop_id in view.upcoming:
            record_link("workshops", label, workshop_id)
    with news_col:
        _inbox(actor, view)
        st.subheader(_("Recent activity"))
        activity = cached_read(activity_view, actor)
        if activity:
            st.markdown(activity, unsafe_allow_html=True)  # escaped by activity_line
        else:
            st.caption(_("Nothing happened yet."))


def _communities(actor: Actor, view: HomeView) -> None:
    _ = translator(actor.language)
    st.subheader(_("My communities"))
    if view.communities is None:
        st.info(
            _(
                "You are not a member of any community yet. An administrator or facilitator can invite you."
            )
        )
    else:
        st.dataframe(
            view.communities,
            hide_index=True,
            width="stretch",
            column_config={
                _("Actions by status"): st.column_config.BarChartColumn(
                    help=" · ".join(_(ACTION_STATUS[s]) for s in STATUSES), y_min=0
                ),
            },
        )
    if actor.is_admin:
        across = lazy_expander(
            _("Across the workspace"), "home_across_open", icon=":material/bar_chart:"
        )
        if across is not None:
            with across:
                if view.per_month:
                    show_bars(
                        view.per_month,
                        category="month",
                        value="workshops",
                        color="community",
                        horizontal=False,
                        category_title=_("Month"),
                        value_title=_("Workshops"),
                        sort=view.months,
                        height=260,
                        alt_text=_("Workshops per month and community"),
                        color_title=_("Community"),
                        language=actor.language,
                    )
                else:
                    st.caption(_("No workshops in the past twelve months."))


def _inbox(actor: Actor, view: HomeView) -> None:
    _ = translator(actor.language)
    st.subheader(_("Inbox ({n} unread)").format(n=view.unread_total))
    if not view.inbox:
        st.caption(_("No unread notifications."))
        return
    st.markdown("\n".join(line for _id, line in view.inbox))
    if st.button(_("Mark all read"), icon=":material/done_all:"):
        _mark_read(actor, None)
    one = lazy_popover(_("Mark one read"), "home_inbox_open", icon=":material/mark_email_read:")
    if one is not None:
        for note_id, line in view.inbox:
            if one.button(line.removeprefix("- "), key=f"read-{note_id}", icon=":material/done:"):
                _mark_read(actor, note_id)


def _mark_read(actor: Actor, note_id: int | None) -> None:
    if (
        submit("inbox", notifications.mark_read, actor, note_id, reader_language=actor.language)
        is not None
    ):
        st.rerun()
