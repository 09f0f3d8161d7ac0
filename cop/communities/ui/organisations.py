"""The organisations page: every city, network, NGO and volunteer centre, and for facilitators
and admins the forms to add one or correct one (name, kind, country, coordinates).

Organisations are shared by all communities (a city is an organisation of kind city), so
everyone signed in reads the list; the people service decides who may write and checks
every field, and its messages are drawn under the fields they concern.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cop.communities import people
from cop.communities.people import KIND_LABELS, OrganisationRow
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.core.settings import LIMITS
from cop.map.gazetteer import City, find_cities
from cop.shell.forms import (
    draw_conflict,
    errors_banner,
    field_error,
    forget,
    prefill,
    read,
    submit,
)
from cop.shell.grid import grid
from cop.shell.text import plain

FIELDS = ["name", "kind", "country", "latitude", "longitude"]
NEW = "org-new"
EDIT = "org-edit"


def _coordinate(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def draw_organisations_page(actor: Actor) -> None:
    _ = translator(actor.language)
    st.title(_("Organisations"))
    saved = st.session_state.pop("org-saved", None)
    if saved:
        st.success(_("{name} is saved.").format(name=plain(saved)), icon=":material/check:")
    st.caption(
        _(
            "Cities, networks, NGOs and volunteer centres taking part in the communities. "
            "A city is an organisation of kind city; its coordinates place it on maps."
        )
    )
    text = st.text_input(
        _("Search"), key="org_search", placeholder=_("Name"), max_chars=LIMITS.search_max
    )
    rows: list[OrganisationRow] = read(
        people.organisation_list, actor, text, reader_language=actor.language, cached=True
    )
    may_manage = read(
        people.may_manage_organisations, actor, reader_language=actor.language, cached=True
    )
    grid(
        [
            {
                _("Name"): r.name,
                _("Kind"): _(KIND_LABELS.get(r.kind, r.kind)),
                _("Country"): r.country,
                _("Latitude"): _coordinate(r.latitude),
                _("Longitude"): _coordinate(r.longitude),
                _("People"): r.people,
            }
            for r in rows
        ],
        _("No organisation matches this search: change or clear it.")
        if text.strip()
        else _("No organisations yet: a facilitator or an administrator adds them below.")
        if not may_manage
        else _("No organisations yet: add the first one below."),
    )
    if not may_manage:
        st.caption(_("Facilitators and administrators add and correct organisations."))
        return
    with st.expander(_("Add an organisation"), icon=":material/add_business:"):
        _form(actor, NEW, None)
    if rows:
        with st.expander(_("Correct an organisation"), icon=":material/edit:"):
            names = {r.id: r.name for r in rows}
            if st.session_state.get("org-edit-choice") not in names:  # the search left it out
                st.session_state.pop("org-edit-choice", None)
            chosen = st.selectbox(
                _("Organisation"), list(names), format_func=names.get, key="org-edit-choice"
            )
            row = next(r for r in rows if r.id == chosen)
            _form(actor, f"{EDIT}-{row.id}", row)


def _form(actor: Actor, key: str, row: OrganisationRow | None) -> None:
    """Every field of an organisation: a new one, or a correction of ``row``."""
    _ = translator(actor.language)
    initial: dict[str, Any] = {
        "name": row.name if row else "",
        "kind": row.kind if row else "city",
        "country": row.country if row else "",
        "latitude": _coordinate(row.latitude) if row else "",
        "longitude": _coordinate(row.longitude) if row else "",
    }
    version = prefill(key, row.version if row else 0, initial)
    draw_conflict(key, actor.language)
    errors_banner(key, actor.language)

    def k(field: str) -> str:
        return f"{key}-{field}"

    _find_the_city(actor, key)

    with st.form(key):
        st.text_input(_("Name"), key=k("name"))
        field_error(key, "name", actor.language)
        left, right = st.columns(2)
        left.selectbox(
            _("Kind"), people.KINDS, format_func=lambda x: _(KIND_LABELS[x]), key=k("kind")
        )
        right.text_input(_("Country (two letters)"), placeholder="DE", key=k("country"))
        with left:
            field_error(key, "kind", actor.language)
        with right:
            field_error(key, "country", actor.language)
        left, right = st.columns(2)
        left.text_input(_("Latitude (-90 to 90)"), placeholder="50.9375", key=k("latitude"))
        right.text_input(_("Longitude (-180 to 180)"), placeholder="6.9603", key=k("longitude"))
        with left:
            field_error(key, "latitude", actor.language)
        with right:
            field_error(key, "longitude", actor.language)
        saved = st.form_submit_button(_("Save"), type="primary")
    if not saved:
        return
    values = {field: st.session_state[k(field)] for field in FIELDS}
    if row is None:
        done = submit(
            key, people.create_organisation, actor, reader_language=actor.language, **values
        )
    else:
        done = submit(
            key,
            people.update_organisation,
            actor,
            row.id,
            version,
            reader_language=actor.language,
            **values,
        )
        st.session_state[k("version")] = row.version  # after a conflict, saving again applies
    if done is not None:
        forget(key, FIELDS)
        st.session_state["org-saved"] = done.name
        st.rerun()


def _use_city(key: str, city: City) -> None:
    """Fill the form's country and coordinates (and an empty name) from the gazetteer's city."""
    st.session_state[f"{key}-country"] = city.country
    st.session_state[f"{key}-latitude"] = f"{city.latitude:g}"
    st.session_state[f"{key}-longitude"] = f"{city.longitude:g}"
    if not str(st.session_state.get(f"{key}-name", "")).strip():
        st.session_state[f"{key}-name"] = city.name


def _find_the_city(actor: Actor, key: str) -> None:
    """Search the offline gazetteer (GeoNames) by name; choosing a city fills the fields below."""
    _ = translator(actor.language)
    left, right = st.columns(2)
    typed = left.text_input(
        _("Find the city"),
        key=f"{key}-find",
        placeholder=_("Such as Düsseldorf"),
        max_chars=100,
        help=_("Fills in the country and the coordinates; you can still type or correct them."),
    )
    found = find_cities(typed) if typed.strip() else []
    if found:
        labels = {i: city.label for i, city in enumerate(found)}
        with right:
            choice = st.selectbox(
                _("Cities found"), list(labels), format_func=labels.get, key=f"{key}-found"
            )
            st.button(
                _("Use this city"),
                key=f"{key}-use",
                icon=":material/pin_drop:",
                on_click=_use_city,
                args=(key, found[choice if choice in labels else 0]),
            )
    elif typed.strip():
        right.caption(_("No city of 15,000 people or more has this name: type the fields below."))
    st.caption(_("City names and coordinates: GeoNames (geonames.org), licensed CC BY 4.0."))
