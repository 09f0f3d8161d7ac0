"""The chapter draft as one page: every section rendered in order, each editable in place.

Reading is the default: the sections' headings, their rendered text and what the
records contribute, top to bottom, each section one block of text (cop.toolkit.ui.reading),
with its tools and comments beside it (on a phone they follow it). "Edit" turns that one
section into its form; Save and Cancel turn it back. Which section is open is kept in the
session, so the other sections stay as they read. Moving and removing a section sit in a
small popover drawn only once opened. User text is drawn through the safe renderer only.
"""

from __future__ import annotations

import html
from contextlib import nullcontext
from typing import Any

import streamlit as st

from cop.core.db import read_session
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor, is_allowed
from cop.practices import service as practices
from cop.practices import standards
from cop.practices.review import STATUS_LABELS as PRACTICE_STATUSES
from cop.shell.confirm import asking, confirmed
from cop.shell.forms import (
    clear_form,
    draw_conflict,
    errors_banner,
    field_error,
    read,
    submit,
    widget_key,
)
from cop.shell.lazy import lazy_popover
from cop.shell.markdown_editor import markdown_editor
from cop.shell.text import MarkdownBlock, plain
from cop.toolkit import sections as toolkit_sections
from cop.toolkit.blocks import KIND_LABELS
from cop.toolkit.key_results import infographic_for_screen
from cop.toolkit.models import Section, SectionKind
from cop.toolkit.service import ChapterDetail
from cop.toolkit.ui.comments import section_comments
from cop.toolkit.ui.reading import add_blocks
from cop.toolkit.web import infographic_address

FLAGS = {
    SectionKind.KEY_RESULTS: ("chart", N_("Show the infographic"), True),
    SectionKind.WORKSHOP_TIMELINE: ("include_planned", N_("Include planned workshops"), False),
    SectionKind.ACTIONS_SUMMARY: ("list_actions", N_("List every action"), True),
    SectionKind.LESSONS_LEARNED: (
        "include_insights",
        N_("Add the insights recorded at closed workshops"),
        True,
    ),
}


# Static CSS only (no user text). A line above each section's row, as ``st.divider`` drew, but
# without an element of its own per section (issue 24: each element is a message on every run):
# the row whose text column holds a section's block (``cop-section``) gets a top border.
SECTION_CSS = """<style>
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] .cop-section) {
  border-top: 1px solid color-mix(in srgb, currentColor 20%, transparent);
  padding-top: 1.5rem;
  margin-top: 0.5rem;
}
</style>"""


def editing_key(chapter_id: int) -> str:
    """Session state: the id of the section of this chapter that is open for editing, if any."""
    return f"toolkit-editing-{chapter_id}"


def draft_page(actor: Actor, detail: ChapterDetail) -> None:
    """Every section of the draft, top to bottom, without a click."""
    chapter = detail.chapter
    can_edit = is_allowed(actor, "chapter.edit", detail.community)
    # Both kept until anything is written (cop.shell.cache), as the chapter's detail is.
    comments = read(
        toolkit_sections.chapter_comments,
        actor,
        chapter.id,
        reader_language=actor.language,
        cached=True,
        journal=False,
    )
    # The reader's right is asked for each reader; the records are kept once for all of them.
    audience = read(
        toolkit_sections.draft_audience,
        actor,
        chapter.id,
        reader_language=actor.language,
        cached=True,
        journal=False,
    )
    records = read(
        toolkit_sections.draft_records,
        actor,
        chapter.id,
        reader_language=actor.language,
        cached=True,
        journal=False,
        kept_as=audience,
    )
    editing = st.session_state.get(editing_key(chapter.id))
    st.html(SECTION_CSS)
    for index, section in enumerate(detail.sections, start=1):
        _section(
            actor,
            detail,
            section,
            index,
            records,  # type: ignore[arg-type]
            (comments or {}).get(section.id, []),  # type: ignore[arg-type]
            can_edit=can_edit,
            editing=editing == section.id,
        )
    if can_edit:
        _add_section(actor, detail)


def _section(
    actor: Actor,
    detail: ChapterDetail,
    section: Section,
    index: int,
    records: toolkit_sections.DraftRecords,
    comments: list[toolkit_sections.ChapterComment],
    *,
    can_edit: bool,
    editing: bool,
) -> None:
    key = f"section-{section.id}"
    text, beside = st.columns([3, 1], gap="large")
    with text:
        draw_conflict(key, actor.language)
        errors_banner(key, actor.language)
        if editing:
            section_edit_form(actor, detail, section, key)
        else:
            _section_reading(actor, detail, section, index, records)
    with beside:
        if can_edit and not editing:
            _section_tools(actor, detail, section, index)
        section_comments(actor, detail, section, comments)


