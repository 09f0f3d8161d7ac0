"""Stored UTC times in the reader's own time zone; dates and numbers in the reader's language.

Babel's locale data decides the patterns ("12.03.2026, 10:00" in German,
"Mar 12, 2026, 10:00 AM" in English), so a new language needs no code here.

The formatters are pure functions of their arguments and Babel is slow per
call (a list of 25 rows spent longer formatting its dates than drawing), so
their results are memoised.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import pyarrow as pa
from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import (
    format_skeleton,
    format_time,
    get_date_format,
    get_datetime_format,
    get_day_names,
    get_month_names,
)
from babel.numbers import format_decimal

from cop.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, format_day
from cop.core.validation import zone_named
from cop.shell.text import plain

# Every IANA zone the pickers offer, read once: listing them walks tzdata's files (4 ms).
TIME_ZONES = sorted(available_timezones())


@lru_cache(maxsize=16)
def _locale(language: str | None) -> Locale:
    return Locale.parse(language if language in LANGUAGES else DEFAULT_LANGUAGE)


@lru_cache(maxsize=16)
def _zone(time_zone: str) -> ZoneInfo:
    return zone_named(time_zone) or ZoneInfo("UTC")


@lru_cache(maxsize=4096)
def local_time(
    value: datetime | None, time_zone: str, fmt: str | None = None, language: str = DEFAULT_LANGUAGE
) -> str:
    """``value`` in ``time_zone``: the language's date and short time, or a strftime ``fmt``."""
    if value is None:
        return ""
    zone = _zone(time_zone)
    moment = value.astimezone(zone)
    if fmt is not None:
        return moment.strftime(fmt)
    locale = _locale(language)
    day = babel_date(moment, "medium", locale=locale)
    clock_time = format_time(moment, "short", tzinfo=zone, locale=locale)
    pattern = get_datetime_format("medium", locale=locale)  # "{1}, {0}": date, then time
    return pattern.replace("{1}", day).replace("{0}", clock_time)


@lru_cache(maxsize=4096)
def format_date(
    value: date | datetime | None, language: str = DEFAULT_LANGUAGE, time_zone: str | None = None
) -> str:
    """A calendar day (a due date; a stored time's day in ``time_zone``) as the language writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = (value.astimezone(_zone(time_zone)) if time_zone else value).date()
    return format_day(value, language)


_LDML_TO_D3 = {"y": "%Y", "yyyy": "%Y", "MMMM": "%B", "MMM": "%b", "MM": "%m", "M": "%-m"}
_LDML_TO_D3 |= {"dd": "%d", "d": "%-d"}


@lru_cache(maxsize=16)
def chart_date_format(language: str = DEFAULT_LANGUAGE) -> str:
    """``format_date``'s pattern for a chart's axes and tooltips (d3-time-format, which Vega uses).

    Vega writes dates in English ("May 31") unless told; Babel's medium date
    pattern ("dd.MM.y", "MMM d, y") becomes "%d.%m.%Y" / "%b %-d, %Y", so a
    chart shows the day as every table and caption of that language does.
    """
    pattern = get_date_format("medium", locale=_locale(language)).pattern
    parts = re.findall(r"y+|M+|d+|'[^']*'|.", pattern)
    return "".join(
        _LDML_TO_D3.get(part, part.strip("'") if part.startswith("'") else part) for part in parts
    )


@lru_cache(maxsize=4096)
def format_number(value: float | None, language: str = DEFAULT_LANGUAGE) -> str:
    """A count or measure with the language's grouping and decimal signs (12,345.5 / 12.345,5)."""
    if value is None:
        return ""
    return format_decimal(value, locale=_locale(language))


@lru_cache(maxsize=1024)
def format_month(year: int, month: int, language: str = DEFAULT_LANGUAGE) -> str:
    """A month of a year as a chart's label writes it: "May 2026", "Mai 2026"."""
    return str(format_skeleton("yMMM", date(year, month, 1), locale=_locale(language)))


@lru_cache(maxsize=1024)
def month_heading(year: int, month: int, language: str = DEFAULT_LANGUAGE) -> str:
    """A month of a year as a calendar's heading writes it: "December 2026", "Dezember 2026"."""
    return str(format_skeleton("yMMMM", date(year, month, 1), locale=_locale(language)))


@lru_cache(maxsize=1024)
def day_heading(day: date, language: str = DEFAULT_LANGUAGE) -> str:
    """A day with its weekday, as a calendar's day list heads it: "Mon, Dec 7", "Mo., 7. Dez."."""
    return str(format_skeleton("MMMEd", day, locale=_locale(language)))


def clock_time(value: datetime, time_zone: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The time of day of ``value`` in ``time_zone``, as the language writes it ("9:00 AM", "09:00")."""
    zone = _zone(time_zone)
    return str(format_time(value.astimezone(zone), "short", tzinfo=zone, locale=_locale(language)))


def month_name(month: int, language: str = DEFAULT_LANGUAGE) -> str:
    """The month's name on its own (1 = January), as a calendar heading shows it."""
    return str(get_month_names("wide", context="stand-alone", locale=_locale(language))[month])


def weekday_abbreviations(language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Short weekday names from Monday to Sunday, the order of ``calendar.Calendar()`` weeks."""
    names = get_day_names("abbreviated", context="stand-alone", locale=_locale(language))
    return [str(names[day]) for day in range(7)]


PLAIN_LINKS = "cop_plain_links"


def record_link(
    page: str,
    label: str,
    record_id: int | None = None,
    *,
    help: str | None = None,
    icon: str | None = None,
) -> None:
    """A link to a page (and record): in-app navigation when the page is registered,
    otherwise (a page opened on its own, as in AppTest) a plain escaped link.

    ``help`` is shown on hover (as typed, never as Markdown). ``icon`` is a
    shipped Material icon (``:material/warning:``), never an emoji: an emoji
    shows as an empty box where the reader's system has no emoji font."""
    import html
    from urllib.parse import urlencode

    import streamlit as st
    from streamlit.errors import StreamlitAPIException

    query = {"id": str(record_id)} if record_id is not None else None
    if not st.session_state.get(PLAIN_LINKS):
        try:
            st.page_link(
                f"pages/{page}.py",
                label=plain(label),
                query_params=query,
                help=plain(help) if help else None,
                icon=icon,
            )
            return
        except StreamlitAPIException:
            st.session_state[PLAIN_LINKS] = (
                True  # not in a navigation: stop trying (raising is slow)
            )
    href = f"./{page}" + (f"?{urlencode(query)}" if query else "")
    title = f' title="{html.escape(help)}"' if help else ""
    st.markdown(
        f'<a href="{html.escape(href)}" target="_self"{title}>{html.escape(label)}</a>',
        unsafe_allow_html=True,
    )


def opened_record_id() -> str | None:
    """The ``?id=`` of the record this page shows, kept in the address bar.

    Streamlit 1.67 runs a page with the new query of a ``page_link`` to the
    page already shown but leaves the old address; the next rerun (any click
    in the opened record) would then drop the id and close the record. Writing
    the id back makes the address and the run agree.
    """
    import streamlit as st

    record_id = st.query_params.get("id")
    if record_id:
        st.query_params["id"] = record_id
    return record_id or None


def display_table(rows: list[dict[str, Any]], columns: list[str]) -> pa.Table:
    """Rows ready to show, as an Arrow table with these columns (also when there are no rows).

    ``st.dataframe`` sends an Arrow table as it is; a list of dicts went
    through pandas on every run, the costliest step of a list page. Pages
    cache the table with the rows it was made from.
    """
    return pa.table({column: [row.get(column) for row in rows] for column in columns})
