"""Exporting a chapter or a whole edition as Markdown, HTML, DOCX or PDF.

One path for every format: records -> ``Document`` -> renderer. The
document is read in one read transaction (``snapshot_session``: SQLite's
WAL snapshot, PostgreSQL's REPEATABLE READ), so an export never mixes the
state before and after someone's edit; rendering then happens outside the
transaction. The export functions open that transaction themselves, unlike
other services, because the snapshot and the export slot (``limiter``)
belong to the export as a whole.

What each reader gets: the latest approved revision of a chapter is
published (every reader of its community); earlier revisions are for the
community's people (``chapter.export``, observers included); the live draft
only for members and facilitators. A whole edition holds every chapter the
reader may read, each as its latest approved revision, or as the live draft
where the reader asks for drafts and may see them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from cop.communities.models import Community
from cop.core import clock
from cop.core.db import get_engine, no_journal, read_session
from cop.core.errors import NotFound, PermissionDenied, ValidationError
from cop.core.i18n import N_, translator
from cop.core.messages import Message
from cop.core.permissions import Actor
from cop.export import docx, html, markdown, pdf
from cop.export.document import TOC, Document, Figure, Heading, Paragraph, slug
from cop.export.limiter import export_slot
from cop.export.markdown import escape
from cop.toolkit.blocks import chapter_blocks
from cop.toolkit.key_results import cluster_of, infographic, key_results
from cop.toolkit.models import Chapter
from cop.toolkit.service import (
    ChapterRow,
    chapter_in_scope,
    get_revision,
    get_toolkit,
    list_chapters,
    live_sections,
    may_see_draft,
    revision_number,
)

CONTENTS = N_("Contents")  # the table of contents' title, in the edition's language
FORMATS: dict[str, tuple[str, str]] = {
    "md": ("text/markdown; charset=utf-8", "md"),
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
}
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ExportFile:
    filename: str
    mime: str
    data: bytes


@contextmanager
def snapshot_session(engine: Engine | None = None) -> Iterator[Session]:
    """One read transaction over one consistent state of the database."""
    engine = engine or get_engine()
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    with read_session(engine) as session:
        yield session


def _source(
    actor: Actor, chapter: Chapter, community: Community, revision: Any, draft: bool
) -> int | None:
    """Which text of the chapter is asked for (None: the draft), if the actor may have it."""
    if draft:
        if not may_see_draft(actor, community):
            raise PermissionDenied(
                Message(
                    N_(
                        "Only members and facilitators of {community} export the draft; "
                        "everyone else exports approved revisions."
                    ),
                    community=community.name,
                )
            )
        return None
    number = chapter.approved_number if revision is None else revision
    if not number:
        raise NotFound(
            Message(N_("{chapter} has no approved revision yet."), chapter=chapter.title)
        )
    return revision_number(actor, chapter, community, number)


def _chapter_source(
    session: Session,
    actor: Actor,
    chapter: Chapter,
    community: Community,
    revision: Any,
    draft: bool,
) -> list[Any]:
    number = _source(actor, chapter, community, revision, draft)
    if number is None:
        language = get_toolkit(session, chapter.toolkit_id).language
        assert chapter.id is not None  # read from the database
        return chapter_blocks(
            session,
            actor,
            chapter,
            community,
            live_sections(session, chapter.id),
            language,
        )
    frozen = get_revision(session, actor, chapter, community, number)
    return Document.from_json(frozen.document).blocks


def chapter_export_document(
    session: Session, actor: Actor, chapter_id: Any, *, revision: Any = None, draft: bool = False
) -> Document:
    """One chapter with its table of contents: a revision (default the latest) or the draft."""
    chapter, community = chapter_in_scope(session, actor, chapter_id)
    toolkit = get_toolkit(session, chapter.toolkit_id)
    blocks = _chapter_source(session, actor, chapter, community, revision, draft)
    blocks.insert(1, TOC(translator(toolkit.language)(CONTENTS)))
    return Document(
        title=toolkit.title,
        subtitle=str(toolkit.year),
        language=toolkit.language,
        licence=toolkit.licence,
        blocks=blocks,
        clusters=[cluster_of(community)],
    ).number_anchors()


def left_out(chapters: list[ChapterRow], *, drafts: bool) -> list[str]:
    """Titles of the chapters a whole-edition export leaves out: no approved revision yet, and
    no draft the reader asked for and may use. Said in the file and before it is built."""
    return [c.title for c in chapters if c.approved_number == 0 and not (drafts and c.sees_draft)]


def toolkit_export_document(
    session: Session,
    actor: Actor,
    toolkit_id: Any,
    *,
    drafts: bool = False,
    progress: Progress | None = None,
) -> Document:
    """The whole edition: front matter, contents, then each chapter the actor may read."""
    toolkit = get_toolkit(session, toolkit_id)
    _ = translator(toolkit.language)  # the file's own words in the edition's language
    blocks: list[Any] = [TOC(_(CONTENTS))]
    if toolkit.introduction.strip():
        blocks += [Heading(1, _("Introduction")), Paragraph(toolkit.introduction)]
    chapters = list_chapters(session, actor, toolkit.id)
    missing = left_out(chapters, drafts=drafts)
    if missing:
        blocks.append(
            Paragraph(
                "*"
                + _("Not yet in this file, for want of an approved revision: {titles}.").format(
                    titles="; ".join(escape(title) for title in missing)
                )
                + "*"
            )
        )
    clusters: list[tuple[str, str]] = []
    for done, row in enumerate(chapters):
        if progress is not None:
            progress(0.6 * done / max(len(chapters), 1), f"Reading the chapter {row.title}")
        chapter, community = chapter_in_scope(session, actor, row.id)
        use_draft = drafts and row.sees_draft
        if not use_draft and chapter.approved_number == 0:
            continue
        blocks += _chapter_source(session, actor, chapter, community, None, use_draft)
        if cluster_of(community) not in clusters:
            clusters.append(cluster_of(community))
    return Document(
        title=toolkit.title,
        subtitle=str(toolkit.year),
        language=toolkit.language,
        licence=toolkit.licence,
        blocks=blocks,
        clusters=clusters,
    ).number_anchors()


def render(document: Document, fmt: str) -> bytes:
    """The document in one format (``md``, ``html``, ``docx`` or ``pdf``)."""
    if fmt == "md":
        return markdown.render(document, images=True).encode("utf-8")
    if fmt == "html":
        return html.render(document).encode("utf-8")
    if fmt == "docx":
        return docx.render(document)
    if fmt == "pdf":
        return pdf.render(document)
    raise ValidationError(
        {"format": Message(N_("Choose one of: {choices}."), choices=", ".join(FORMATS))}
    )


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValidationError(
            {"format": Message(N_("Choose one of: {choices}."), choices=", ".join(FORMATS))}
        )


def _file(name: str, fmt: str, data: bytes) -> ExportFile:
    mime, extension = FORMATS[fmt]
    return ExportFile(f"{name}.{extension}", mime, data)


# Files built lately, by the state of the database they were built from: the Toolkit page's
# one-click download builds a chapter's file on each click (the capacity journey's dearest
# step), and until anything is written the same chapter in the same format is the same file.
# The key holds ``data_version`` (every write moves it on: a draft changes with the records
# it shows, not only with the chapter's own version) and the day ("overdue" depends on it),
# never the reader: each reader's right is checked before a kept file is handed out.
FILES_KEPT = 8
_files: OrderedDict[Hashable, ExportFile] = OrderedDict()
_files_lock = threading.Lock()


def _chapter_file_key(
    session: Session, actor: Actor, chapter_id: Any, fmt: str, revision: Any, draft: bool
) -> Hashable:
    """The file's key in this session's state, once the actor's right to the file is checked."""
    chapter, community = chapter_in_scope(session, actor, chapter_id)
    number = _source(actor, chapter, community, revision, draft)
    return (*_database_state(session), clock.today(), chapter.id, fmt, number)


