"""What a publication shows: the edition and, per chapter, one approved revision.

Only frozen revisions are read (``Revision.document``), never the live sections:
a draft cannot reach the website, whatever state the chapter is in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from cop.export.document import Document
from cop.toolkit.models import Chapter, Revision, Toolkit


@dataclass
class PublishedChapter:
    """One chapter as it goes online: the approved revision ``number`` of ``chapter_id``."""

    chapter_id: int
    community_id: int
    title: str
    number: int
    document: Document


@dataclass
class SiteContent:
    """Everything the site generator needs, read in one transaction."""

    toolkit_id: int
    title: str
    year: int
    language: str
    licence: str
    introduction: str
    chapters: list[PublishedChapter] = field(default_factory=list)
    # Other-language editions of the same year that are online: (language, toolkit id).
    alternates: list[tuple[str, int]] = field(default_factory=list)


def approved_numbers(session: Session, toolkit_id: int) -> dict[str, int]:
    """Every chapter's latest approved revision (chapters with none are left out)."""
    rows = session.exec(
        select(Chapter.id, Chapter.approved_number).where(
            Chapter.toolkit_id == toolkit_id, col(Chapter.approved_number) > 0
        )
    ).all()
    return {str(chapter_id): number for chapter_id, number in rows}


def site_content(
    session: Session, toolkit: Toolkit, numbers: dict[str, int], alternates: list[tuple[str, int]]
) -> SiteContent:
    """The edition with the given revision of each chapter, in the chapters' order."""
    chapters = session.exec(
        select(Chapter)
        .where(Chapter.toolkit_id == toolkit.id)
        .order_by(col(Chapter.position), col(Chapter.id))
    ).all()
    wanted = {int(k): v for k, v in numbers.items() if v}
    revisions: dict[tuple[int, int], Revision] = {}
    if wanted:
        for stored in session.exec(
            select(Revision).where(col(Revision.chapter_id).in_(list(wanted)))
        ).all():
            revisions[(stored.chapter_id, stored.number)] = stored
    published: list[PublishedChapter] = []
    for chapter in chapters:
        number = wanted.get(chapter.id or 0)
        revision = revisions.get((chapter.id or 0, number or 0))
        if revision is None:
            continue
        published.append(
            PublishedChapter(
                chapter_id=chapter.id or 0,
                community_id=chapter.community_id,
                title=revision.title,
                number=revision.number,
                document=Document.from_json(revision.document),
            )
        )
    return SiteContent(
        toolkit_id=toolkit.id or 0,
        title=toolkit.title,
        year=toolkit.year,
        language=toolkit.language,
        licence=toolkit.licence,
        introduction=toolkit.introduction,
        chapters=published,
        alternates=alternates,
    )
