"""The toolkit page's edition level: choosing an edition, its front matter and chapters, whole exports.

Every read and write goes through the toolkit services (``read``/``submit``
turn their errors into messages). Buttons follow the permission table as a
courtesy; the services decide. User text reaches the page only as sanitised
Markdown (headings are escaped Markdown), table cells or widget values.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cop.communities import service as communities
from cop.core.db import read_session
from cop.core.errors import CopError
from cop.core.i18n import LANGUAGES, translator
from cop.core.permissions import Actor
from cop.shell.forms import draw_conflict, error_text, errors_banner, field_error, read, submit
from cop.shell.lazy import lazy_expander
from cop.shell.page_language import in_language
from cop.shell.text import MarkdownBlock, heading, markdown, plain
from cop.toolkit import export as toolkit_export
from cop.toolkit import service as toolkit
from cop.toolkit.models import Toolkit
from cop.toolkit.service import STATUS_LABELS

EDITION_KEY = "toolkit_edition"
NEXT_EDITION_KEY = "toolkit_edition_next"  # a saved or new edition, chosen at the next run
CHAPTER_KEY = "toolkit_chapter"
FORMAT_LABELS = {"md": "Markdown", "html": "HTML", "docx": "Word (DOCX)", "pdf": "PDF"}


def edition_picker(actor: Actor) -> Toolkit | None:
    """The edition to show; admins may create the first one here."""
    _ = translator(actor.language)
    editions = read(
        toolkit.list_toolkits, reader_language=actor.language, cached=True, journal=False
    )
    if actor.is_admin:
        # Drawn from the first opening on (its form keeps what was typed); open at once when
        # there is no edition yet, as there is nothing else to do then.
        panel = (
            lazy_expander(
                _("Create an edition"), "toolkit-create-edition", icon=":material/add:", stay=True
            )
            if editions
            else st.expander(_("Create an edition"), icon=":material/add:", expanded=True)
        )
        if panel is not None:
            with panel:
                edition_form(actor, None)
    if not editions:
        st.info(_("There is no toolkit edition yet. An administrator creates one."))
        return None
    by_id = {e.id: e for e in editions}
    if st.session_state.get(NEXT_EDITION_KEY) in by_id:
        st.session_state[EDITION_KEY] = st.session_state.pop(NEXT_EDITION_KEY)
    if st.session_state.get(EDITION_KEY) not in by_id:
        st.session_state[EDITION_KEY] = _first_to_show(editions, actor.language).id
    chosen = st.selectbox(
        _("Edition"),
        list(by_id),
        key=EDITION_KEY,
        format_func=lambda i: f"{by_id[i].title} ({by_id[i].year})",
    )
    return by_id[chosen]


def _first_to_show(editions: list[Toolkit], language: str) -> Toolkit:
    """The newest edition; of the newest year's editions, the one in the reader's language."""
    newest = [e for e in editions if e.year == editions[0].year]
    return next((e for e in newest if e.language == language), editions[0])


def edition_form(actor: Actor, edition: Toolkit | None) -> None:
    """Front matter of a new edition, or an edit of ``edition`` (admins)."""
    _ = translator(actor.language)
    key = f"toolkit-edition-{edition.id if edition else 'new'}"
    draw_conflict(key, actor.language)
    errors_banner(key, actor.language)
    languages = list(LANGUAGES)
    with st.form(key):
        title = st.text_input(_("Title"), value=edition.title if edition else "")
        field_error(key, "title", actor.language)
        left, middle, right = st.columns(3)
        year = left.number_input(
            _("Year"),
            min_value=1990,
            max_value=2100,
            step=1,
            value=edition.year if edition else 2026,
        )
        field_error(key, "year", actor.language)
        language = middle.selectbox(
            _("Language"),
            languages,
            format_func=LANGUAGES.get,
            index=languages.index(edition.language)
            if edition and edition.language in languages
            else 0,
        )
        licence = right.text_input(_("Licence"), value=edition.licence if edition else "")
        field_error(key, "licence", actor.language)
        introduction = st.text_area(
            _("Introduction (Markdown)"), value=edition.introduction if edition else "", height=160
        )
        field_error(key, "introduction", actor.language)
        if st.form_submit_button(_("Save edition") if edition else _("Create edition")):
            values: dict[str, Any] = {
                "title": title,
                "year": int(year),
                "introduction": introduction,
                "licence": licence,
                "language": language,
            }
            if edition is None:
                done = submit(
                    key, toolkit.create_toolkit, actor, reader_language=actor.language, **values
                )
            else:
                done = submit(
                    key,
                    toolkit.update_toolkit,
                    actor,
                    edition.id,
                    edition.version,
                    reader_language=actor.language,
                    **values,
                )
            if done is not None:
                # The edition picker is already drawn in this run; it shows this one next run.
                st.session_state[NEXT_EDITION_KEY] = done.id
                st.rerun()


def edition_overview(actor: Actor, edition: Toolkit) -> list[toolkit.ChapterRow]:
    """Front matter, the chapters with their status, and the admin's tools; returns the chapters."""
    _ = translator(actor.language)
    # The edition's own words, marked with its language where it is not the reader's.
    with in_language(edition.language, actor.language, f"edition-{edition.id}"):
        heading(edition.title, 2)
        st.caption(
            " · ".join(
                p
                for p in (
                    str(edition.year),
                    plain(edition.licence),
                    LANGUAGES.get(edition.language, ""),  # the language's own name
                )
                if p
            )
        )
    if edition.introduction.strip():
        with st.expander(_("Introduction")):
            with in_language(edition.language, actor.language, f"edition-{edition.id}-intro"):
                markdown(edition.introduction)
    chapters = read(
        toolkit.list_chapters,
        actor,
        edition.id,
        reader_language=actor.language,
        cached=True,
        journal=False,
    )
    if chapters:
        # A table of plain cells in one Markdown element: a dataframe cost this page a tenth
        # of its run for a handful of rows (issue 24).
        listed = MarkdownBlock()
        listed.table(
            [_("Chapter"), _("Community"), _("Status"), _("Approved revision"), _("Sections")],
            [
                [
                    c.title,
                    c.community,
                    _(STATUS_LABELS.get(c.status, c.status)),
                    str(c.approved_number or ""),
                    str(c.sections) if c.sees_draft else "",
                ]
                for c in chapters
            ],
        )
        listed.draw()
    else:
        st.info(_("This edition has no chapters you can read yet."))
    if actor.is_admin:
        _admin_tools(actor, edition, chapters)
    _whole_export(actor, edition, chapters)
    return chapters


