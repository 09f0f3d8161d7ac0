"""Comparing a chapter's revisions, and bringing an old one back as the new draft.

A diff compares the documents' Markdown (the same text the Markdown export
writes), so it shows what a reader would see change, including the figures
and tables built from records. Restoring puts a revision's sections back as
the chapter's live sections: the chapter becomes a draft again, and the
restored text must be reviewed and approved like any other draft.
"""

from __future__ import annotations

import difflib
from typing import Any

from sqlmodel import Session, col, select

from cop.core import records
from cop.core.audit import record_event
from cop.core.errors import PermissionDenied
from cop.core.i18n import N_
from cop.core.permissions import Actor, authorize
from cop.export import markdown
from cop.toolkit.blocks import chapter_document
from cop.toolkit.models import Comment, Section
from cop.toolkit.service import (
    chapter_changed,
    chapter_in_scope,
    get_revision,
    get_toolkit,
    live_sections,
    may_see_draft,
    require_version,
)

DRAFT = "draft"


def _text(session: Session, actor: Actor, chapter_id: Any, which: int | str) -> tuple[str, str]:
    """(label, Markdown) of a revision number or of the current draft."""
    chapter, community = chapter_in_scope(session, actor, chapter_id)
    if which == DRAFT:
        if not may_see_draft(actor, community):
            raise PermissionDenied(
                N_("Only members and facilitators of the community see the draft.")
            )
        toolkit = get_toolkit(session, chapter.toolkit_id)
        sections = live_sections(session, chapter.id)  # type: ignore[arg-type]
        document = chapter_document(session, actor, toolkit, chapter, community, sections)
        return "current draft", markdown.render(document)
    revision = get_revision(session, actor, chapter, community, which)
    return f"revision {revision.number}", revision.markdown


def diff_revisions(
    session: Session, actor: Actor, chapter_id: Any, old: int | str, new: int | str
) -> str:
    """A unified diff between two revisions (or a revision and ``"draft"``); empty when they match."""
    old_label, old_text = _text(session, actor, chapter_id, old)
    new_label, new_text = _text(session, actor, chapter_id, new)
    return "\n".join(
        difflib.unified_diff(
            old_text.splitlines(),
            new_text.splitlines(),
            fromfile=old_label,
            tofile=new_label,
            lineterm="",
        )
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
