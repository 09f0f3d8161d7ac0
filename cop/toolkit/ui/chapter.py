"""The toolkit page's chapter level: the editor, review, revisions and exports of one chapter.

Members and facilitators work on the live draft: sections in order with
up/down/remove, a Markdown editor with its rendered preview, what the
records contribute, comments, submit and approve. Everyone else reads the
latest approved revision. Blocks are drawn with Streamlit's own elements
(user text as sanitised Markdown, escaped headings or table cells).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cop.core.db import read_session
from cop.core.errors import CopError
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor, is_allowed
from cop.export import charts
from cop.export.document import Block, Document, Figure, Heading, Paragraph, PracticeBox, Table
from cop.export.markdown import escape
from cop.practices import service as practices
from cop.practices import standards
from cop.practices.review import STATUS_LABELS as PRACTICE_STATUSES
from cop.shell.formatting import local_time
from cop.shell.forms import (
    clear_form,
    draw_conflict,
    error_text,
    errors_banner,
    field_error,
    read,
    submit,
    widget_key,
)
from cop.shell.history import history_table
from cop.shell.markdown_editor import markdown_editor
from cop.shell.text import heading, markdown, plain
from cop.toolkit import export as toolkit_export
from cop.toolkit import revisions as toolkit_revisions
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from cop.toolkit.blocks import DEFAULT_TITLES, KIND_LABELS, record_blocks
from cop.toolkit.key_results import key_results
from cop.toolkit.models import ChapterStatus, Section, SectionKind
from cop.toolkit.service import STATUS_LABELS, ChapterDetail
from cop.toolkit.ui.editions import FORMAT_LABELS

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


def draw_blocks(blocks: list[Block]) -> None:
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
                [dict(zip(block.columns, row, strict=False)) for row in block.rows],
                hide_index=True,
                width="stretch",
            )
        elif isinstance(block, Figure):
            st.image(block.png, caption=plain(block.caption), alt=block.alt)


def chapter_page(actor: Actor, chapter_id: int) -> None:
    _ = translator(actor.language)
    detail: ChapterDetail = read(
        toolkit.chapter_detail, actor, chapter_id, reader_language=actor.language
    )
    chapter = detail.chapter
    heading(chapter.title, 3)
    status = _(STATUS_LABELS.get(chapter.status, chapter.status))
    published = (
        _("approved revision {n}").format(n=chapter.approved_number)
        if chapter.approved_number
        else _("no approved revision yet")
    )
    st.caption(f"{plain(detail.community.name)} · {status} · {published}")
    if detail.sees_draft:
        editor, review, export, past = st.tabs(
            [_("Draft"), _("Revisions"), _("Export"), _("History")]
        )
        with editor:
            _editor(actor, detail)
    else:
        reading, review, export, past = st.tabs(
            [_("Approved text"), _("Revisions"), _("Export"), _("History")]
        )
        with reading:
            if detail.published is None:
                st.info(_("This chapter has no approved revision yet."))
            else:
                draw_blocks(Document.from_json(detail.published.document).blocks[1:])
    with review:
        _revisions(actor, detail)
    with export:
        _chapter_export(actor, detail)
    with past:
        entries = read(toolkit.chapter_history, actor, chapter.id, reader_language=actor.language)
        history_table(actor, entries or [])


def _editor(actor: Actor, detail: ChapterDetail) -> None:
    _ = translator(actor.language)
    community, chapter = detail.community, detail.chapter
    can_edit = is_allowed(actor, "chapter.edit", community)
    comments = read(
        toolkit_sections.chapter_comments, actor, chapter.id, reader_language=actor.language
    )
    _workflow(actor, detail)
    for index, section in enumerate(detail.sections, start=1):
        _section(actor, detail, section, index, comments.get(section.id, []), can_edit)  # type: ignore[arg-type]
    if can_edit:
        _add_section(actor, detail)


def _workflow(actor: Actor, detail: ChapterDetail) -> None:
    _ = translator(actor.language)
    chapter, community = detail.chapter, detail.community
    key = f"chapter-workflow-{chapter.id}"
    draw_conflict(key, actor.language)
    errors_banner(key, actor.language)
    if chapter.status == ChapterStatus.DRAFT and is_allowed(actor, "chapter.submit", community):
        if st.button(
            _("Submit for review"), key=f"{key}-submit", icon=":material/send:", type="primary"
        ):
            if submit(
                key,
                toolkit.submit_chapter,
                actor,
                chapter.id,
                chapter.version,
                reader_language=actor.language,
            ):
                st.rerun()
    elif chapter.status == ChapterStatus.IN_REVIEW:
        if is_allowed(actor, "chapter.approve", community):
            if st.button(
                _("Approve this text"),
                key=f"{key}-approve",
                icon=":material/verified:",
                type="primary",
            ):
                if submit(
                    key,
                    toolkit.approve_chapter,
                    actor,
                    chapter.id,
                    chapter.version,
                    reader_language=actor.language,
                ):
                    st.rerun()
        else:
            st.info(
                _("Submitted for review: a facilitator approves it. An edit returns it to draft.")
            )
    elif chapter.status == ChapterStatus.APPROVED:
        st.success(
            _(
                "Approved. An edit opens the next draft; readers keep the approved revision until then."
            )
        )


def _section(
    actor: Actor,
    detail: ChapterDetail,
    section: Section,
    index: int,
    comments: list[toolkit_sections.ChapterComment],
    can_edit: bool,
) -> None:
    _ = translator(actor.language)
    key = f"section-{section.id}"
    count = len(detail.sections)
    with st.container(border=True):
        head, up, down, remove = st.columns([8, 1, 1, 1])
        with head:
            heading(f"{index}. {section.title}", 4)
            st.caption(_(KIND_LABELS.get(section.kind, section.kind)))
        if can_edit:
            for column, direction, icon, disabled, hint in (
                (up, "up", ":material/arrow_upward:", index == 1, _("Move up")),
                (down, "down", ":material/arrow_downward:", index == count, _("Move down")),
            ):
                if column.button(
                    "", key=f"{key}-{direction}", icon=icon, disabled=disabled, help=hint
                ):
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
            if remove.button(
                "", key=f"{key}-remove", icon=":material/delete:", help=_("Remove this section")
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
        draw_conflict(key, actor.language)
        errors_banner(key, actor.language)
        if can_edit:
            # Drawn only when opened (seven editors cost more than the rest of the page);
            # what was typed survives closing it (see _edit_base).
            editor = st.expander(
                _("Edit"), icon=":material/edit:", key=f"{key}-edit", on_change="rerun"
            )
            if editor.open:
                with editor:
                    _section_form(actor, detail, section, key)
        else:
            markdown(section.body)
        # Drawn only when opened: the records behind a section (and its chart) are the costly part of the page.
        preview = st.expander(
            _("What the records show") if section.kind != SectionKind.FREE_TEXT else _("Preview"),
            key=f"{key}-preview",
            on_change="rerun",
        )
        if preview.open:
            with preview:
                _section_preview(actor, detail, section)
        _comments(actor, detail, section, comments)


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
        # Streamlit dropped the widgets while the editor was closed: put back what was typed.
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


def _section_form(actor: Actor, detail: ChapterDetail, section: Section, key: str) -> None:
    _ = translator(actor.language)
    base = _edit_base(section)
    title = st.text_input(_("Title"), key=f"title-{section.id}")
    field_error(key, "title", actor.language)
    body = markdown_editor(
        _("Text (Markdown)"), key=f"body-{section.id}", height=180, language=actor.language
    )
    st.session_state[f"section-draft-{section.id}"] = {"title": title, "body": body}
    field_error(key, "body", actor.language)
    if body.strip():
        st.caption(_("Preview"))
        markdown(body)
    suffix = f"{section.id}-{section.version}"
    settings = _settings(actor, detail, section, suffix, key)
    if st.button(_("Save section"), key=f"save-{section.id}", icon=":material/save:"):
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
            _rebase(section.id, saved.version, saved.title, saved.body, reset_widgets=False)
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


def _section_preview(actor: Actor, detail: ChapterDetail, section: Section) -> None:
    _ = translator(actor.language)
    if section.kind == SectionKind.FREE_TEXT:
        markdown(section.body)
        return
    with read_session() as session:
        blocks = record_blocks(session, actor, detail.community, section, with_charts=False)
        results = (
            key_results(session, actor, detail.community.id)
            if section.kind == SectionKind.KEY_RESULTS
            else None
        )  # type: ignore[arg-type]
    draw_blocks(blocks)
    if results is not None and section.settings.get("chart", True):
        st.vega_lite_chart(charts.infographic_spec(results), theme=None)


def _comments(
    actor: Actor,
    detail: ChapterDetail,
    section: Section,
    comments: list[toolkit_sections.ChapterComment],
) -> None:
    _ = translator(actor.language)
    open_count = sum(1 for c in comments if not c.resolved)
    label = _("Comments ({open} open)").format(open=open_count)
    with st.expander(label, icon=":material/forum:"):
        for comment in comments:
            when = local_time(comment.created_at, actor.time_zone, language=actor.language)
            meta = f"{plain(comment.author)} · {when}"
            st.caption(meta + (" · " + _("resolved") if comment.resolved else ""))
            markdown(comment.text)
            if not comment.resolved and is_allowed(actor, "chapter.comment", detail.community):
                if st.button(_("Resolve"), key=f"resolve-{comment.id}", icon=":material/check:"):
                    if submit(
                        f"comment-{comment.id}",
                        toolkit_sections.resolve_comment,
                        actor,
                        comment.id,
                        comment.version,
                        reader_language=actor.language,
                    ):
                        st.rerun()
        if is_allowed(actor, "chapter.comment", detail.community):
            key = f"comment-new-{section.id}"
            errors_banner(key, actor.language)
            with st.form(key):  # kept after a refusal, emptied after a save
                text = st.text_area(_("Add a comment"), height=80, key=widget_key(key, "text"))
                field_error(key, "text", actor.language)
                if st.form_submit_button(_("Comment")):
                    if submit(
                        key,
                        toolkit_sections.add_comment,
                        actor,
                        section.id,
                        text,
                        reader_language=actor.language,
                    ):
                        clear_form(key)
                        st.rerun()


def _add_section(actor: Actor, detail: ChapterDetail) -> None:
    _ = translator(actor.language)
    key = f"section-new-{detail.chapter.id}"
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
            chosen_title = title.strip() or _(DEFAULT_TITLES[kind])
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


def _revisions(actor: Actor, detail: ChapterDetail) -> None:
    _ = translator(actor.language)
    chapter, community = detail.chapter, detail.community
    rows = read(toolkit.list_revisions, actor, chapter.id, reader_language=actor.language)
    if not rows:
        st.info(
            _("No revision yet: the first one is made when a facilitator approves the chapter.")
        )
        return
    st.dataframe(
        [
            {
                _("Revision"): r.number,
                _("Title"): r.title,
                _("Approved by"): r.approved_by,
                _("Approved at"): local_time(
                    r.approved_at, actor.time_zone, language=actor.language
                ),
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
    )
    choices: list[Any] = [r.number for r in rows] + (["draft"] if detail.sees_draft else [])
    label = {
        n: _("current draft") if n == "draft" else _("revision {n}").format(n=n) for n in choices
    }
    # By default: the latest revision against the draft, or else against the revision before it.
    old_index, new_index = (
        (0, len(choices) - 1) if detail.sees_draft else (min(1, len(choices) - 1), 0)
    )
    left, right = st.columns(2)
    old = left.selectbox(
        _("Compare"), choices, index=old_index, format_func=label.get, key="toolkit-diff-old"
    )
    new = right.selectbox(
        _("with"), choices, index=new_index, format_func=label.get, key="toolkit-diff-new"
    )
    # Building the draft's document is the costly part of this page: only on request.
    if st.toggle(_("Show the differences"), key="toolkit-diff-show"):
        diff = read(
            toolkit_revisions.diff_revisions,
            actor,
            chapter.id,
            old,
            new,
            reader_language=actor.language,
        )
        st.code(diff or _("No differences."), language="diff", wrap_lines=True)
    if is_allowed(actor, "chapter.restore", community):
        key = f"chapter-restore-{chapter.id}"
        draw_conflict(key, actor.language)
        errors_banner(key, actor.language)
        numbers = [r.number for r in rows]
        number = st.selectbox(
            _("Restore a revision as the new draft"),
            numbers,
            key=f"{key}-number",
            format_func=label.get,
        )
        if st.button(_("Restore"), key=f"{key}-button", icon=":material/history:"):
            if (
                submit(
                    key,
                    toolkit_revisions.restore_revision,
                    actor,
                    chapter.id,
                    chapter.version,
                    number,
                    reader_language=actor.language,
                )
                is not None
            ):
                st.rerun()


def _chapter_export(actor: Actor, detail: ChapterDetail) -> None:
    _ = translator(actor.language)
    chapter = detail.chapter
    rows = read(toolkit.list_revisions, actor, chapter.id, reader_language=actor.language)
    sources: list[Any] = (["draft"] if detail.sees_draft else []) + [r.number for r in rows]
    if not sources:
        st.info(_("Nothing to export yet: this chapter has no approved revision."))
        return
    label = {
        n: _("current draft") if n == "draft" else _("revision {n}").format(n=n) for n in sources
    }
    left, right = st.columns(2)
    source = left.selectbox(
        _("Text"), sources, format_func=label.get, key=f"chapter-export-source-{chapter.id}"
    )
    fmt = right.selectbox(
        _("Format"),
        list(FORMAT_LABELS),
        format_func=FORMAT_LABELS.get,
        key=f"chapter-export-format-{chapter.id}",
    )
    if st.button(
        _("Prepare the file"), key=f"chapter-export-build-{chapter.id}", icon=":material/build:"
    ):
        with st.status(_("Preparing the file…")) as status:
            try:
                built = toolkit_export.export_chapter(
                    actor,
                    chapter.id,
                    fmt,
                    draft=source == "draft",
                    revision=None if source == "draft" else source,
                    on_wait=lambda message: status.update(label=_(message)),
                )
            except CopError as exc:
                status.update(label=plain(error_text(exc, actor.language)), state="error")
            else:
                st.session_state["toolkit-chapter-file"] = built
                status.update(label=_("The file is ready."), state="complete")
    built = st.session_state.get("toolkit-chapter-file")
    if built is not None:
        st.download_button(
            _("Download {name}").format(name=plain(built.filename)),
            built.data,
            file_name=built.filename,
            mime=built.mime,
            key="chapter-export-download",
            on_click="ignore",
            icon=":material/download:",
        )
    _infographic(actor, detail)


def _infographic(actor: Actor, detail: ChapterDetail) -> None:
    _ = translator(actor.language)
    if st.button(
        _("Prepare the key-results infographic"),
        key=f"infographic-{detail.chapter.id}",
        icon=":material/insert_chart:",
    ):
        try:
            with toolkit_export.snapshot_session() as session:
                made = toolkit_export.chapter_infographic(
                    session, actor, detail.chapter.id, draft=detail.sees_draft
                )
        except CopError as exc:
            st.error(plain(error_text(exc, actor.language)))
            made = None
        if made is None:
            st.info(_("There is no infographic to download yet."))
        st.session_state["toolkit-infographic"] = made
    made = st.session_state.get("toolkit-infographic")
    if made:
        png, svg = made
        left, right = st.columns(2)
        name = f"key-results-chapter-{detail.chapter.id}"
        left.download_button(
            "PNG",
            png,
            file_name=f"{name}.png",
            mime="image/png",
            key="infographic-png",
            on_click="ignore",
            icon=":material/image:",
        )
        right.download_button(
            "SVG",
            svg,
            file_name=f"{name}.svg",
            mime="image/svg+xml",
            key="infographic-svg",
            on_click="ignore",
            icon=":material/image:",
        )
