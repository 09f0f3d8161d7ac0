"""The standards and self-assessment tabs of pages/practices.py.

The heatmap (cities x standards, Altair) and the city's trend line draw what
the self-assessment service computed in SQL: only the scores the viewer may
see. Members are offered only their own city when recording a score; the
service enforces it.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import streamlit as st
from sqlmodel import Session

from cop.communities.models import Community
from cop.core import clock
from cop.core.i18n import N_, translator
from cop.core.markdown import one_per_line
from cop.core.permissions import Actor, is_allowed
from cop.core.validation import MIN_DATE
from cop.practices import self_assessment, standards
from cop.practices.models import ReviewStatus, Standard
from cop.practices.review import STATUS_LABELS, reviews
from cop.shell.charts import arrow_dataset, show_spec
from cop.shell.formatting import chart_date_format, format_date
from cop.shell.forms import (
    clear_form,
    draw_conflict,
    errors_banner,
    field_error,
    read,
    submit,
    widget_key,
)
from cop.shell.lazy import lazy_expander
from cop.shell.text import heading, markdown, plain

TEXT_LABELS = {
    "statement": N_("Statement"),
    "success_factors": N_("Key success factors"),
    "guiding_questions": N_("Guiding questions"),
    "indicators": N_("Indicators"),
}
SCORE_COLOURS = ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"]


def standards_tab(actor: Actor, community: Community) -> None:
    """The community's standards in order, with review and ordering buttons by permission."""
    _ = translator(actor.language)
    rows: list[Standard] = read(
        standards.list_standards, actor, community.id, reader_language=actor.language
    )
    if not rows:
        st.info(_("This community has no standards yet."))
    for number, standard in enumerate(rows):
        with st.container(border=True):
            heading(f"{standard.position}. {standard.title}", 4)
            st.caption(_(STATUS_LABELS[standard.status]))
            if standard.review_note:
                st.info(_("Note from the review:") + "\n\n" + plain(standard.review_note))
            for field, label in TEXT_LABELS.items():
                if getattr(standard, field).strip():
                    st.markdown(f"**{_(label)}**")
                    markdown(one_per_line(getattr(standard, field)))
            _standard_buttons(
                actor, community, standard, first=number == 0, last=number == len(rows) - 1
            )
    if is_allowed(actor, "standard.create", community):
        with st.expander(_("Add a standard"), icon=":material/add:"):
            standard_form(actor, community, None)


def standard_form(actor: Actor, community: Community, current: Standard | None) -> None:
    _ = translator(actor.language)
    key = f"standard-{current.id if current else 'new'}"
    draw_conflict(key, actor.language)
    errors_banner(key, actor.language)
    with st.form(key):
        values: dict[str, Any] = {
            "title": st.text_input(_("Title"), value=current.title if current else "")
        }
        field_error(key, "title", actor.language)
        for field, label in TEXT_LABELS.items():
            values[field] = st.text_area(
                _(label), value=getattr(current, field) if current else "", height=90
            )
            field_error(key, field, actor.language)
        saved = st.form_submit_button(_("Save"), type="primary")
    if saved:
        if current is None:
            done = submit(
                key,
                standards.create_standard,
                actor,
                community.id,
                reader_language=actor.language,
                **values,
            )
        else:
            done = submit(
                key,
                standards.update_standard,
                actor,
                current.id,
                current.version,
                reader_language=actor.language,
                **values,
            )
        if done is not None:
            st.rerun()


def _standard_buttons(
    actor: Actor, community: Community, standard: Standard, *, first: bool, last: bool
) -> None:
    _ = translator(actor.language)
    key = f"standard-review-{standard.id}"
    draw_conflict(key, actor.language)
    errors_banner(key, actor.language)
    buttons: list[tuple[str, str, Any, tuple[Any, ...]]] = []
    if is_allowed(actor, "standard.reorder", community):
        if not first:
            buttons.append(
                (_("Move up"), ":material/arrow_upward:", standards.move_standard, ("up",))
            )
        if not last:
            buttons.append(
                (_("Move down"), ":material/arrow_downward:", standards.move_standard, ("down",))
            )
    if standard.status == ReviewStatus.DRAFT and is_allowed(actor, "standard.submit", community):
        buttons.append((_("Submit for review"), ":material/send:", standards.submit_standard, ()))
    if standard.status != ReviewStatus.APPROVED and is_allowed(
        actor, "standard.approve", community
    ):
        buttons.append((_("Approve"), ":material/verified:", standards.approve_standard, ()))
    if standard.status != ReviewStatus.DRAFT and is_allowed(actor, "standard.approve", community):
        buttons.append((_("Send back"), ":material/undo:", standards.send_back_standard, ()))
    columns = st.columns(max(1, len(buttons) + 1))
    for column, (label, icon, service, extra) in zip(columns, buttons, strict=False):
        if column.button(label, icon=icon, key=f"{key}-{label}"):
            if submit(
                key,
                service,
                actor,
                standard.id,
                standard.version,
                *extra,
                reader_language=actor.language,
            ):
                st.rerun()
    if is_allowed(actor, "standard.update", community):
        with columns[-1].popover(_("Edit")):
            standard_form(actor, community, standard)


