"""The chapter draft as one page: every section rendered in order, each editable in place.

Reading is the default: the sections' headings, their rendered text and what the
records contribute, top to bottom, with each section's comments beside it (on a
phone they follow it). "Edit" turns that one section into its form; Save and
Cancel turn it back. Which section is open is kept in the session, so the other
sections stay as they read. User text is drawn through the safe renderer only.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import streamlit as st

from cop.core.db import read_session
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor, is_allowed
from cop.export.document import Block, Figure, Heading, Paragraph, PracticeBox, Table
from cop.export.markdown import escape
from cop.practices import service as practices
from cop.practices import standards
from cop.practices.review import STATUS_LABELS as PRACTICE_STATUSES
from cop.shell.confirm import confirmed
from cop.shell.formatting import format_date, local_time
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
from cop.shell.markdown_editor.mentions import mention_editor
from cop.shell.page_language import in_language
from cop.shell.text import heading, markdown, plain
from cop.toolkit import sections as toolkit_sections
from cop.toolkit.blocks import KIND_LABELS
from cop.toolkit.key_results import infographic_for_screen
from cop.toolkit.models import Section, SectionKind
from cop.toolkit.service import ChapterDetail

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


def editing_key(chapter_id: int) -> str:
    """Session state: the id of the section of this chapter that is open for editing, if any."""
    return f"toolkit-editing-{chapter_id}"


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _cell(value: str, language: str) -> str:
    """A table cell as the reader reads it: the document keeps days as ISO dates (every export
    formats them for its edition), the screen writes them as the reader's language does."""
    if _ISO_DAY.match(value):
        try:
            return format_date(date.fromisoformat(value), language)
        except ValueError:
            return value
    return value


def draw_blocks(blocks: list[Block], language: str) -> None:
    """A document's blocks with Streamlit's elements (the table of contents is left out)."""
    for block in blocks:
        if isinstance(block, Heading):
            heading(block.text, min(block.level + 2, 6))
        elif isinstance(block, Paragraph):
            markdown(block.markdown)
        elif isinstance(block, PracticeBox):
            with st.container(border=True):
                heading(block.title, 5)
                markdown("\n".join(f"- **{escape(k)}:** {escape(v)}" for k, v in block.facts))
                for label, text in block.fields:
                    markdown(f"**{escape(label)}**\n\n{text}")
        elif isinstance(block, Table):
            st.dataframe(
                [
                    dict(zip(block.columns, (_cell(c, language) for c in row), strict=False))
                    for row in block.rows
                ],
                hide_index=True,
                width="stretch",
                height="content",  # read top to bottom: no table scrolls inside the page
            )
        elif isinstance(block, Figure):
            st.image(block.png, caption=plain(block.caption), alt=block.alt)


def draft_page(actor: Actor, detail: ChapterDetail) -> None:
    """Every section of the draft, top to bottom, without a click."""
    chapter = detail.chapter
    can_edit = is_allowed(actor, "chapter.edit", detail.community)
    comments = read(
        toolkit_sections.chapter_comments, actor, chapter.id, reader_language=actor.language
    )
    records = read(
        toolkit_sections.draft_records,
        actor,
        chapter.id,
        reader_language=actor.language,
        cached=True,
    )
    editing = st.session_state.get(editing_key(chapter.id))
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
    st.divider()
    text, beside = st.columns([3, 1], gap="large")
    with text:
        draw_conflict(key, actor.language)
        errors_banner(key, actor.language)
        if editing:
            section_edit_form(actor, detail, section, key)
        else:
            _section_reading(actor, detail, section, index, records, can_edit=can_edit)
    with beside:
        _comments(actor, detail, section, comments)


def _section_reading(
    actor: Actor,
    detail: ChapterDetail,
    section: Section,
    index: int,
    records: toolkit_sections.DraftRecords,
    *,
    can_edit: bool,
) -> None:
    """The section as readers will see it, with its Edit, move and remove controls."""
    _ = translator(actor.language)
    language = detail.toolkit.language
    with in_language(language, actor.language, f"section-{section.id}-title"):
        heading(f"{index}. {section.title}", 4)
    kind = KIND_LABELS.get(section.kind, section.kind)
    if section.kind != SectionKind.FREE_TEXT and section.title not in (kind, _(kind)):
        st.caption(_(kind))  # what the records add, unless the title says it already
    if can_edit:
        _section_tools(actor, detail, section, index)
    blocks = records.blocks.get(section.id, [])  # type: ignore[arg-type]
    if not section.body.strip() and not blocks:
        st.caption(_("This section has no text yet."))
    with in_language(language, actor.language, f"section-{section.id}"):
        if section.body.strip():
            markdown(section.body)
        draw_blocks(blocks, actor.language)
    if (
        section.kind == SectionKind.KEY_RESULTS
        and records.key_results is not None
        and section.settings.get("chart", True)
    ):
        svg, alt = infographic_for_screen(records.key_results, actor.language)
        st.image(svg, width="stretch", alt=alt)  # the same SVG as the files, in an <img>
        with st.expander(_("The infographic as text")):
            st.write(plain(alt))


