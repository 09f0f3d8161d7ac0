"""The map page: member cities, partners, workshops and study visits (lines from the host to the
cities that came) and practices on a shipped outline of Europe, for the sidebar's community and
a chosen year. A click on a workshop or practice opens it in this tab; a click on a city or
partner shows what it takes part in, here. Below the chart the same places as a table.

The page file only guards and calls ``draw_map_page``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import streamlit as st
from babel import Locale
from sqlmodel import Session

from cop.communities.people import KIND_LABELS
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.map import chart
from cop.map.queries import MapData, Place, map_data
from cop.map.web import outline_address
from cop.shell.formatting import format_date, format_number, record_link
from cop.shell.forms import read
from cop.shell.grid import grid
from cop.shell.sidebar import selected_community_id
from cop.shell.text import plain
from cop.workshops.labels import KIND_LABELS as WORKSHOP_KINDS

YEAR_KEY = "map_year"
PICKED = "map_picked_place"


def _legend(_: Any) -> dict[str, str]:
    return {
        "city": _("Member city"),
        "partner": _("Partner organisation"),
        "workshop": _("Workshop"),
        "study_visit": _("Study visit or exchange"),
        "practice": _("Practice"),
    }


# Past this many records at one place, its records of a kind become one mark saying how many:
# marks on rings around a busy host would cover the neighbouring countries (a large workspace
# hosts hundreds of workshops in one city) and the browser would draw tens of thousands of them.
SPREAD_AT_MOST = 12
# The routes drawn: the most travelled of them (a line per host and city that came).
LINES_AT_MOST = 400
# The records table lists the newest this many; a year or a community narrows it further.
# A table of a thousand rows is scrolled, not read, and on the large workspace it was 232 kB
# of every run of the map (issue 24); a quarter of that is still ten screens of records.
RECORDS_AT_MOST = 250
# A place's card names this many of its workshops and practices per heading, then how many more.
CARD_AT_MOST = 20


# A mark's tooltip names this many of its place's communities, then how many more.
COMMUNITIES_NAMED = 3


def _communities(names: tuple[str, ...], _: Any) -> str:
    """A place's communities for its marks: a city of a large workspace is in dozens."""
    if len(names) <= COMMUNITIES_NAMED:
        return ", ".join(names)
    return _("{names} and {n} more").format(
        names=", ".join(names[:COMMUNITIES_NAMED]), n=len(names) - COMMUNITIES_NAMED
    )


def _mark_kind(event_kind: str) -> str:
    return "study_visit" if event_kind in ("study_visit", "staff_exchange") else "workshop"


def _marks(actor: Actor, data: MapData) -> tuple[list[dict], list[dict], int]:
    """The chart's marks and lines from the read, and how many routes there are in all.

    Places without coordinates are in the table only. A place with more than
    ``SPREAD_AT_MOST`` records shows each kind with more than one record as one mark with
    its number (a click shows the place's card); a city that came is joined to its host by
    one line, however often its people came.
    """
    _ = translator(actor.language)
    by_id = {p.id: p for p in data.places if p.placed}
    marks: list[dict] = []
    around: dict[int, int] = {}
    for place in by_id.values():
        marks.append(
            {
                "lat": place.latitude,
                "lon": place.longitude,
                "kind": "city" if place.is_city else "partner",
                "name": place.name,
                "what": _(KIND_LABELS.get(place.kind, place.kind)),
                "when": "",
                "community": _communities(place.communities, _),
                "target": f"place:{place.id}",
            }
        )

    def spot(place: Place) -> tuple[float, float]:
        index = around.get(place.id, 0)
        around[place.id] = index + 1
        return chart.around(place.latitude or 0.0, place.longitude or 0.0, index)

    at_place: Counter[int] = Counter(e.host_id for e in data.events if e.host_id in by_id)
    at_place.update(p.organisation_id for p in data.practices if p.organisation_id in by_id)
    busy = {place_id for place_id, n in at_place.items() if n > SPREAD_AT_MOST}
    grouped: Counter[tuple[int, str]] = Counter(
        (e.host_id, _mark_kind(e.kind)) for e in data.events if e.host_id in busy
    )
    grouped.update(
        (p.organisation_id, "practice") for p in data.practices if p.organisation_id in busy
    )
    grouped_names = {
        "workshop": _("{n} workshops · {place}"),
        "study_visit": _("{n} study visits and exchanges · {place}"),
        "practice": _("{n} practices · {place}"),
    }
    for (place_id, kind), number in grouped.items():
        if number < 2:
            continue  # a single record of its kind is drawn as itself below
        place = by_id[place_id]
        lat, lon = spot(place)
        marks.append(
            {
                "lat": lat,
                "lon": lon,
                "kind": kind,
                "name": grouped_names[kind].format(
                    n=format_number(number, actor.language), place=place.name
                ),
                "what": _("Click to see them"),
                "when": "",
                "community": _communities(place.communities, _),
                "target": f"place:{place.id}",
            }
        )

    routes: dict[tuple[int, int], list[str]] = {}
    for event in data.events:
        host = by_id.get(event.host_id)
        if host is None:
            continue
        for visitor_id in event.visitor_ids:
            if visitor_id in by_id:
                routes.setdefault((host.id, visitor_id), []).append(event.title)
        if grouped[(host.id, _mark_kind(event.kind))] > 1:
            continue
        lat, lon = spot(host)
        marks.append(
            {
                "lat": lat,
                "lon": lon,
                "kind": _mark_kind(event.kind),
                "name": event.title,
                "what": _(WORKSHOP_KINDS.get(event.kind, event.kind)) + " · " + host.name,
                "when": format_date(event.starts_at, actor.language, event.time_zone),
                "community": event.community,
                "target": f"workshop:{event.id}",
            }
        )
    for practice in data.practices:
        city = by_id.get(practice.organisation_id)
        if city is None or grouped[(city.id, "practice")] > 1:
            continue
        lat, lon = spot(city)
        marks.append(
            {
                "lat": lat,
                "lon": lon,
                "kind": "practice",
                "name": practice.title,
                "what": _("Practice") + " · " + city.name,
                "when": "",
                "community": practice.community,
                "target": f"practice:{practice.id}",
            }
        )
    busiest = sorted(routes.items(), key=lambda item: -len(item[1]))[:LINES_AT_MOST]
    lines = [
        {
            "lat": by_id[host_id].latitude,
            "lon": by_id[host_id].longitude,
            "lat2": by_id[visitor_id].latitude,
            "lon2": by_id[visitor_id].longitude,
            "name": (
                titles[0]
                if len(titles) == 1
                else _("{n} workshops and visits").format(
                    n=format_number(len(titles), actor.language)
                )
            )
            + f": {by_id[visitor_id].name} → {by_id[host_id].name}",
        }
        for (host_id, visitor_id), titles in busiest
    ]
    return marks, lines, len(routes)