def section_block(
    actor: Actor,
    detail: ChapterDetail,
    section: Section,
    index: int,
    records: toolkit_sections.DraftRecords,
) -> MarkdownBlock:
    """The section as readers will see it: heading, what its records are, text, boxes, tables."""
    _ = translator(actor.language)
    # The chapter's words are in its edition's language, marked where it is not the reader's.
    words = detail.toolkit.language if detail.toolkit.language != actor.language else None
    block = MarkdownBlock(css_class="cop-section")  # the page's style sheet sets its row apart
    with block.language(words):
        block.heading(f"{index}. {section.title}", 4)
    kind = KIND_LABELS.get(section.kind, section.kind)
    if section.kind != SectionKind.FREE_TEXT and section.title not in (kind, _(kind)):
        block.caption(_(kind))  # what the records add, unless the title says it already
    blocks = records.blocks.get(section.id, [])  # type: ignore[arg-type]
    if not section.body.strip() and not blocks:
        block.caption(_("This section has no text yet."))
    with block.language(words):
        if section.body.strip():
            block.markdown(section.body)
        add_blocks(block, blocks, actor.language)
    return block


def _section_reading(
    actor: Actor,
    detail: ChapterDetail,
    section: Section,
    index: int,
    records: toolkit_sections.DraftRecords,
) -> None:
    """One block of text, and for key results the infographic with its text alternative."""
    _ = translator(actor.language)
    section_block(actor, detail, section, index, records).draw()
    if (
        section.kind == SectionKind.KEY_RESULTS
        and records.key_results is not None
        and section.settings.get("chart", True)
    ):
        svg, alt = infographic_for_screen(records.key_results, actor.language)
        # The same SVG as the files, by address: the browser fetches it once (cop.toolkit.web).
        st.markdown(
            f'<img class="cop-infographic" src="{html.escape(infographic_address(svg))}" '
            f'alt="{html.escape(alt).replace(chr(10), "&#10;")}" style="width: 100%; height: auto">',
            unsafe_allow_html=True,  # our own markup; the text alternative is escaped
        )
        with st.expander(_("The infographic as text")):
            st.write(plain(alt))


def _section_tools(actor: Actor, detail: ChapterDetail, section: Section, index: int) -> None:
    """Edit, then "Move or remove": the moves and the removal drawn only once it is opened."""
    _ = translator(actor.language)
    key = f"section-{section.id}"
    st.button(
        _("Edit"),
        key=f"edit-section-{section.id}",
        icon=":material/edit:",
        on_click=_open_editor,
        args=(detail.chapter.id, section.id),
    )
    panel = lazy_popover(
        _("Move or remove"), f"{key}-tools", icon=":material/swap_vert:", wrap=True
    )
    question = asking(f"{key}-remove")
    if panel is None and not question:
        return
    # The question stays in the popover while it is open, else it stands beside the section.
    with panel if panel is not None else nullcontext():
        if panel is not None:
            _moves(actor, detail, section, index)
        if confirmed(
            f"{key}-remove",
            _("Remove"),
            _(
                "Remove the section “{title}” from the draft, with its comments? If an approved "
                "revision holds it, restoring that revision brings it back."
            ).format(title=plain(section.title)),
            confirm_label=_("Remove the section"),
            language=actor.language,
        ):
            if submit(
                key,
                toolkit_sections.remove_section,
                actor,
                section.id,
                section.version,
                reader_language=actor.language,
            ):
                st.rerun()


def _moves(actor: Actor, detail: ChapterDetail, section: Section, index: int) -> None:
    _ = translator(actor.language)
    key = f"section-{section.id}"
    for direction, icon, disabled, label, hint in (
        (
            "up",
            ":material/arrow_upward:",
            index == 1,
            _("Move up"),
            _("Move this section one place earlier"),
        ),
        (
            "down",
            ":material/arrow_downward:",
            index == len(detail.sections),
            _("Move down"),
            _("Move this section one place later"),
        ),
    ):
        # Named, not only an arrow: a phone has no hover to show a tooltip.
        if st.button(label, key=f"{key}-{direction}", icon=icon, disabled=disabled, help=hint):
            if submit(
                key,
                toolkit_sections.move_section,
                actor,
                section.id,
                section.version,
                direction,
                reader_language=actor.language,
            ):
                st.rerun()


def _open_editor(chapter_id: int, section_id: int) -> None:
    st.session_state[editing_key(chapter_id)] = section_id


def _close_editor(chapter_id: int, section_id: int, *, discard: bool) -> None:
    """Back to reading; Cancel also forgets what was typed, so the next Edit starts from the text."""
    state = st.session_state
    if state.get(editing_key(chapter_id)) == section_id:
        del state[editing_key(chapter_id)]
    if discard:
        for name in ("section-draft", "section-base", "section-loaded", "title", "body"):
            state.pop(f"{name}-{section_id}", None)


def _edit_base(section: Section) -> int:
    """The version this editor started from.

    The title and text widgets keep what the user typed across reruns. While
    they hold nothing unsaved they follow the stored section (someone else's
    save shows up); once the user has typed, the version they started from
    is kept, so a save over someone else's change is refused with that
    change shown, and the typed text stays.
    """
    state = st.session_state
    base_key, loaded_key = f"section-base-{section.id}", f"section-loaded-{section.id}"
    draft = state.get(f"section-draft-{section.id}")
    if draft and f"body-{section.id}" not in state:
        # Streamlit dropped the widgets while another section was open: put back what was typed.
        state[f"title-{section.id}"], state[f"body-{section.id}"] = draft["title"], draft["body"]
    typed = {"title": state.get(f"title-{section.id}"), "body": state.get(f"body-{section.id}")}
    loaded = state.get(loaded_key) or {}
    dirty = any(value is not None and value != loaded.get(name) for name, value in typed.items())
    if state.get(base_key) != section.version and not dirty:
        _rebase(section.id, section.version, section.title, section.body, reset_widgets=True)
    return int(state[base_key])