def _section_tools(actor: Actor, detail: ChapterDetail, section: Section, index: int) -> None:
    _ = translator(actor.language)
    key = f"section-{section.id}"
    count = len(detail.sections)
    row = st.container(horizontal=True, gap="small")
    row.button(
        _("Edit"),
        key=f"edit-section-{section.id}",
        icon=":material/edit:",
        on_click=_open_editor,
        args=(detail.chapter.id, section.id),
    )
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
            index == count,
            _("Move down"),
            _("Move this section one place later"),
        ),
    ):
        # Named, not only an arrow: a phone has no hover to show a tooltip.
        if row.button(label, key=f"{key}-{direction}", icon=icon, disabled=disabled, help=hint):
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
    if confirmed(
        f"{key}-remove",
        _("Remove"),
        _(
            "Remove the section “{title}” from the draft, with its comments? If an approved "
            "revision holds it, restoring that revision brings it back."
        ).format(title=plain(section.title)),
        confirm_label=_("Remove the section"),
        language=actor.language,
        slot=row,
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


def _comments(
    actor: Actor,
    detail: ChapterDetail,
    section: Section,
    comments: list[toolkit_sections.ChapterComment],
) -> None:
    """The section's comments beside it, open ones first, each with its replies, and a way to add one."""
    _ = translator(actor.language)
    may_comment = is_allowed(actor, "chapter.comment", detail.community)
    community_id = detail.community.id
    assert community_id is not None  # a stored chapter's community
    open_count = sum(1 for c in comments if not c.resolved and c.parent_id is None)
    st.markdown(":material/forum: " + plain(_("Comments ({open} open)").format(open=open_count)))
    replies: dict[int, list[toolkit_sections.ChapterComment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in comments:
        if comment.parent_id is not None:
            continue
        with st.container(border=True):
            _comment(actor, comment, may_comment)
            for reply in replies.get(comment.id, []):
                with st.container(border=False):
                    st.caption(":material/subdirectory_arrow_right: " + plain(_("Reply")))
                    _comment(actor, reply, may_comment=False)
            if may_comment and not comment.resolved:
                _comment_form(actor, section, community_id, reply_to=comment.id)
    if may_comment:
        _comment_form(actor, section, community_id)


def _comment(actor: Actor, comment: toolkit_sections.ChapterComment, may_comment: bool) -> None:
    _ = translator(actor.language)
    when = local_time(comment.created_at, actor.time_zone, language=actor.language)
    meta = f"{plain(comment.author)} · {when}"
    st.caption(meta + (" · " + _("resolved") if comment.resolved else ""))
    markdown(comment.text)
    if not comment.resolved and may_comment:
        if st.button(
            _("Resolve"),
            key=f"resolve-{comment.id}",
            icon=":material/check:",
            help=_("Mark this comment as dealt with"),
        ):
            if submit(
                f"comment-{comment.id}",
                toolkit_sections.resolve_comment,
                actor,
                comment.id,
                comment.version,
                reader_language=actor.language,
            ):
                st.rerun()


def _comment_form(
    actor: Actor, section: Section, community_id: int, reply_to: int | None = None
) -> None:
    _ = translator(actor.language)
    key = f"comment-new-{section.id}" if reply_to is None else f"comment-reply-{reply_to}"
    label = _("Add a comment") if reply_to is None else _("Reply")
    errors_banner(key, actor.language)
    icon = ":material/add_comment:" if reply_to is None else ":material/reply:"
    # Drawn from the first opening on: most readers never comment, and each closed form
    # with its editor cost every section a dozen elements on every run (issue 24).
    panel = lazy_popover(label, f"{key}-open", icon=icon, stay=True)
    if panel is None:
        return
    with panel:
        with st.form(key):  # kept after a refusal, emptied after a save
            text = mention_editor(
                actor, label, community_id, key=widget_key(key, "text"), height=100
            )
            field_error(key, "text", actor.language)
            field_error(key, "reply_to", actor.language)
            if st.form_submit_button(
                _("Comment") if reply_to is None else _("Send reply"), icon=":material/send:"
            ):
                if submit(
                    key,
                    toolkit_sections.add_comment,
                    actor,
                    section.id,
                    text,
                    reply_to=reply_to,
                    reader_language=actor.language,
                ):
                    clear_form(key)
                    st.rerun()


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
