"""The workshops calendar: a month or a week, moved with Previous / Today / Next.

The chosen view and day stay in the session. On a wide screen the days are a grid of
seven columns; on a phone (the server cannot know the width) the same days are also drawn
as a list of the days that have workshops, plus today, and CSS shows one or the other.
Every workshop links to its page and shows its full title on hover; times are in the
reader's time zone, whose days the calendar shows.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

import streamlit as st

from cop.core import clock
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor
from cop.core.validation import MAX_DATE, MIN_DATE
from cop.shell.formatting import (
    clock_time,
    day_heading,
    format_date,
    local_time,
    month_heading,
    record_link,
    weekday_abbreviations,
)
from cop.shell.forms import read
from cop.shell.lazy import switch
from cop.shell.text import plain
from cop.workshops.labels import FORMAT_LABELS
from cop.workshops.queries import WorkshopRow, month_calendar, week_calendar

MODE_KEY, DAY_KEY = "ws_cal_mode", "ws_cal_day"
MODES = {"month": N_("Month"), "week": N_("Week")}
IN_A_MONTH_CELL = 3  # workshops named in a day of a month (grid and list); the week names them all
# Static CSS only (no user text). Streamlit stacks columns below 640 px: there the grid
# gives way to the day list. Link labels wrap instead of being cut.
CALENDAR_CSS = """<style>
.st-key-ws_cal_list { display: none !important; }
@media (max-width: 640px) {
  .st-key-ws_cal_grid { display: none !important; }
  .st-key-ws_cal_list { display: flex !important; }
}
.st-key-ws_calendar [data-testid="stPageLink"] a { height: auto; }
.st-key-ws_calendar [data-testid="stPageLink"] p {
  white-space: normal; overflow-wrap: anywhere; text-align: left;
}
[data-testid="stColumn"]:has(.st-key-ws_cal_grid_today),
.st-key-ws_cal_list_today {
  outline: 2px solid #c53030; outline-offset: -2px; border-radius: 0.5rem;
  background: rgba(197, 48, 48, 0.06);
}
.st-key-ws_cal_list_today { padding: 0.5rem; }
</style>"""


def _first_day(mode: str, day: date) -> date:
    return day.replace(day=1) if mode == "month" else day - timedelta(days=day.weekday())


def _moved(mode: str, day: date, step: int) -> date:
    """The first day of the next (step 1) or previous (step -1) month or week, kept in range."""
    start = _first_day(mode, day)
    if mode == "month":
        month = start.month - 1 + step
        moved = date(start.year + month // 12, month % 12 + 1, 1)
    else:
        moved = start + timedelta(days=7 * step)
    return min(max(moved, MIN_DATE), MAX_DATE)


def _go(step: int) -> None:
    state = st.session_state
    state[DAY_KEY] = _moved(state.get(MODE_KEY) or "month", state[DAY_KEY], step)


def _go_today(today: date) -> None:
    st.session_state[DAY_KEY] = today


def _open_week(day: date) -> None:
    st.session_state[MODE_KEY] = "week"
    st.session_state[DAY_KEY] = day


def reader_today(actor: Actor) -> date:
    """Today in the reader's time zone: the day the calendar marks."""
    return date.fromisoformat(local_time(clock.now(), actor.time_zone, "%Y-%m-%d"))


def _times(row: WorkshopRow, day: date, actor: Actor) -> str:
    """When the workshop runs on ``day``, in the reader's time zone ("…" where it goes on)."""
    begins = local_time(row.starts_at, actor.time_zone, "%Y-%m-%d") == day.isoformat()
    ends = local_time(row.ends_at, actor.time_zone, "%Y-%m-%d") == day.isoformat()
    start = clock_time(row.starts_at, actor.time_zone, actor.language) if begins else "…"
    end = clock_time(row.ends_at, actor.time_zone, actor.language) if ends else "…"
    return f"{start}–{end}"


def _entry(row: WorkshopRow, day: date, actor: Actor, *, with_time: bool) -> None:
    """A workshop on a day: its full title as a link to it, then when and where."""
    _ = translator(actor.language)
    times = _times(row, day, actor)
    where = row.place or _(FORMAT_LABELS.get(row.format, row.format))
    record_link("workshops", row.title, row.id, help=f"{row.title}\n\n{times} · {where}")
    if with_time:
        st.caption(plain(f"{times} · {where}"))