@dataclass(frozen=True, slots=True)
class MapView:
    """The read and the chart's marks and lines made from it, kept together until anything is
    written: on a large workspace, counting tens of thousands of workshops by place and route
    was most of a run that changed nothing."""

    data: MapData
    marks: list[dict]
    lines: list[dict]
    routes: int


def map_view(
    session: Session, actor: Actor, community_id: int | None, year: int | None = None
) -> MapView:
    data = map_data(session, actor, community_id, year)
    return MapView(data, *_marks(actor, data))


def draw_map_page(actor: Actor) -> None:
    _ = translator(actor.language)
    st.title(_("Map"))
    community_id = selected_community_id(actor)
    every_year: MapView = read(
        map_view, actor, community_id, reader_language=actor.language, cached=True
    )
    years = every_year.data.years
    if st.session_state.get(YEAR_KEY) not in [0, *years]:
        st.session_state[YEAR_KEY] = 0
    year = st.selectbox(
        _("Year"),
        [0, *years],
        format_func=lambda y: _("Every year") if y == 0 else str(y),
        key=YEAR_KEY,
        help=_("Workshops and visits in the year they start; practices running that year."),
    )
    view: MapView = (
        read(map_view, actor, community_id, year, reader_language=actor.language, cached=True)
        if year
        else every_year
    )
    data, marks, lines, routes = view.data, view.marks, view.lines, view.routes
    st.caption(
        _(
            "Member cities and partner organisations of {scope}, their workshops and visits "
            "(lines join the host to the cities that came) and their practices. "
            "Click a mark to open it; the table below lists the same places."
        ).format(
            scope=_("the chosen community") if community_id else _("the communities you can read")
        )
    )
    if not marks:
        st.info(
            _(
                "Nothing to place on the map yet: organisations need coordinates "
                "(Organisations page), and workshops a host organisation."
            ),
            icon=":material/info:",
        )
    else:
        spec = chart.map_spec(
            marks,
            lines,
            _legend(_),
            {"name": _("Name"), "what": _("What"), "when": _("Date"), "community": _("Community")},
            outline_url=outline_address(),
        )
        event = st.vega_lite_chart(
            spec=spec,
            width="stretch",
            on_select="rerun",
            selection_mode="pick",
            key=f"map-{community_id or 0}-{year}",
            alt=_("Map of Europe with {n} places; the table below lists them.").format(
                n=len(data.places)
            ),
        )
        if routes > len(lines):
            st.caption(
                _("The {shown} routes most travelled of {all} are drawn.").format(
                    shown=format_number(len(lines), actor.language),
                    all=format_number(routes, actor.language),
                )
            )
        _open_picked(actor, event, data)
    _places_table(actor, data)


