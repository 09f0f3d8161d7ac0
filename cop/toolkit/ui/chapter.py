"""The toolkit page's chapter level: the draft, review, revisions and exports of one chapter.

Members and facilitators read the live draft as one page and edit it section by
section in place (cop.toolkit.ui.sections), submit and approve it. Everyone else
reads the latest approved revision. Two versions are compared as rendered text
with insertions and deletions marked (cop.toolkit.diff). A text's blocks are drawn as
few elements as they allow (cop.toolkit.ui.reading: user text as sanitised Markdown,
escaped headings and table cells, joined into one Markdown block).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cop.core.errors import CopError
from cop.core.i18n import N_, translator
from cop.core.permissions import Actor, is_allowed
from cop.export.document import Document
from cop.shell.downloads import download_link
from cop.shell.formatting import local_time
from cop.shell.forms import draw_conflict, error_text, errors_banner, read, submit
from cop.shell.history import history_table
from cop.shell.page_language import in_language
from cop.shell.text import heading, plain
from cop.toolkit import export as toolkit_export
from cop.toolkit import revisions as toolkit_revisions
from cop.toolkit import service as toolkit
from cop.toolkit.diff import ADDED, CHANGED, REMOVED, UNCHANGED
from cop.toolkit.models import ChapterStatus
from cop.toolkit.service import STATUS_LABELS, ChapterDetail
from cop.toolkit.ui.editions import FORMAT_LABELS
from cop.toolkit.ui.reading import draw_blocks
from cop.toolkit.ui.sections import draft_page

TAB_KEY = "toolkit_chapter_view"


def chapter_page(actor: Actor, chapter_id: int) -> None:
    _ = translator(actor.language)
    # Kept until anything is written (cop.shell.cache): switching tabs and opening panels
    # run the page again with nothing changed.
    detail: ChapterDetail = read(
        toolkit.chapter_detail,
        actor,
        chapter_id,
        reader_language=actor.language,
        cached=True,
        journal=False,
    )
    chapter = detail.chapter
    language = detail.toolkit.language  # the chapter's words are in its edition's language
    with in_language(language, actor.language, f"chapter-{chapter.id}"):
        heading(chapter.title, 3)
    status = _(STATUS_LABELS.get(chapter.status, chapter.status))
    published = (
        _("approved revision {n}").format(n=chapter.approved_number)
        if chapter.approved_number
        else _("no approved revision yet")
    )
    st.caption(f"{plain(detail.community.name)} · {status} · {published}")
    # Only the open tab is drawn: the draft alone is dozens of elements, and the comparison,
    # the export and the history each read the database again (``st.tabs`` with a key and
    # ``on_change="rerun"`` knows which tab is open).
    first = _("Draft") if detail.sees_draft else _("Approved text")
    text, review, export, past = st.tabs(
        [first, _("Revisions"), _("Export"), _("History")],
        key=f"{TAB_KEY}-{'draft' if detail.sees_draft else 'approved'}",
        on_change="rerun",
    )
    if text.open:
        with text:
            if detail.sees_draft:
                _workflow(actor, detail)
                draft_page(actor, detail)
            else:
                _approved_text(actor, detail)
    if review.open:
        with review:
            _revisions(actor, detail)
    if export.open:
        with export:
            _chapter_export(actor, detail)
    if past.open:
        with past:
            entries = read(
                toolkit.chapter_history, actor, chapter.id, reader_language=actor.language
            )
            history_table(actor, entries or [])


def _approved_text(actor: Actor, detail: ChapterDetail) -> None:
    _ = translator(actor.language)
    chapter = detail.chapter
    published = (
        read(toolkit.published_text, actor, chapter.id, reader_language=actor.language)
        if chapter.approved_number
        else None
    )
    if published is None:
        st.info(_("This chapter has no approved revision yet."))
        return
    language = detail.toolkit.language
    with in_language(language, actor.language, f"chapter-{chapter.id}-text"):
        draw_blocks(Document.from_json(published.document).blocks[1:], actor.language)


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
            if st.button(
                _("Send back to the authors"),
                key=f"{key}-send-back",
                icon=":material/undo:",
                help=_("The chapter goes back to draft; its authors are notified."),
            ):
                if submit(
                    key,
                    toolkit.send_back_chapter,
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
    _comparison(actor, detail, old, new)
    if is_allowed(actor, "chapter.restore", community):
        st.divider()
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


# Static CSS only (no user text): insertions underlined, deletions struck through, each tinted.
DIFF_CSS = """<style>
.cop-diff ins { text-decoration: underline; text-decoration-thickness: 2px;
  background: rgba(33, 195, 84, 0.18); color: inherit; }
.cop-diff del { text-decoration: line-through; text-decoration-thickness: 2px;
  background: rgba(255, 43, 43, 0.14); color: inherit; }
</style>"""
STATE_LABELS = {
    CHANGED: N_("changed"),
    UNCHANGED: N_("unchanged"),
    ADDED: N_("added"),
    REMOVED: N_("removed"),
}


def _comparison(actor: Actor, detail: ChapterDetail, old: Any, new: Any) -> None:
    """The two versions' sections as rendered text, with what was added and removed marked."""
    _ = translator(actor.language)
    changes = read(
        toolkit_revisions.compare_revisions,
        actor,
        detail.chapter.id,
        old,
        new,
        reader_language=actor.language,
        cached=True,
    )
    st.markdown(DIFF_CSS, unsafe_allow_html=True)
    st.markdown(
        '<div class="cop-diff">'
        + _(
            "Legend: <ins>added text</ins> is underlined, <del>removed text</del> is struck through."
        )
        + "</div>",
        unsafe_allow_html=True,
    )
    if not changes or all(c.status == UNCHANGED for c in changes):
        st.info(_("No differences."))
    for change in changes or []:
        if change.status == UNCHANGED:  # one line each: the changes are what is read here
            st.caption(plain(change.title) + " · " + _(STATE_LABELS[change.status]))
            continue
        heading(change.title, 5)
        st.caption(_(STATE_LABELS[change.status]))
        # Sanitised HTML (cop.toolkit.diff): user text escaped, only the renderer's tags and ours.
        st.markdown(f'<div class="cop-diff">{change.html}</div>', unsafe_allow_html=True)


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
    draft = source == "draft"
    revision = None if draft else source
    if fmt != "pdf":  # built in well under a second: one click
        name = toolkit_export.chapter_file_name(
            detail.toolkit.title, chapter.title, fmt, revision or chapter.approved_number, draft
        )
        download_link(
            actor,
            _("Download {name}").format(name=plain(name)),
            "chapter",
            {"chapter_id": chapter.id, "format": fmt, "revision": revision, "draft": draft},
        )
        _infographic(actor, detail)
        return
    # A PDF takes seconds: prepared with its progress shown, then downloaded.
    if st.button(
        _("Prepare the file"), key=f"chapter-export-build-{chapter.id}", icon=":material/build:"
    ):
        with st.status(_("Preparing the file…")) as status:
            try:
                built = toolkit_export.export_chapter(
                    actor,
                    chapter.id,
                    fmt,
                    draft=draft,
                    revision=revision,
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