def calendar_view(actor: Actor, community_id: int | None) -> None:
    """The Month / Week switch, the navigation, and the days with their workshops."""
    _ = translator(actor.language)
    state = st.session_state
    today = reader_today(actor)
    state.setdefault(DAY_KEY, today)
    st.markdown(CALENDAR_CSS, unsafe_allow_html=True)
    mode = switch(_("Calendar view"), {m: _(name) for m, name in MODES.items()}, MODE_KEY, "month")
    anchor: date = state[DAY_KEY]
    with st.container(horizontal=True, vertical_alignment="center", key="ws_cal_nav"):
        st.button(
            _("Previous"),
            icon=":material/chevron_left:",
            on_click=_go,
            args=(-1,),
            key="ws_cal_previous",
        )
        st.button(_("Today"), on_click=_go_today, args=(today,), key="ws_cal_today")
        st.button(
            _("Next"),
            icon=":material/chevron_right:",
            icon_position="right",
            on_click=_go,
            args=(1,),
            key="ws_cal_next",
        )
    if mode == "month":
        days = read(
            month_calendar,
            actor,
            anchor.year,
            anchor.month,
            community_id=community_id,
            reader_language=actor.language,
            cached=True,
        )
        st.subheader(month_heading(anchor.year, anchor.month, actor.language))
    else:
        days = read(
            week_calendar,
            actor,
            anchor,
            community_id=community_id,
            reader_language=actor.language,
            cached=True,
        )
        first, last = min(days), max(days)
        st.subheader(
            _("Week of {first} to {last}").format(
                first=format_date(first, actor.language), last=format_date(last, actor.language)
            )
        )
    with st.container(key="ws_calendar"):
        with st.container(key="ws_cal_grid"):
            if mode == "month":
                _month_grid(actor, anchor, days, today)
            else:
                _week_grid(actor, days, today)
        with st.container(key="ws_cal_list"):
            _day_list(actor, mode, days, today)


def _day_number(day: date, today: date, _: Any) -> str:
    return f"**{day.day}**" + (f" :red-badge[{_('Today')}]" if day == today else "")


def _month_grid(
    actor: Actor, anchor: date, days: dict[date, list[WorkshopRow]], today: date
) -> None:
    _ = translator(actor.language)
    header = st.columns(7)
    for column, name in zip(header, weekday_abbreviations(actor.language), strict=True):
        column.markdown(f"**{name}**")
    for week in calendar.Calendar().monthdatescalendar(anchor.year, anchor.month):
        cells = st.columns(7, border=True)
        for cell, day in zip(cells, week, strict=True):
            if day.month != anchor.month:
                cell.caption(" ")
                continue
            with cell, st.container(key="ws_cal_grid_today" if day == today else None):
                st.markdown(_day_number(day, today, _))
                found = days.get(day, [])
                for row in found[:IN_A_MONTH_CELL]:
                    _entry(row, day, actor, with_time=False)
                _more(actor, day, len(found), "ws_cal_more")


def _more(actor: Actor, day: date, found: int, key: str) -> None:
    """Under a month's day cut at ``IN_A_MONTH_CELL``: how many more, a click shows the week."""
    if found > IN_A_MONTH_CELL:
        _ = translator(actor.language)
        st.button(
            _("and {n} more").format(n=found - IN_A_MONTH_CELL),
            key=f"{key}_{day.isoformat()}",
            type="tertiary",
            on_click=_open_week,
            args=(day,),
            help=_("Show this week"),
        )


def _week_grid(actor: Actor, days: dict[date, list[WorkshopRow]], today: date) -> None:
    _ = translator(actor.language)
    cells = st.columns(7, border=True)
    names = weekday_abbreviations(actor.language)
    for cell, (day, found) in zip(cells, days.items(), strict=True):
        with cell, st.container(key="ws_cal_grid_today" if day == today else None):
            st.markdown(f"**{names[day.weekday()]}** " + _day_number(day, today, _))
            for row in found:
                _entry(row, day, actor, with_time=True)
            if not found:
                st.caption(_("No workshops"))


def _day_list(actor: Actor, mode: str, days: dict[date, list[WorkshopRow]], today: date) -> None:
    """The phone's calendar: the days that have workshops, and today, one under the other."""
    _ = translator(actor.language)
    shown = [day for day, found in days.items() if found or day == today]
    if not any(days.values()):
        st.caption(
            _("No workshops in this month.") if mode == "month" else _("No workshops this week.")
        )
    for day in shown:
        with st.container(key="ws_cal_list_today" if day == today else None):
            label = f"**{day_heading(day, actor.language)}**"
            st.markdown(label + (f" :red-badge[{_('Today')}]" if day == today else ""))
            # A month names three a day, as its grid does; the week names them all.
            found = days[day]
            for row in found[:IN_A_MONTH_CELL] if mode == "month" else found:
                _entry(row, day, actor, with_time=True)
            if mode == "month":
                _more(actor, day, len(found), "ws_cal_list_more")
            if not found:
                st.caption(_("No workshops"))