def _rebase(section_id: int, version: int, title: str, body: str, *, reset_widgets: bool) -> None:
    state = st.session_state
    state[f"section-base-{section_id}"] = version
    state[f"section-loaded-{section_id}"] = {"title": title, "body": body}
    if reset_widgets:
        state[f"title-{section_id}"], state[f"body-{section_id}"] = title, body


def section_edit_form(actor: Actor, detail: ChapterDetail, section: Section, key: str) -> None:
    """One section's form, drawn in its place: title, text with its preview, settings, Save, Cancel."""
    _ = translator(actor.language)
    base = _edit_base(section)
    title = st.text_input(_("Title"), key=f"title-{section.id}")
    field_error(key, "title", actor.language)
    body = markdown_editor(
        _("Text (Markdown)"), key=f"body-{section.id}", height=220, language=actor.language
    )
    st.session_state[f"section-draft-{section.id}"] = {"title": title, "body": body}
    field_error(key, "body", actor.language)
    suffix = f"{section.id}-{section.version}"
    settings = _settings(actor, detail, section, suffix, key)
    with st.container(horizontal=True, gap="small"):
        save = st.button(
            _("Save section"), key=f"save-{section.id}", icon=":material/save:", type="primary"
        )
        st.button(
            _("Cancel"),
            key=f"cancel-{section.id}",
            icon=":material/close:",
            on_click=_close_editor,
            args=(detail.chapter.id, section.id),
            kwargs={"discard": True},
        )
    if save:
        saved = submit(
            key,
            toolkit_sections.update_section,
            actor,
            section.id,
            base,
            title=title,
            body=body,
            settings=settings,
            reader_language=actor.language,
        )
        if saved is not None:
            _close_editor(detail.chapter.id, section.id, discard=True)
            st.rerun()
        # Refused (the other change is shown above): the next save starts from the stored version.
        _rebase(section.id, section.version, section.title, section.body, reset_widgets=False)


def _settings(
    actor: Actor, detail: ChapterDetail, section: Section, suffix: str, key: str
) -> dict[str, Any]:
    _ = translator(actor.language)
    current = dict(section.settings or {})
    if section.kind == SectionKind.PRACTICES:
        rows, _total = read(
            practices.find_practices,
            actor,
            community_id=detail.community.id,
            limit=200,
            reader_language=actor.language,
        )
        names = {
            r.id: f"{r.title} ({r.city}, {_(PRACTICE_STATUSES.get(r.status, r.status))})"
            for r in rows
        }
        chosen = st.multiselect(
            _("Practices (approved ones are shown)"),
            list(names),
            format_func=names.get,
            default=[i for i in current.get("practice_ids", []) if i in names],
            key=f"practices-{suffix}",
        )
        field_error(key, "practice_ids", actor.language)
        return {"practice_ids": chosen}
    if section.kind == SectionKind.STANDARDS:
        with read_session() as session:
            listed = standards.list_standards(session, actor, detail.community.id)  # type: ignore[arg-type]
        names = {s.id: s.title for s in listed}
        chosen = st.multiselect(
            _("Standards (none chosen: every approved standard)"),
            list(names),
            format_func=names.get,
            default=[i for i in current.get("standard_ids", []) if i in names],
            key=f"standards-{suffix}",
        )
        field_error(key, "standard_ids", actor.language)
        return {"standard_ids": chosen} if chosen else {}
    if section.kind in FLAGS:
        name, label, default = FLAGS[section.kind]  # type: ignore[index]
        return {
            name: st.checkbox(
                _(label), value=bool(current.get(name, default)), key=f"{name}-{suffix}"
            )
        }
    return {}


def _add_section(actor: Actor, detail: ChapterDetail) -> None:
    _ = translator(actor.language)
    key = f"section-new-{detail.chapter.id}"
    st.divider()
    errors_banner(key, actor.language)
    with st.form(key):
        st.markdown(_("**Add a section**"))
        left, right = st.columns(2)
        kind = left.selectbox(
            _("Kind"), list(KIND_LABELS), format_func=lambda k: _(KIND_LABELS[k]), key=f"{key}-kind"
        )
        title = right.text_input(
            _("Title (empty: the usual title of its kind)"), key=widget_key(key, "title")
        )
        field_error(key, "title", actor.language)
        if st.form_submit_button(_("Add section"), icon=":material/add:"):
            # Empty: the service gives the kind's usual title in the edition's language.
            chosen_title = title.strip() or None
            if submit(
                key,
                toolkit_sections.add_section,
                actor,
                detail.chapter.id,
                kind,
                title=chosen_title,
                reader_language=actor.language,
            ):
                clear_form(key)  # the next section starts from an empty title
                st.rerun()