def _admin_tools(actor: Actor, edition: Toolkit, chapters: list[toolkit.ChapterRow]) -> None:
    _ = translator(actor.language)
    panel = lazy_expander(
        _("Edit the edition, add and order chapters"),
        f"toolkit-edit-edition-{edition.id}",
        icon=":material/edit:",
        stay=True,  # its form keeps what was typed
    )
    if panel is None:
        return
    with panel:
        edition_form(actor, edition)
        with read_session() as session:
            everyone = communities.visible_communities(session, actor)
        placed = {c.community_id for c in chapters}
        free = {c.id: c.name for c in everyone if c.id not in placed}
        if free:
            key = f"toolkit-add-chapter-{edition.id}"
            errors_banner(key, actor.language)
            community_id = st.selectbox(
                _("Community without a chapter"),
                list(free),
                format_func=free.get,
                key=f"{key}-community",
            )
            if st.button(_("Add its chapter"), key=f"{key}-button", icon=":material/add:"):
                if submit(
                    key,
                    toolkit.add_chapter,
                    actor,
                    edition.id,
                    community_id,
                    reader_language=actor.language,
                ):
                    st.rerun()
        if len(chapters) > 1:
            names = {c.id: c.title for c in chapters}
            versions = {c.id: c.version for c in chapters}
            moved = st.selectbox(
                _("Move a chapter"), list(names), format_func=names.get, key="toolkit-move-chapter"
            )
            left, right = st.columns(2)
            for column, direction, label in (
                (left, "up", _("Earlier")),
                (right, "down", _("Later")),
            ):
                if column.button(label, key=f"toolkit-move-{direction}"):
                    if submit(
                        "toolkit-move",
                        toolkit.move_chapter,
                        actor,
                        moved,
                        versions[moved],
                        direction,
                        reader_language=actor.language,
                    ):
                        st.rerun()


def _whole_export(actor: Actor, edition: Toolkit, chapters: list[toolkit.ChapterRow]) -> None:
    """The whole edition as one file, with progress while it is built."""
    _ = translator(actor.language)
    panel = lazy_expander(
        _("Export the whole toolkit"),
        "toolkit-whole-open",
        icon=":material/download:",
        kept=["toolkit-whole-format", "toolkit-whole-drafts"],
    )
    if panel is None:
        return
    with panel:
        left, right = st.columns(2)
        fmt = left.selectbox(
            _("Format"),
            list(FORMAT_LABELS),
            format_func=FORMAT_LABELS.get,
            key="toolkit-whole-format",
        )
        drafts = False
        if any(c.sees_draft for c in chapters):
            drafts = right.checkbox(
                _("Use the drafts of my communities' chapters"), key="toolkit-whole-drafts"
            )
        missing = toolkit_export.left_out(chapters, drafts=drafts)
        if missing:
            hint = (
                _("Tick “Use the drafts …” to include yours.")
                if any(c.sees_draft and c.title in missing for c in chapters)
                else ""
            )
            st.warning(
                _("Left out, for want of an approved revision: {titles}.").format(
                    titles=plain("; ".join(missing))
                )
                + (" " + hint if hint else ""),
                icon=":material/info:",
            )
        if st.button(_("Build the file"), key="toolkit-whole-build", icon=":material/build:"):
            with st.status(_("Building the toolkit…"), expanded=True) as status:
                bar = st.progress(0.0)
                try:
                    built = toolkit_export.export_toolkit(
                        actor,
                        edition.id,
                        fmt,
                        drafts=drafts,
                        on_wait=lambda message: status.update(label=_(message)),
                        progress=lambda fraction, message: bar.progress(fraction, text=message),
                    )
                except CopError as exc:
                    status.update(label=plain(error_text(exc, actor.language)), state="error")
                else:
                    st.session_state["toolkit-whole-file"] = built
                    status.update(label=_("The file is ready."), state="complete", expanded=False)
        built = st.session_state.get("toolkit-whole-file")
        if built is not None:
            st.download_button(
                _("Download {name}").format(name=plain(built.filename)),
                built.data,
                file_name=built.filename,
                mime=built.mime,
                key="toolkit-whole-download",
                on_click="ignore",
                icon=":material/download:",
            )


def chapter_picker(
    actor: Actor, chapters: list[toolkit.ChapterRow], community_id: int | None
) -> int | None:
    """The chapter to open: the sidebar's community's, else one of the actor's communities."""
    _ = translator(actor.language)
    if not chapters:
        return None
    ids = [c.id for c in chapters]
    names = {c.id: c.title for c in chapters}
    if st.session_state.get(CHAPTER_KEY) not in ids:
        preferred = [c.id for c in chapters if c.community_id == community_id]
        preferred += [c.id for c in chapters if c.community_id in actor.roles]
        st.session_state[CHAPTER_KEY] = (preferred or ids)[0]
    return st.selectbox(_("Chapter"), ids, format_func=names.get, key=CHAPTER_KEY)
