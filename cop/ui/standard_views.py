"""The standards and self-assessment tabs of pages/practices.py.

The heatmap (cities x standards, Altair) and the city's trend line draw what
the self-assessment service computed in SQL: only the scores the viewer may
see. Members are offered only their own city when recording a score; the
service enforces it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from cop import clock
from cop.i18n import N_, translator
from cop.models import Community, ReviewStatus, Standard
from cop.permissions import Actor, is_allowed
from cop.services import self_assessment, standards
from cop.services.review_status import STATUS_LABELS, reviews
from cop.ui import markdown
from cop.ui.charts import show_chart
from cop.ui.forms import draw_conflict, errors_banner, field_error, read, submit
from cop.validation import MIN_DATE

TEXT_LABELS = {
    "statement": N_("Statement"), "success_factors": N_("Key success factors"),
    "guiding_questions": N_("Guiding questions"), "indicators": N_("Indicators"),
}
SCORE_COLOURS = ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"]


def standards_tab(actor: Actor, community: Community) -> None:
    """The community's standards in order, with review and ordering buttons by permission."""
    _ = translator(actor.language)
    rows: list[Standard] = read(standards.list_standards, actor, community.id, language=actor.language)
    if not rows:
        st.info(_("This community has no standards yet."))
    for number, standard in enumerate(rows):
        with st.container(border=True):
            markdown(f"#### {standard.position}. {standard.title}")
            st.caption(_(STATUS_LABELS[standard.status]))
            if standard.review_note:
                st.info(_("Note from the review:") + "\n\n" + standard.review_note)
            for field, label in TEXT_LABELS.items():
                if getattr(standard, field).strip():
                    st.markdown(f"**{_(label)}**")
                    markdown(getattr(standard, field))
            _standard_buttons(actor, community, standard, first=number == 0, last=number == len(rows) - 1)
    if is_allowed(actor, "standard.create", community):
        with st.expander(_("Add a standard"), icon=":material/add:"):
            standard_form(actor, community, None)


def standard_form(actor: Actor, community: Community, current: Standard | None) -> None:
    _ = translator(actor.language)
    key = f"standard-{current.id if current else 'new'}"
    draw_conflict(key, actor.language)
    errors_banner(key, actor.language)
    with st.form(key):
        values: dict[str, Any] = {"title": st.text_input(_("Title"), value=current.title if current else "", max_chars=200)}
        field_error(key, "title", actor.language)
        for field, label in TEXT_LABELS.items():
            values[field] = st.text_area(_(label), value=getattr(current, field) if current else "", height=90)
            field_error(key, field, actor.language)
        saved = st.form_submit_button(_("Save"), type="primary")
    if saved:
        if current is None:
            done = submit(key, standards.create_standard, actor, community.id, language=actor.language, **values)
        else:
            done = submit(key, standards.update_standard, actor, current.id, current.version, language=actor.language, **values)
        if done is not None:
            st.rerun()


def _standard_buttons(actor: Actor, community: Community, standard: Standard, *, first: bool, last: bool) -> None:
    _ = translator(actor.language)
    key = f"standard-review-{standard.id}"
    draw_conflict(key, actor.language)
    errors_banner(key, actor.language)
    buttons: list[tuple[str, str, Any, tuple[Any, ...]]] = []
    if is_allowed(actor, "standard.reorder", community):
        if not first:
            buttons.append((_("Move up"), ":material/arrow_upward:", standards.move_standard, ("up",)))
        if not last:
            buttons.append((_("Move down"), ":material/arrow_downward:", standards.move_standard, ("down",)))
    if standard.status == ReviewStatus.DRAFT and is_allowed(actor, "standard.submit", community):
        buttons.append((_("Submit for review"), ":material/send:", standards.submit_standard, ()))
    if standard.status != ReviewStatus.APPROVED and is_allowed(actor, "standard.approve", community):
        buttons.append((_("Approve"), ":material/verified:", standards.approve_standard, ()))
    if standard.status != ReviewStatus.DRAFT and is_allowed(actor, "standard.approve", community):
        buttons.append((_("Send back"), ":material/undo:", standards.send_back_standard, ()))
    columns = st.columns(max(1, len(buttons) + 1))
    for column, (label, icon, service, extra) in zip(columns, buttons, strict=False):
        if column.button(label, icon=icon, key=f"{key}-{label}"):
            if submit(key, service, actor, standard.id, standard.version, *extra, language=actor.language):
                st.rerun()
    if is_allowed(actor, "standard.update", community):
        with columns[-1].popover(_("Edit")):
            standard_form(actor, community, standard)


