"""Demo step: the toolkit edition, in English and German, with a chapter per community that uses every section kind.

Runs after the workshops and practices steps, so the record blocks (standards,
practices, key results, timeline, actions, lessons) have something to show.
The chapters go through review and approval (so the published site is full on
first start); one is then edited again, so the demo shows an approved revision
next to the draft that follows it.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from cop.core.demo_context import DemoContext
from cop.core.permissions import SYSTEM
from cop.practices.models import Practice, ReviewStatus
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from cop.toolkit.models import SectionKind

ORDER = [
    SectionKind.FREE_TEXT,
    SectionKind.STANDARDS,
    SectionKind.PRACTICES,
    SectionKind.KEY_RESULTS,
    SectionKind.WORKSHOP_TIMELINE,
    SectionKind.ACTIONS_SUMMARY,
    SectionKind.LESSONS_LEARNED,
]


def step(ctx: DemoContext) -> None:
    """The edition, then its translation (the same year in another language), if given."""
    ids: list[int] = []
    for key in ("toolkit", "toolkit_translation"):
        spec = ctx.data.get(key)
        if spec:
            ids.append(_edition(ctx, spec))
    ctx.extra["toolkits"] = {"ids": ids}


def _edition(ctx, spec: dict[str, Any]) -> int:  # noqa: ANN001
    edition = toolkit.create_toolkit(
        ctx.session,
        SYSTEM,
        title=spec["title"],
        year=spec["year"],
        introduction=spec.get("introduction", ""),
        licence=spec.get("licence", ""),
        language=spec.get("language", "en"),
    )
    assert edition.id is not None  # create_toolkit flushed it
    for chapter_spec in spec.get("chapters", []):
        _chapter(ctx, edition.id, chapter_spec)
    return edition.id


def _chapter(ctx, toolkit_id: int, spec: dict[str, Any]) -> None:  # noqa: ANN001
    session = ctx.session
    community_id = ctx.communities[spec["community"]]
    author = ctx.actors[spec["author"]]
    chapter = toolkit.add_chapter(session, SYSTEM, toolkit_id, community_id, spec.get("title"))
    approved = list(
        session.exec(
            select(Practice.id)
            .where(
                Practice.community_id == community_id,
                Practice.status == ReviewStatus.APPROVED,
                col(Practice.deleted_at).is_(None),
            )
            .order_by(col(Practice.id))
        )
    )
    sections = {}
    for kind in ORDER:
        body = {
            SectionKind.FREE_TEXT: spec.get("intro", ""),
            SectionKind.LESSONS_LEARNED: spec.get("lessons", ""),
        }
        settings = {"practice_ids": approved} if kind == SectionKind.PRACTICES else {}
        sections[kind.value] = toolkit_sections.add_section(
            session,
            author,
            chapter.id,
            kind,
            body=body.get(kind, ""),
            settings=settings,
        )
    comment = spec.get("comment")
    if comment:
        toolkit_sections.add_comment(
            session, ctx.actors[comment["by"]], sections[comment["section"]].id, comment["text"]
        )
    if spec.get("approved"):
        toolkit.submit_chapter(session, author, chapter.id, chapter.version)
        toolkit.approve_chapter(session, ctx.actors["facilitator"], chapter.id, chapter.version)
    edit = spec.get("edited_after")
    if edit:
        section = sections[edit["section"]]
        toolkit_sections.update_section(
            session, author, section.id, section.version, body=edit["body"]
        )