def _open_picked(actor: Actor, event: Any, data: MapData) -> None:
    """A click on a workshop or practice opens it in this tab; on a place, shows it here."""
    picked = (event or {}).get("selection", {}).get("pick") or []
    target = str(picked[0].get("target", "")) if picked else ""
    kind, _sep, raw = target.partition(":")
    if not raw.isdigit():
        return
    if kind == "workshop":
        st.switch_page("pages/workshops.py", query_params={"id": raw})
    elif kind == "practice":
        st.switch_page("pages/practices.py", query_params={"id": raw})
    elif kind == "place":
        place = next((p for p in data.places if p.id == int(raw)), None)
        if place is not None:
            _place_card(actor, place, data)


def _place_card(actor: Actor, place: Place, data: MapData) -> None:
    """What a city or partner takes part in, with links to its workshops and practices."""
    _ = translator(actor.language)
    with st.container(border=True, key="map-place"):
        st.subheader(plain(place.name))
        st.caption(
            " · ".join(
                part
                for part in (
                    _(KIND_LABELS.get(place.kind, place.kind)),
                    place.country,
                    ", ".join(place.communities),
                )
                if part
            )
        )
        hosted = [e for e in data.events if e.host_id == place.id]
        came = [e for e in data.events if place.id in e.visitor_ids]
        runs = [p for p in data.practices if p.organisation_id == place.id]
        if not (hosted or came or runs):
            st.caption(_("No workshop, visit or practice here in this selection."))
        for heading, events in ((_("Hosted"), hosted[::-1]), (_("Visited elsewhere"), came[::-1])):
            if events:
                st.markdown(f"**{heading}**")
                for e in events[:CARD_AT_MOST]:
                    record_link("workshops", e.title, e.id)
                _more(actor, len(events))
        if runs:
            st.markdown(f"**{_('Practices')}**")
            for p in runs[:CARD_AT_MOST]:
                record_link("practices", p.title, p.id)
            _more(actor, len(runs))


def _more(actor: Actor, number: int) -> None:
    """Under a card's list cut at ``CARD_AT_MOST``: how many more there are, and where."""
    if number > CARD_AT_MOST:
        _ = translator(actor.language)
        st.caption(
            _("… and {n} more: the Workshops and Practices pages list them all.").format(
                n=format_number(number - CARD_AT_MOST, actor.language)
            )
        )


def _country(code: str, language: str) -> str:
    """The country's name in the reader's language ("Griechenland"), not its code ("GR")."""
    return Locale.parse(language).territories.get(code.upper(), code) if code else ""


def _place_rows(actor: Actor, data: MapData) -> list[dict[str, Any]]:
    """The places table's rows. Communities are named as on the marks, three and how many more:
    with every name, a large workspace's cities (two dozen communities each) made the table a
    third of a megabyte on every run; a place's card names them all."""
    _ = translator(actor.language)
    return [
        {
            _("Name"): p.name,
            _("Kind"): _(KIND_LABELS.get(p.kind, p.kind)),
            _("Country"): _country(p.country, actor.language),
            _("Communities"): _communities(p.communities, _),
            _("Hosted"): p.hosted,
            _("Visited elsewhere"): p.visits,
            _("Practices"): p.practices,
            _("On the map"): _("Yes") if p.placed else _("No: no coordinates"),
        }
        for p in data.places
    ]


def _places_table(actor: Actor, data: MapData) -> None:
    """The text alternative: every place with its country and counts, and the records as links."""
    _ = translator(actor.language)
    st.subheader(_("Places"))
    grid(
        _place_rows(actor, data),
        _("No member organisation in this selection: choose another community or year."),
    )
    names = {p.id: p.name for p in data.places}
    # The newest first; past RECORDS_AT_MOST the table says how many it leaves out.
    total = len(data.events) + len(data.practices)
    newest = data.events[::-1][:RECORDS_AT_MOST]
    records = [
        {
            _("Record"): f"workshops?id={e.id}",
            _("Title"): e.title,
            _("Kind"): _(WORKSHOP_KINDS.get(e.kind, e.kind)),
            _("Date"): format_date(e.starts_at, actor.language, e.time_zone),
            _("Host"): names.get(e.host_id, ""),
            _("Visiting"): ", ".join(names[v] for v in e.visitor_ids if v in names),
        }
        for e in newest
    ] + [
        {
            _("Record"): f"practices?id={p.id}",
            _("Title"): p.title,
            _("Kind"): _("Practice"),
            _("Date"): "",
            _("Host"): names.get(p.organisation_id, ""),
            _("Visiting"): "",
        }
        for p in data.practices[: RECORDS_AT_MOST - len(newest)]
    ]
    if records:
        st.subheader(_("Workshops, visits and practices"))
        if total > len(records):
            st.caption(
                _(
                    "The {shown} newest of {all} workshops, visits and practices; "
                    "choose a year or a community to see the others."
                ).format(
                    shown=format_number(len(records), actor.language),
                    all=format_number(total, actor.language),
                )
            )
        grid(
            records,
            "",
            column_config={_("Record"): st.column_config.LinkColumn(display_text=_("Open"))},
        )
