"""Comparing a chapter's revisions, and bringing an old one back as the new draft.

A comparison takes each section's Markdown (the same text the Markdown export
writes) and shows it rendered with the words that changed marked (cop.toolkit.diff),
so it shows what a reader would see change, including the figures and tables
built from records. Restoring puts a revision's sections back as
the chapter's live sections: the chapter becomes a draft again, and the
restored text must be reviewed and approved like any other draft.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from cop.core import records
from cop.core.audit import record_event
from cop.core.errors import PermissionDenied
from cop.core.i18n import N_
from cop.core.permissions import Actor, authorize
from cop.export import markdown
from cop.export.document import Block, Document, Figure, Heading
from cop.toolkit.blocks import section_blocks
from cop.toolkit.diff import SectionChange, SectionText, compare_sections
from cop.toolkit.models import Comment, Section
from cop.toolkit.service import (
    chapter_changed,
    chapter_in_scope,
    get_revision,
    live_sections,
    may_see_draft,
    require_version,
)

DRAFT = "draft"


def _sections(
    session: Session, actor: Actor, chapter_id: Any, which: int | str
) -> list[SectionText]:
    """The sections of a revision or of the draft, each as the Markdown a reader sees under its heading.

    A section's blocks start at its level-2 heading (records add level 3 at most); they are known
    across versions by the section's id, or by their title where a revision did not keep it.
    """
    chapter, community = chapter_in_scope(session, actor, chapter_id)
    if which == DRAFT:
        if not may_see_draft(actor, community):
            raise PermissionDenied(
                N_("Only members and facilitators of the community see the draft.")
            )
        assert chapter.id is not None  # chapter_in_scope read it from the database
        live = live_sections(session, chapter.id)
        blocks = [
            block
            for section in live
            for block in section_blocks(session, actor, community, section, with_charts=False)
        ]
        ids: list[Any] = [s.id for s in live]
    else:
        revision = get_revision(session, actor, chapter, community, which)
        blocks = Document.from_json(revision.document).blocks
        ids = [s.get("id") for s in revision.sections]
    chunks: list[list[Block]] = []
    for block in blocks:
        if isinstance(block, Figure):
            continue  # a chart is drawn from the figures its section's table shows
        if isinstance(block, Heading) and block.level == 2:
            chunks.append([block])
        elif chunks:
            chunks[-1].append(block)
    if len(ids) != len(chunks):
        ids = [None] * len(chunks)
    found: list[SectionText] = []
    for section_id, chunk in zip(ids, chunks, strict=True):
        title = chunk[0].text  # type: ignore[union-attr]  # every chunk starts with its heading
        key = f"id-{section_id}" if section_id else f"title-{title}"
        found.append(SectionText(key, title, markdown.render_blocks(chunk[1:])))
    return found


def compare_revisions(
    session: Session, actor: Actor, chapter_id: Any, old: int | str, new: int | str
) -> list[SectionChange]:
    """Each section of two revisions (or a revision and ``"draft"``) as rendered text, changes marked."""
    return compare_sections(
        _sections(session, actor, chapter_id, old), _sections(session, actor, chapter_id, new)
    )


def restore_revision(
    session: Session, actor: Actor, chapter_id: Any, version: int, number: Any
) -> list[Section]:
    """A facilitator makes an approved revision's sections the new draft."""
    chapter, community = chapter_in_scope(
        session, actor, chapter_id, "chapter.restore", for_update=True
    )
    authorize(actor, "chapter.edit", community)
    require_version(session, chapter, version)
    revision = get_revision(session, actor, chapter, community, number)
    assert chapter.id is not None and community.id is not None  # both were read from the database
    current = live_sections(session, chapter.id)
    restored: list[Section] = []
    for position, source in enumerate(revision.sections, start=1):
        unused = [s for s in current if s not in restored]
        restored.append(
            _restore_section(session, actor, chapter.id, community.id, position, source, unused)
        )
    kept = {section.id for section in restored}
    for old_position, section in enumerate(current):
        if section.id in kept:
            continue
        # A section the revision did not have: its comments move to the restored section in
        # its place, so no comment is lost or hidden with it.
        if restored:
            _move_comments(
                session,
                actor,
                section,
                restored[min(old_position, len(restored) - 1)],
                community.id,
            )
        records.soft_delete(
            session, actor, section, action="section.remove", community_id=community.id
        )
    records.save(
        session,
        actor,
        chapter,
        version,
        {"title": revision.title},
        action="chapter.restore",
        community_id=community.id,
    )
    chapter_changed(session, actor, chapter, community)
    record_event(
        session,
        actor,
        "chapter.restore",
        chapter,
        community_id=community.id,
        changes={"restored_revision": [None, revision.number]},
    )
    return restored


def _restore_section(
    session: Session,
    actor: Actor,
    chapter_id: int,
    community_id: int,
    position: int,
    source: dict[str, Any],
    unused: list[Section],
) -> Section:
    """The revision's section as a draft section: the same one where it still exists (its comments
    with it), else the live section of the same kind and title, else a new one."""
    values = {
        "position": position,
        "kind": source["kind"],
        "title": source["title"],
        "body": source.get("body", ""),
        "settings": dict(source.get("settings") or {}),
    }
    same = session.get(Section, source["id"]) if source.get("id") else None
    if (
        same is None
        or same.chapter_id != chapter_id
        or (same.deleted_at is None and same not in unused)
    ):
        same = next(
            (s for s in unused if (s.kind, s.title) == (values["kind"], values["title"])), None
        )
    if same is None:
        section = Section(chapter_id=chapter_id, **values)
        return records.create(
            session, actor, section, community_id=community_id, action="section.create"
        )
    if same.deleted_at is not None:
        records.restore(session, actor, same, action="section.restore", community_id=community_id)
    changed = {k: v for k, v in values.items() if getattr(same, k) != v}
    if changed:
        records.save(
            session,
            actor,
            same,
            same.version,
            changed,
            action="section.update",
            community_id=community_id,
        )
    return same


def _move_comments(
    session: Session, actor: Actor, source: Section, target: Section, community_id: int
) -> None:
    for comment in session.exec(
        select(Comment).where(Comment.section_id == source.id, col(Comment.deleted_at).is_(None))
    ):
        records.save(
            session,
            actor,
            comment,
            comment.version,
            {"section_id": target.id},
            action="comment.move",
            community_id=community_id,
        )