def _database_state(session: Session) -> tuple[Any, ...]:
    """Which database, in which state: its address and the records' version (``data_version``
    before migration 0019): someone's posted update elsewhere changes no chapter. On
    PostgreSQL also the transaction that last moved the counter on (``xmin``, never the same
    twice): a database emptied and filled again (as the tests do with theirs) starts its
    counter again."""
    engine = session.get_bind().engine
    if engine.dialect.name == "postgresql":
        row = session.execute(sa.text(f"SELECT value, xmin::text {_STATE_FROM}")).one()
    else:
        row = session.execute(sa.text(f"SELECT value {_STATE_FROM}")).one()
    return (str(engine.url), *row)


_STATE_FROM = "FROM data_version WHERE id IN (1, 2) ORDER BY id DESC LIMIT 1"


def _kept_file(key: Hashable) -> ExportFile | None:
    with _files_lock:
        made = _files.get(key)
        if made is not None:
            _files.move_to_end(key)
        return made


def _keep_file(key: Hashable, made: ExportFile) -> None:
    with _files_lock:
        _files[key] = made
        while len(_files) > FILES_KEPT:
            _files.popitem(last=False)


def export_chapter(
    actor: Actor,
    chapter_id: Any,
    fmt: str,
    *,
    revision: Any = None,
    draft: bool = False,
    engine: Engine | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> ExportFile:
    """One chapter as a file; waits for a free export slot first, unless it was just built."""
    _check_format(fmt)
    with snapshot_session(engine) as session:
        kept = _kept_file(_chapter_file_key(session, actor, chapter_id, fmt, revision, draft))
    if kept is not None:
        return kept
    with export_slot(on_wait):
        # Kept by the records' version: a chapter shows no journal, and may not read one.
        with snapshot_session(engine) as session, no_journal(session):
            key = _chapter_file_key(session, actor, chapter_id, fmt, revision, draft)
            document = chapter_export_document(
                session, actor, chapter_id, revision=revision, draft=draft
            )
            chapter, _ = chapter_in_scope(session, actor, chapter_id)
            name = chapter_file_name(
                document.title, chapter.title, fmt, revision or chapter.approved_number, draft
            )
        made = ExportFile(name, FORMATS[fmt][0], render(document, fmt))
    _keep_file(key, made)
    return made


def chapter_file_name(
    toolkit_title: str, chapter_title: str, fmt: str, revision: Any, draft: bool
) -> str:
    """A chapter file's name in whole words: edition, chapter, which text (known before it is
    built, so a download link can be labelled with it)."""
    which = "draft" if draft else f"r{revision}"
    return f"{slug(toolkit_title)}-{slug(chapter_title)}-{which}.{FORMATS[fmt][1]}"


def export_toolkit(
    actor: Actor,
    toolkit_id: Any,
    fmt: str,
    *,
    drafts: bool = False,
    engine: Engine | None = None,
    on_wait: Callable[[str], None] | None = None,
    progress: Progress | None = None,
) -> ExportFile:
    """The whole edition as a file, reporting progress while it is built."""
    _check_format(fmt)
    with export_slot(on_wait):
        with snapshot_session(engine) as session:
            document = toolkit_export_document(
                session, actor, toolkit_id, drafts=drafts, progress=progress
            )
        if progress is not None:
            progress(0.7, f"Writing the {fmt.upper()} file")
        data = render(document, fmt)
        if progress is not None:
            progress(1.0, "Done")
        return _file(
            f"{slug(document.title)}-{document.subtitle}{'-drafts' if drafts else ''}", fmt, data
        )


def chapter_infographic(
    session: Session, actor: Actor, chapter_id: Any, *, draft: bool = False
) -> tuple[bytes, bytes] | None:
    """The key-results infographic (PNG, SVG) of the draft or of the latest approved revision."""
    chapter, community = chapter_in_scope(session, actor, chapter_id)
    if draft:
        if not may_see_draft(actor, community):
            raise PermissionDenied(
                Message(
                    N_("Only members and facilitators of {community} see the draft."),
                    community=community.name,
                )
            )
        language = get_toolkit(session, chapter.toolkit_id).language
        assert community.id is not None  # read from the database
        png, svg, _alt = infographic(key_results(session, actor, community.id), language)
        return png, svg
    if chapter.approved_number == 0:
        return None
    frozen = get_revision(session, actor, chapter, community, chapter.approved_number)
    for block in Document.from_json(frozen.document).blocks:
        if isinstance(block, Figure):
            return block.png, block.svg
    return None