def heatmap_chart(rows: list[dict[str, Any]], language: str) -> alt.Chart:
    """Cities down, standards across (in their order), coloured by the current score."""
    _ = translator(language)
    frame = pd.DataFrame(rows)
    frame["standard_label"] = frame["position"].astype(str) + ". " + frame["standard"]
    order = frame.sort_values("position")["standard_label"].drop_duplicates().tolist()
    base = alt.Chart(frame).encode(
        x=alt.X("standard_label:N", sort=order, title=_("Standard"), axis=alt.Axis(labelAngle=-30, labelLimit=220)),
        y=alt.Y("city:N", title=_("City")),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("score:Q", title=_("Score"), scale=alt.Scale(domain=[0, 4], range=SCORE_COLOURS)),
        tooltip=[alt.Tooltip("city:N", title=_("City")), alt.Tooltip("standard:N", title=_("Standard")),
                 alt.Tooltip("score:Q", title=_("Score")), alt.Tooltip("label:N", title=_("Stage")),
                 alt.Tooltip("assessed_on:T", title=_("Assessed on"))],
    )
    return cells + base.mark_text().encode(text="score:Q")


def trend_chart(rows: list[dict[str, Any]], language: str) -> alt.Chart:
    """One line per standard: the city's scores over time."""
    _ = translator(language)
    frame = pd.DataFrame(rows)
    frame["standard_label"] = frame["position"].astype(str) + ". " + frame["standard"]
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("assessed_on:T", title=_("Assessed on")),
        y=alt.Y("score:Q", title=_("Score"), scale=alt.Scale(domain=[0, 4]), axis=alt.Axis(tickCount=5)),
        color=alt.Color("standard_label:N", title=_("Standard")),
        tooltip=["standard_label:N", "score:Q", "label:N", "assessed_on:T"],
    )


def self_assessment_tab(actor: Actor, community: Community) -> None:
    """The heatmap, a city's trend, and the form to record a score."""
    _ = translator(actor.language)
    cells = read(self_assessment.heatmap, actor, community.id, language=actor.language)
    st.subheader(_("Where the cities stand"))
    st.caption(_("0 not started · 1 planning · 2 piloting · 3 established · 4 embedded. "
                 "Scores a city did not share are shown only to that city and the facilitators."))
    if cells:
        show_chart(heatmap_chart(cells, actor.language),
                   alt_text=_("Heatmap of the current score of each city against each standard"))
    else:
        st.info(_("No scores you may see yet."))
    cities = read(self_assessment.cities, actor, community.id, language=actor.language)
    names = {c.id: c.name for c in cities}
    if names:
        st.subheader(_("Progress of one city"))
        default = list(names).index(actor.organisation_id) if actor.organisation_id in names else 0
        city = st.selectbox(_("City"), list(names), index=default, format_func=names.get, key="trend_city")
        trend = read(self_assessment.city_trend, actor, community.id, city, language=actor.language)
        if trend:
            show_chart(trend_chart(trend, actor.language),
                       alt_text=_("Scores of {city} over time").format(city=names[city]))
        else:
            st.caption(_("No scores of {city} you may see yet.").format(city=names[city]))
    if is_allowed(actor, "score.record", community):
        with st.expander(_("Record a score"), icon=":material/add_chart:"):
            score_form(actor, community, names)


def score_form(actor: Actor, community: Community, names: dict[int, str]) -> None:
    _ = translator(actor.language)
    key = f"score-{community.id}"
    own = names if reviews(actor, community) else {k: v for k, v in names.items() if k == actor.organisation_id}
    if not own:
        st.caption(_("Your account is not linked to a city of this community, so there is no city to score."))
        return
    rows: list[Standard] = read(standards.list_standards, actor, community.id, language=actor.language)
    titles = {s.id: f"{s.position}. {s.title}" for s in rows}
    if not titles:
        st.caption(_("Add a standard first."))
        return
    errors_banner(key, actor.language)
    with st.form(key):
        standard_id = st.selectbox(_("Standard"), list(titles), format_func=titles.get)
        city = st.selectbox(_("City"), list(own), format_func=own.get)
        field_error(key, "organisation_id", actor.language)
        score = st.select_slider(_("Score"), options=list(self_assessment.SCORE_LABELS),
                                 format_func=lambda v: f"{v} {_(self_assessment.SCORE_LABELS[v])}")
        field_error(key, "score", actor.language)
        evidence = st.text_area(_("Evidence"), help=_("What shows this stage? Markdown is allowed."))
        field_error(key, "evidence", actor.language)
        assessed_on: date = st.date_input(_("Assessed on"), value=clock.today(), min_value=MIN_DATE, max_value=clock.today())
        field_error(key, "assessed_on", actor.language)
        shared = st.checkbox(_("Share with the other cities and with readers outside the community"), value=True)
        if st.form_submit_button(_("Record score"), type="primary"):
            if submit(key, self_assessment.record_score, actor, standard_id, city, score, evidence, assessed_on, shared,
                      language=actor.language):
                st.rerun()
