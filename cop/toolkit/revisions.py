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

from sqlmodel import Session

from cop.core import records
from cop.core.audit import record_event
from cop.core.errors import PermissionDenied
from cop.core.permissions import Actor, authorize
from cop.export import markdown
from cop.toolkit.blocks import chapter_document
from cop.toolkit.models import Section
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
            raise PermissionDenied("Only members and facilitators of the community see the draft.")
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
    for section in live_sections(session, chapter.id):  # type: ignore[arg-type]
        records.soft_delete(
            session, actor, section, action="section.remove", community_id=community.id
        )
    restored = []
    for position, source in enumerate(revision.sections, start=1):
        section = Section(
            chapter_id=chapter.id,
            position=position,
            kind=source["kind"],
            title=source["title"],  # type: ignore[arg-type]
            body=source.get("body", ""),
            settings=dict(source.get("settings") or {}),
        )
        restored.append(
            records.create(
                session, actor, section, community_id=community.id, action="section.create"
            )
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
