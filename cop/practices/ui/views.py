"""The practices tab and a practice's own page (``?id=``), drawn for pages/practices.py.

Every read and write goes through the practices services (``read``/``submit``
turn their errors into messages); buttons are offered by the permission
table as a courtesy, the services decide. User text reaches the page only as
sanitised Markdown, table cells or widget values.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa
import streamlit as st
from sqlmodel import Session

from cop.communities import people
from cop.communities.models import Community, OrganisationKind
from cop.core.db import read_session
from cop.core.i18n import translator
from cop.core.permissions import Actor, is_allowed
from cop.core.settings import LIMITS
from cop.core.validation import MAX_DATE, MIN_DATE
from cop.practices import service as practices
from cop.practices.models import Practice, ReviewStatus, TagKind
from cop.practices.review import STATUS_LABELS, STATUSES
from cop.practices.rules import LONG_TEXTS
from cop.shell.cache import cached_read
from cop.shell.community_picker import pick_community, writable_communities
from cop.shell.formatting import display_table, format_date, format_number, local_time
from cop.shell.forms import (
    clear_form,
    draw_conflict,
    errors_banner,
    field_error,
    read,
    submit,
    widget_key,
)
from cop.shell.grid import grid, narrowed
from cop.shell.history import history_table
from cop.shell.in_place import back_to_list, button_label, open_columns
from cop.shell.lazy import filter_panel, lazy_expander
from cop.shell.markdown_editor import markdown_editor
from cop.shell.text import heading, markdown, plain
from cop.workshops.labels import KIND_LABELS
from cop.workshops.queries import find_workshops

PAGE_SIZE = 25
PAGE_KEY = "practices_page"
# Form labels: the service's message labels without their article ("The summary" -> "Summary").
FORM_LABELS = {
    field: label.removeprefix("The ")[:1].upper() + label.removeprefix("The ")[1:]
    for field, label in LONG_TEXTS.items()
}


FILTERS: dict[str, Any] = {
    "practices_theme": "",
    "practices_group": "",
    "practices_city": 0,
    "practices_status": "",
}
# What "Back to the list" puts back: the tab, the search, the filters and the page.
LIST_KEYS = ["practices_view", "practices_text", *FILTERS, PAGE_KEY]


def practice_list(actor: Actor, community: Community | None) -> None:
    """The search box and a filter panel, one page of practices in a table, a pager, and the form for a new one."""
    _ = translator(actor.language)
    state = st.session_state
    cid = community.id if community else None
    text = st.text_input(
        _("Search"),
        key="practices_text",
        placeholder=_("Title, summary or how it works"),
        max_chars=LIMITS.search_max,
    )
    panel = filter_panel(_("Filters"), "practices_filters_open", FILTERS)
    if panel is not None:
        with panel:
            _filter_widgets(actor, cid)
    page = int(state.get(PAGE_KEY, 1))
    query = {
        "community_id": cid,
        "organisation_id": state["practices_city"] or None,
        "theme": state["practices_theme"] or None,
        "target_group": state["practices_group"] or None,
        "status": state["practices_status"] or None,
        "text": text,
    }
    # The formatted page is reused until anything is written (data_version).
    table, ids, total = read(
        _list_page,
        actor,
        query,
        page,
        reader_language=actor.language,
        cached=True,
    )
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    if page > pages:
        state[PAGE_KEY] = 1
        st.rerun()
    st.caption(_("{n} practices").format(n=total))
    grid(
        table,
        _("No practice matches these filters: change the search or clear the filters.")
        if narrowed(query)
        else _("No practices yet: members record them under “Record a practice”."),
        column_config=open_columns(
            "practices", LIST_KEYS, ids, {_("Practice"): "secondary", _("Title"): "tertiary"}
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
    choices = writable_communities(actor, "practice.create", community)
    if choices:
        form = lazy_expander(
            _("Record a practice"),
            "practices_new_open",
            icon=":material/add:",
            kept=["practice-new-community"],
            stay=True,
        )
        if form is not None:
            with form:
                chosen = pick_community(actor, choices, community, "practice-new-community")
                if chosen is not None:
                    practice_form(actor, chosen, "practice-new", None)


def _filter_widgets(actor: Actor, cid: int | None) -> None:
    _ = translator(actor.language)
    state = st.session_state
    themes = cached_read(practices.known_tags, actor, TagKind.THEME, cid)
    groups = cached_read(
        practices.known_tags,
        actor,
        TagKind.TARGET_GROUP,
        cid,
    )
    cities = {0: ""} | {
        c.id: c.name for c in cached_read(people.organisations, kind=OrganisationKind.CITY)
    }
    for key, choices in (("practices_theme", themes), ("practices_group", groups)):
        if state[key] not in choices:  # chosen in another community
            state[key] = ""
    st.selectbox(
        _("Theme"), ["", *themes], key="practices_theme", format_func=lambda t: t or _("Any")
    )
    st.selectbox(
        _("Target group"), ["", *groups], key="practices_group", format_func=lambda t: t or _("Any")
    )
    st.selectbox(
        _("City"),
        list(cities),
        format_func=lambda c: cities.get(c) or _("Any"),
        key="practices_city",
    )
    st.selectbox(
        _("Review status"),
        ["", *STATUSES],
        key="practices_status",
        format_func=lambda s: _(STATUS_LABELS.get(s, s)) if s else _("Any"),
    )


def _list_page(
    session: Session, actor: Actor, query: dict[str, Any], page: int
) -> tuple[pa.Table, list[int], int]:
    """One page of practices formatted for the reader, their ids and the number of matches."""
    _ = translator(actor.language)
    rows, total = practices.find_practices(
        session, actor, **query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    columns = [
        _("Practice"),
        _("Title"),
        _("City"),
        _("Community"),
        _("Status"),
        _("Themes"),
        _("Started"),
        _("People reached"),
    ]
    shown = [
        dict(
            zip(
                columns,
                (
                    _("Open"),
                    button_label(r.title),
                    r.city,
                    r.community,
                    _(STATUS_LABELS.get(r.status, r.status)),
                    ", ".join(r.themes),
                    format_date(r.started_on, actor.language),
                    r.people_reached,
                ),
                strict=True,
            )
        )
        for r in rows
    ]
    return display_table(shown, columns), [r.id for r in rows], total


def _organisation_choices(kind: str | None = None) -> dict[int, str]:
    with read_session() as session:
        return {o.id: o.name for o in people.organisations(session, kind=kind)}  # type: ignore[misc]


def practice_form(
    actor: Actor, community: Community, key: str, current: practices.PracticeDetail | None
) -> None:
    """Every field of the practice template; a new draft, or an edit of ``current``."""
    _ = translator(actor.language)
    p: Practice | None = current.practice if current else None
    names = _organisation_choices()
    cities = _organisation_choices(OrganisationKind.CITY)
    if p is not None and p.organisation_id in names:
        cities.setdefault(p.organisation_id, names[p.organisation_id])
    draw_conflict(key, actor.language)
    errors_banner(key, actor.language)
    with st.form(key):
        values: dict[str, Any] = {}
        values["title"] = st.text_input(_("Title"), value=p.title if p else "")
        field_error(key, "title", actor.language)
        values["organisation_id"] = st.selectbox(
            _("City"),
            list(cities),
            format_func=cities.get,
            index=list(cities).index(p.organisation_id)
            if p and p.organisation_id in cities
            else None,
        )
        field_error(key, "organisation_id", actor.language)
        values["implementer_ids"] = st.multiselect(
            _("Implementing organisations"),
            list(names),
            format_func=names.get,
            default=[o.id for o in current.implementers] if current else [],
        )
        left, middle, right = st.columns(3)
        values["started_on"] = left.date_input(
            _("Start"), value=p.started_on if p else None, min_value=MIN_DATE, max_value=MAX_DATE
        )
        values["ended_on"] = middle.date_input(
            _("End"), value=p.ended_on if p else None, min_value=MIN_DATE, max_value=MAX_DATE
        )
        values["is_regular_service"] = right.checkbox(
            _("Now a regular service"), value=p.is_regular_service if p else False
        )
        for field in ("started_on", "ended_on"):
            field_error(key, field, actor.language)
        values["themes"] = st.text_input(
            _("Themes (separated by commas)"), value=", ".join(p.themes) if p else ""
        )
        field_error(key, "themes", actor.language)
        values["target_groups"] = st.text_input(
            _("Target groups (separated by commas)"), value=", ".join(p.target_groups) if p else ""
        )
        field_error(key, "target_groups", actor.language)
        values["people_reached"] = st.text_input(
            _("People reached"),
            value="" if not p or p.people_reached is None else str(p.people_reached),
        )
        field_error(key, "people_reached", actor.language)
        values["continues"] = st.radio(
            _("Does it continue?"),
            [None, True, False],
            horizontal=True,
            index=[None, True, False].index(p.continues) if p else 0,
            format_func=lambda v: _("unknown") if v is None else (_("yes") if v else _("no")),
        )
        for field, label in FORM_LABELS.items():
            values[field] = markdown_editor(
                _(label),
                getattr(p, field) if p else "",
                key=f"{key}-{field}",
                height=140,
                language=actor.language,
            )
            field_error(key, field, actor.language)
        values["links"] = st.text_area(
            _("Links (one web address per line)"), value="\n".join(p.links) if p else ""
        )
        field_error(key, "links", actor.language)
        saved = st.form_submit_button(_("Save"), type="primary")
    if not saved:
        return
    if p is None:
        done = submit(
            key,
            practices.create_practice,
            actor,
            community.id,
            reader_language=actor.language,
            **values,
        )
    else:
        done = submit(
            key,
            practices.update_practice,
            actor,
            p.id,
            p.version,
            reader_language=actor.language,
            **values,
        )
    if done is not None:
        for field in FORM_LABELS:  # the next new practice starts empty
            st.session_state.pop(f"{key}-{field}", None)
        st.query_params["id"] = str(done.id)
        st.rerun()


def _period(p: Practice, _: Any, language: str) -> str:
    start = format_date(p.started_on, language) if isinstance(p.started_on, date) else ""
    if p.ended_on:
        return f"{start} – {format_date(p.ended_on, language)}"
    if p.is_regular_service:
        return (
            _("since {start}, now a regular service").format(start=start)
            if start
            else _("a regular service")
        )
    return _("since {start}").format(start=start) if start else ""


def _history(actor: Actor, practice_id: int | None) -> None:
    _ = translator(actor.language)
    panel = lazy_expander(_("History"), "practice_history_open", icon=":material/history:")
    if panel is not None:
        with panel:
            entries = read(
                practices.practice_history, actor, practice_id, reader_language=actor.language
            )
            history_table(actor, entries or [])


def practice_page(actor: Actor, practice_id: str) -> None:
    """Everything about one practice, where it was seen, and what the actor may do with it."""
    _ = translator(actor.language)
    detail: practices.PracticeDetail = read(
        practices.practice_detail, actor, practice_id, reader_language=actor.language
    )
    p, community = detail.practice, detail.community
    back_to_list(actor, "practices")
    heading(p.title, 2)
    st.caption(
        " · ".join(
            x
            for x in (
                plain(detail.city.name),
                plain(community.name),
                _(STATUS_LABELS[p.status]),
                _period(p, _, actor.language),
            )
            if x
        )
    )
    if p.review_note:
        st.info(_("Note from the review:") + "\n\n" + plain(p.review_note))
    facts = st.columns(3)
    facts[0].metric(
        _("People reached"),
        "—" if p.people_reached is None else format_number(p.people_reached, actor.language),
    )
    facts[1].metric(_("Continues"), {None: "—", True: _("yes"), False: _("no")}[p.continues])
    facts[2].metric(_("Implementing organisations"), len(detail.implementers))
    if detail.implementers:
        st.caption(plain(", ".join(o.name for o in detail.implementers)))
    if p.themes or p.target_groups:
        st.caption(
            _("Themes: {themes} · Target groups: {groups}").format(
                themes=plain(", ".join(p.themes)), groups=plain(", ".join(p.target_groups))
            )
        )
    for field, label in FORM_LABELS.items():
        if getattr(p, field).strip():
            st.markdown(f"**{_(label)}**")
            markdown(getattr(p, field))
    if p.links:
        st.markdown(f"**{_('Links')}**")
        markdown("\n".join(f"- <{link}>" for link in p.links))
    _images(actor, detail)
    _history(actor, p.id)
    st.subheader(_("Where it was seen"))
    if detail.workshops:
        st.dataframe(
            [
                {
                    _("Workshop"): _("Open"),
                    _("Title"): button_label(w["title"]),
                    _("Kind"): _(KIND_LABELS.get(w["kind"], w["kind"])),
                    _("Starts"): local_time(
                        w["starts_at"], actor.time_zone, language=actor.language
                    ),
                    _("Place"): w["place"],
                }
                for w in detail.workshops
            ],
            hide_index=True,
            width="stretch",
            column_config=open_columns(
                "workshops",
                (),
                [w["id"] for w in detail.workshops],
                {_("Workshop"): "secondary", _("Title"): "tertiary"},
                elsewhere=True,
            ),
        )
    else:
        st.caption(_("Not linked to a workshop or visit yet."))
    _review_buttons(actor, detail)
    if is_allowed(actor, "practice.update", community):
        _link_workshop(actor, detail)
        with st.expander(_("Edit"), icon=":material/edit:"):
            practice_form(actor, community, f"practice-{p.id}", detail)
        _add_image(actor, detail)


def _images(actor: Actor, detail: practices.PracticeDetail) -> None:
    if not detail.images:
        return
    _ = translator(actor.language)
    columns = st.columns(min(3, len(detail.images)))
    for number, image in enumerate(detail.images):
        _type, data, alt = read(
            practices.image_content, actor, image["id"], reader_language=actor.language
        )
        credit = f" ({_('credit')}: {image['credit']})" if image["credit"] else ""
        columns[number % len(columns)].image(data, caption=plain(f"{alt}{credit}"), alt=alt)


def _review_buttons(actor: Actor, detail: practices.PracticeDetail) -> None:
    _ = translator(actor.language)
    p, community = detail.practice, detail.community
    key = f"practice-review-{p.id}"
    draw_conflict(key, actor.language)
    errors_banner(key, actor.language)
    left, middle, right = st.columns(3)
    if p.status == ReviewStatus.DRAFT and is_allowed(actor, "practice.submit", community):
        if left.button(_("Submit for review"), icon=":material/send:"):
            if submit(
                key,
                practices.submit_practice,
                actor,
                p.id,
                p.version,
                reader_language=actor.language,
            ):
                st.rerun()
    if p.status != ReviewStatus.APPROVED and is_allowed(actor, "practice.approve", community):
        if middle.button(_("Approve"), type="primary", icon=":material/verified:"):
            if submit(
                key,
                practices.approve_practice,
                actor,
                p.id,
                p.version,
                reader_language=actor.language,
            ):
                st.rerun()
    if p.status != ReviewStatus.DRAFT and is_allowed(actor, "practice.approve", community):
        with right.popover(_("Send back")):
            note = st.text_area(_("What should change?"), key=f"{key}-note")
            if st.button(_("Send back to draft"), key=f"{key}-back"):
                if submit(
                    key,
                    practices.send_back_practice,
                    actor,
                    p.id,
                    p.version,
                    note,
                    reader_language=actor.language,
                ):
                    st.rerun()
    if is_allowed(actor, "practice.delete", community) and st.button(
        _("Delete practice"), icon=":material/delete:"
    ):
        if submit(key, _delete, actor, p.id, reader_language=actor.language):
            del st.query_params["id"]
            st.rerun()


def _delete(session: Any, actor: Actor, practice_id: int) -> bool:
    """Delete, answering True so the page can tell success from a refusal."""
    practices.delete_practice(session, actor, practice_id)
    return True


def _link_workshop(actor: Actor, detail: practices.PracticeDetail) -> None:
    _ = translator(actor.language)
    with read_session() as session:
        rows, _total = find_workshops(session, actor, community_id=detail.community.id, limit=100)
    linked = {w["id"] for w in detail.workshops}
    choices = {
        r.id: f"{r.title} ({format_date(r.starts_at, actor.language, actor.time_zone)})"
        for r in rows
        if r.id not in linked
    }
    if not choices:
        return
    key = f"practice-link-{detail.practice.id}"
    with st.form(key):
        workshop_id = st.selectbox(_("Presented at"), list(choices), format_func=choices.get)
        field_error(key, "workshop_ids", actor.language)
        if st.form_submit_button(_("Link workshop")):
            submit(
                key,
                practices.link_workshop,
                actor,
                detail.practice.id,
                workshop_id,
                reader_language=actor.language,
            )
            st.rerun()


def _add_image(actor: Actor, detail: practices.PracticeDetail) -> None:
    _ = translator(actor.language)
    key = f"practice-image-{detail.practice.id}"
    with st.expander(_("Add an image"), icon=":material/image:"):
        errors_banner(key, actor.language)
        with st.form(key):  # kept after a refusal (the file too), emptied after a save
            upload = st.file_uploader(
                _("Image (PNG, JPEG or GIF)"),
                type=["png", "jpg", "jpeg", "gif"],
                key=widget_key(key, "image"),
            )
            field_error(key, "image", actor.language)
            alt = st.text_input(
                _("Alternative text (what the image shows)"), key=widget_key(key, "alt_text")
            )
            field_error(key, "alt_text", actor.language)
            credit = st.text_input(_("Credit"), key=widget_key(key, "credit"))
            field_error(key, "credit", actor.language)
            if st.form_submit_button(_("Add image")):
                data = upload.getvalue() if upload is not None else b""
                if submit(
                    key,
                    practices.add_image,
                    actor,
                    detail.practice.id,
                    data,
                    alt_text=alt,
                    credit=credit,
                    reader_language=actor.language,
                ):
                    clear_form(key)
                    st.rerun()