def _labelled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "standard_label": f"{row['position']}. {row['standard']}"} for row in rows]


def heatmap_spec(rows: list[self_assessment.HeatmapCell], language: str) -> dict[str, Any]:
    """Cities down, standards across (in their order), coloured by the current score: a Vega-Lite spec."""
    _ = translator(language)
    cells = _labelled([asdict(row) for row in rows])
    order = [
        row["standard_label"]
        for row in sorted({r["position"]: r for r in cells}.values(), key=lambda r: r["position"])
    ]
    return {
        "datasets": {"cells": arrow_dataset(cells)},
        "data": {"name": "cells"},
        "height": {"step": 30},
        "encoding": {
            "x": {
                "field": "standard_label",
                "type": "nominal",
                "sort": order,
                "title": _("Standard"),
                "axis": {"labelAngle": -30, "labelLimit": 220, "labelOverlap": False},
            },
            "y": {"field": "city", "type": "nominal", "title": _("City")},
        },
        "layer": [
            {
                "mark": "rect",
                "encoding": {
                    "color": {
                        "field": "score",
                        "type": "quantitative",
                        "title": _("Score"),
                        "scale": {"domain": [0, 4], "range": SCORE_COLOURS},
                    },
                    "tooltip": [
                        {"field": "city", "type": "nominal", "title": _("City")},
                        {"field": "standard", "type": "nominal", "title": _("Standard")},
                        {"field": "score", "type": "quantitative", "title": _("Score")},
                        {"field": "label", "type": "nominal", "title": _("Stage")},
                        {
                            "field": "assessed_on",
                            "type": "temporal",
                            "title": _("Assessed on"),
                            "format": chart_date_format(language),
                        },
                    ],
                },
            },
            {"mark": "text", "encoding": {"text": {"field": "score", "type": "quantitative"}}},
        ],
    }


def trend_spec(rows: list[self_assessment.TrendPoint], language: str) -> dict[str, Any]:
    """One line per standard: the city's scores over time, as a Vega-Lite spec."""
    _ = translator(language)
    return {
        "datasets": {"scores": arrow_dataset(_labelled([asdict(row) for row in rows]))},
        "data": {"name": "scores"},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {
                "field": "assessed_on",
                "type": "temporal",
                "title": _("Assessed on"),
                "axis": {"format": chart_date_format(language)},
            },
            "y": {
                "field": "score",
                "type": "quantitative",
                "title": _("Score"),
                "scale": {"domain": [0, 4]},
                "axis": {"tickCount": 5},
            },
            "color": {"field": "standard_label", "type": "nominal", "title": _("Standard")},
            "tooltip": [
                {"field": "standard_label", "type": "nominal"},
                {"field": "score", "type": "quantitative"},
                {"field": "label", "type": "nominal"},
                {"field": "assessed_on", "type": "temporal", "format": chart_date_format(language)},
            ],
        },
    }


def _heatmap(
    session: Session, actor: Actor, community_id: int
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The heatmap's spec and its figures as rows, cached as one read (None: no score the actor may see)."""
    cells = self_assessment.heatmap(session, actor, community_id)
    if not cells:
        return None
    return heatmap_spec(cells, actor.language), _figures(cells, actor.language)


def _figures(
    rows: list[self_assessment.HeatmapCell] | list[self_assessment.TrendPoint], language: str
) -> list[dict[str, Any]]:
    """A chart's scores as rows for its table: standard, score with its label, date."""
    _ = translator(language)
    return [
        {
            "city": getattr(row, "city", ""),
            "standard": f"{row.position}. {row.standard}",
            "score": f"{row.score} {_(row.label)}",
            "assessed_on": format_date(row.assessed_on, language),
        }
        for row in rows
    ]


def _figure_columns(language: str, *, city: bool) -> dict[str, str]:
    _ = translator(language)
    return {
        **({"city": _("City")} if city else {}),
        "standard": _("Standard"),
        "score": _("Score"),
        "assessed_on": _("Assessed on"),
    }


def self_assessment_tab(actor: Actor, community: Community) -> None:
    """The heatmap; a city's trend and the form to record a score, each drawn when opened."""
    _ = translator(actor.language)
    heatmap = read(
        _heatmap,
        actor,
        community.id,
        reader_language=actor.language,
        cached=True,
    )
    st.subheader(_("Where the cities stand"))
    st.caption(
        _(
            "0 not started · 1 planning · 2 piloting · 3 established · 4 embedded. "
            "Scores a city did not share are shown only to that city and the facilitators."
        )
    )
    if heatmap:
        spec, figures = heatmap
        show_spec(
            spec,
            alt_text=_("Heatmap of the current score of each city against each standard"),
            table=figures,
            columns=_figure_columns(actor.language, city=True),
            language=actor.language,
        )
    else:
        st.info(_("No scores you may see yet."))
    trend = lazy_expander(
        _("Progress of one city"), "trend_open", icon=":material/show_chart:", kept=["trend_city"]
    )
    if trend is not None:
        with trend:
            _city_trend(actor, community)
    if is_allowed(actor, "score.record", community):
        form = lazy_expander(
            _("Record a score"), "score_new_open", icon=":material/add_chart:", stay=True
        )
        if form is not None:
            with form:
                score_form(actor, community, _city_names(actor, community))


def _city_names(actor: Actor, community: Community) -> dict[int, str]:
    cities = read(
        self_assessment.cities,
        actor,
        community.id,
        reader_language=actor.language,
        cached=True,
    )
    return {c.id: c.name for c in cities}


def _city_trend(actor: Actor, community: Community) -> None:
    _ = translator(actor.language)
    names = _city_names(actor, community)
    if not names:
        st.caption(_("No city of this community has a score yet."))
        return
    if st.session_state.get("trend_city") not in names:
        st.session_state["trend_city"] = (
            actor.organisation_id if actor.organisation_id in names else next(iter(names))
        )
    city = st.selectbox(_("City"), list(names), format_func=names.get, key="trend_city")
    trend = read(
        self_assessment.city_trend,
        actor,
        community.id,
        city,
        reader_language=actor.language,
        cached=True,
    )
    if trend:
        show_spec(
            trend_spec(trend, actor.language),
            alt_text=_("Scores of {city} over time").format(city=plain(names[city])),
            table=_figures(trend, actor.language),
            columns=_figure_columns(actor.language, city=False),
            language=actor.language,
        )
    else:
        st.caption(_("No scores of {city} you may see yet.").format(city=plain(names[city])))


def score_form(actor: Actor, community: Community, names: dict[int, str]) -> None:
    _ = translator(actor.language)
    key = f"score-{community.id}"
    own = (
        names
        if reviews(actor, community)
        else {k: v for k, v in names.items() if k == actor.organisation_id}
    )
    if not own:
        st.caption(
            _(
                "Your account is not linked to a city of this community, so there is no city to score."
            )
        )
        return
    rows: list[Standard] = read(
        standards.list_standards, actor, community.id, reader_language=actor.language
    )
    titles = {s.id: f"{s.position}. {s.title}" for s in rows}
    if not titles:
        st.caption(_("Add a standard first."))
        return
    errors_banner(key, actor.language)
    with st.form(key):
        standard_id = st.selectbox(_("Standard"), list(titles), format_func=titles.get)
        city = st.selectbox(_("City"), list(own), format_func=own.get)
        field_error(key, "organisation_id", actor.language)
        score = st.select_slider(
            _("Score"),
            options=list(self_assessment.SCORE_LABELS),
            format_func=lambda v: f"{v} {_(self_assessment.SCORE_LABELS[v])}",
            key=widget_key(key, "score"),
        )
        field_error(key, "score", actor.language)
        # Score and evidence empty after a save (standard, city and date stay for the next one).
        evidence = st.text_area(
            _("Evidence"),
            help=_("What shows this stage? Markdown is allowed."),
            key=widget_key(key, "evidence"),
        )
        field_error(key, "evidence", actor.language)
        assessed_on: date = st.date_input(
            _("Assessed on"), value=clock.today(), min_value=MIN_DATE, max_value=clock.today()
        )
        field_error(key, "assessed_on", actor.language)
        shared = st.checkbox(
            _("Share with the other cities and with readers outside the community"), value=True
        )
        if st.form_submit_button(_("Record score"), type="primary"):
            if submit(
                key,
                self_assessment.record_score,
                actor,
                standard_id,
                city,
                score,
                evidence,
                assessed_on,
                shared,
                reader_language=actor.language,
            ):
                clear_form(key)
                st.rerun()
