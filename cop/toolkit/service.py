"""The toolkit: editions, their chapters, and a chapter's way from draft to approved.

Admins create editions and place one chapter per community in the order
they choose. Members and facilitators of the community draft the chapter
(sections in ``toolkit_sections``) and submit it; facilitators approve it.
Approval freezes a revision: the chapter's document exactly as approved
(Markdown, and the document model with its charts) plus the sections it
was built from. The next edit opens a new draft while everyone who may not
see drafts keeps reading and exporting the latest approved revision.

Every change to a chapter's sections moves the chapter's version on, and
submit and approve name the version the person looked at: nobody approves
text they have not seen.

Who sees what: the latest approved revision of a chapter is published: every
reader of the community sees it. Members, facilitators and observers of the
community (``chapter.export``) also see earlier revisions; members and
facilitators (``chapter.edit``) see and export the live draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cop.accounts import notifications
from cop.communities.models import Community
from cop.communities.service import get_community
from cop.core import audit, clock, history, records
from cop.core.audit import record_event, snapshot
from cop.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from cop.core.history import Entry
from cop.core.i18n import LANGUAGES, N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize, can_read, is_allowed
from cop.core.validation import MAX_DATE, MIN_DATE, Checker, version_of
from cop.export import markdown
from cop.practices.review import WRONG_STATUS
from cop.toolkit.blocks import chapter_document, section_sources
from cop.toolkit.models import Chapter, ChapterStatus, Comment, Revision, Section, Toolkit

STATUS_LABELS: dict[str, str] = {
    ChapterStatus.DRAFT: "draft",
    ChapterStatus.IN_REVIEW: "in review",
    ChapterStatus.APPROVED: "approved",
}
DIRECTIONS = ("up", "down")


# --- editions ------------------------------------------------------------------------------


def _check_edition(chk: Checker, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - {"title", "year", "introduction", "licence", "language"}
    if unknown:
        raise ValueError(f"unknown toolkit fields: {sorted(unknown)}")
    values: dict[str, Any] = {}
    if "title" in fields:
        values["title"] = chk.title("title", fields["title"], label=N_("The title"))
    if "year" in fields:
        values["year"] = chk.count(
            "year",
            fields["year"],
            label=N_("The year"),
            minimum=MIN_DATE.year,
            maximum=MAX_DATE.year,
        )
    if "introduction" in fields:
        values["introduction"] = chk.long_text(
            "introduction", fields["introduction"], label=N_("The introduction")
        )
    if "licence" in fields:
        values["licence"] = chk.optional_line("licence", fields["licence"], label=N_("The licence"))
    if "language" in fields:
        values["language"] = chk.choice(
            "language", fields["language"], list(LANGUAGES), label=N_("The language")
        )
    return values


def create_toolkit(
    session: Session,
    actor: Actor,
    *,
    title: str,
    year: int,
    introduction: str = "",
    licence: str = "",
    language: str = "en",
) -> Toolkit:
    """A new edition; its chapters are added one community at a time."""
    authorize(actor, "toolkit.create")
    chk = Checker()
    values = _check_edition(
        chk,
        {
            "title": title,
            "year": year,
            "introduction": introduction,
            "licence": licence,
            "language": language,
        },
    )
    chk.raise_if_any()
    return records.create(session, actor, Toolkit(**values), action="toolkit.create")


def update_toolkit(
    session: Session, actor: Actor, toolkit_id: Any, version: int, **fields: Any
) -> Toolkit:
    toolkit = records.get_live(session, Toolkit, toolkit_id, for_update=True, label=N_("toolkit"))
    authorize(actor, "toolkit.update")
    chk = Checker()
    values = _check_edition(chk, fields)
    chk.raise_if_any()
    records.save(session, actor, toolkit, version, values, action="toolkit.update")
    return toolkit


def get_toolkit(session: Session, toolkit_id: Any) -> Toolkit:
    """Editions are workspace-wide front matter: every signed-in user may read them."""
    return records.get_live(session, Toolkit, toolkit_id, label=N_("toolkit"))


def list_toolkits(session: Session) -> list[Toolkit]:
    return list(
        session.exec(
            select(Toolkit)
            .where(col(Toolkit.deleted_at).is_(None))
            .order_by(col(Toolkit.year).desc(), col(Toolkit.id).desc())
        )
    )


# --- chapters ------------------------------------------------------------------------------


def chapter_in_scope(
    session: Session,
    actor: Actor,
    chapter_id: Any,
    operation: str | None = None,
    *,
    for_update: bool = False,
) -> tuple[Chapter, Community]:
    """The chapter and its community, if the actor may read it (and do ``operation``)."""
    chapter = records.get_live(
        session, Chapter, chapter_id, for_update=for_update, label=N_("chapter")
    )
    try:
        community = get_community(session, actor, chapter.community_id)
        records.get_live(session, Toolkit, chapter.toolkit_id, label=N_("toolkit"))
    except NotFound:
        raise NotFound(
            Message(N_("There is no {label} with id {id}."), label=N_("chapter"), id=chapter_id)
        ) from None
    if operation is not None:
        authorize(actor, operation, community)
    return chapter, community


def may_see_draft(actor: Actor, community: Community) -> bool:
    return is_allowed(actor, "chapter.edit", community)


def live_sections(session: Session, chapter_id: int) -> list[Section]:
    return list(
        session.exec(
            select(Section)
            .where(Section.chapter_id == chapter_id, col(Section.deleted_at).is_(None))
            .order_by(col(Section.position), col(Section.id))
        )
    )


@dataclass(frozen=True)
class ChapterRow:
    """A chapter as the edition lists it: whose it is, how far its text is, and whether the reader sees the draft."""

    id: int
    version: int
    title: str
    community_id: int
    community: str
    position: int
    status: str
    approved_number: int  # 0 until a first revision is approved
    sections: int
    sees_draft: bool


def list_chapters(session: Session, actor: Actor, toolkit_id: Any) -> list[ChapterRow]:
    """The edition's chapters the actor may read, in the admin's order, with status and counts."""
    toolkit = get_toolkit(session, toolkit_id)
    sections = (
        select(Section.chapter_id, func.count().label("n"))
        .where(col(Section.deleted_at).is_(None))
        .group_by(col(Section.chapter_id))
        .subquery()
    )
    rows = session.exec(
        select(Chapter, Community, sections.c.n)
        .join(Community, col(Community.id) == Chapter.community_id)
        .join(sections, sections.c.chapter_id == Chapter.id, isouter=True)
        .where(
            Chapter.toolkit_id == toolkit.id,
            col(Chapter.deleted_at).is_(None),
            col(Community.deleted_at).is_(None),
        )
        .order_by(col(Chapter.position), col(Chapter.id))
    )
    return [
        ChapterRow(
            id=c.id,
            version=c.version,
            title=c.title,
            community_id=m.id,
            community=m.name,
            position=c.position,
            status=c.status,
            approved_number=c.approved_number,
            sections=int(n or 0),
            sees_draft=may_see_draft(actor, m),
        )
        for c, m, n in rows
        if can_read(actor, m)
        and c.id is not None  # always, for stored rows; narrows the type
        and m.id is not None
    ]


def add_chapter(
    session: Session, actor: Actor, toolkit_id: Any, community_id: Any, title: str | None = None
) -> Chapter:
    """The community's chapter, placed last; one per community and edition."""
    toolkit = records.get_live(session, Toolkit, toolkit_id, for_update=True, label=N_("toolkit"))
    community = get_community(session, actor, community_id)
    assert toolkit.id is not None and community.id is not None  # stored records
    authorize(actor, "toolkit.update", community)
    chk = Checker()
    title = chk.title(
        "title", community.name if title is None else title, label=N_("The chapter title")
    )
    taken = session.exec(
        select(Chapter.id).where(
            Chapter.toolkit_id == toolkit.id, Chapter.community_id == community.id
        )
    ).first()
    if taken is not None:
        chk.fail(
            "community_id",
            Message(
                N_("{community} already has a chapter in {toolkit}."),
                community=community.name,
                toolkit=toolkit.title,
            ),
        )
    chk.raise_if_any()
    last = session.exec(
        select(func.max(Chapter.position)).where(Chapter.toolkit_id == toolkit.id)
    ).one()
    chapter = Chapter(
        toolkit_id=toolkit.id,
        community_id=community.id,
        title=title,
        position=(last or 0) + 1,
    )
    return records.create(session, actor, chapter, action="chapter.create")


def move_chapter(
    session: Session, actor: Actor, chapter_id: Any, version: int, direction: str
) -> Chapter:
    """Swap the chapter with its neighbour in the edition (the admin's order)."""
    chapter, community = chapter_in_scope(
        session, actor, chapter_id, "toolkit.update", for_update=True
    )
    records.get_live(session, Toolkit, chapter.toolkit_id, for_update=True, label=N_("toolkit"))
    if direction not in DIRECTIONS:
        raise ValidationError({"direction": N_("Move a chapter up or down.")})
    siblings = list(
        session.exec(
            select(Chapter)
            .where(Chapter.toolkit_id == chapter.toolkit_id, col(Chapter.deleted_at).is_(None))
            .order_by(col(Chapter.position), col(Chapter.id))
        )
    )
    index = next(i for i, c in enumerate(siblings) if c.id == chapter.id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return chapter
    neighbour = siblings[other]
    mine, theirs = (index + 1, other + 1)
    records.save(
        session,
        actor,
        chapter,
        version,
        {"position": theirs},
        action="chapter.move",
        community_id=community.id,
    )
    records.save(
        session,
        actor,
        neighbour,
        neighbour.version,
        {"position": mine},
        action="chapter.move",
        community_id=neighbour.community_id,
    )
    for number, sibling in enumerate(siblings, start=1):
        if sibling.id not in (chapter.id, neighbour.id) and sibling.position != number:
            sibling.position = number
            session.add(sibling)
    return chapter


def rename_chapter(
    session: Session, actor: Actor, chapter_id: Any, version: int, title: str
) -> Chapter:
    chapter, community = chapter_in_scope(
        session, actor, chapter_id, "chapter.edit", for_update=True
    )
    chk = Checker()
    title = chk.title("title", title, label=N_("The chapter title"))
    chk.raise_if_any()
    changes: dict[str, Any] = {"title": title}
    if chapter.status != ChapterStatus.DRAFT:
        changes["status"] = ChapterStatus.DRAFT
    records.save(
        session,
        actor,
        chapter,
        version,
        changes,
        action="chapter.rename",
        community_id=community.id,
    )
    return chapter


def chapter_changed(session: Session, actor: Actor, chapter: Chapter, community: Community) -> None:
    """A section changed: a chapter in review or approved becomes the next draft, and its version moves.

    Reopening is audited on the chapter; the section's own audit event
    already records what changed in it.
    """
    if chapter.status != ChapterStatus.DRAFT:
        records.save(
            session,
            actor,
            chapter,
            chapter.version,
            {"status": ChapterStatus.DRAFT},
            action="chapter.reopen",
            community_id=community.id,
        )
        return
    chapter.version += 1
    chapter.updated_at = clock.now()
    chapter.updated_by_id = actor.user_id or None
    session.add(chapter)


def require_version(session: Session, chapter: Chapter, version: int) -> None:
    if chapter.version != version_of(version):
        raise ConflictError(
            N_(
                "The chapter changed since you opened it (its sections or status moved on). "
                "Read the current text, then try again."
            ),
            current=snapshot(chapter),
            changed=records.changes_since(session, chapter, version),
            record_type="chapter",
        )


def _require_status(chapter: Chapter, allowed: set[str], doing: str) -> None:
    if chapter.status not in allowed:
        label = STATUS_LABELS.get(chapter.status, chapter.status)
        raise ValidationError(
            {
                "status": Message(
                    WRONG_STATUS,
                    record=Message(N_("This chapter")),
                    status=Message(label),
                    doing=Message(doing),
                )
            }
        )


# --- workflow ------------------------------------------------------------------------------


def submit_chapter(session: Session, actor: Actor, chapter_id: Any, version: int) -> Chapter:
    """The draft goes to the facilitators for review."""
    chapter, community = chapter_in_scope(
        session, actor, chapter_id, "chapter.submit", for_update=True
    )
    assert chapter.id is not None  # a stored chapter
    require_version(session, chapter, version)
    _require_status(chapter, {ChapterStatus.DRAFT}, N_("submitted for review"))
    if not live_sections(session, chapter.id):
        raise ValidationError(
            {"sections": N_("Add at least one section before submitting the chapter.")}
        )
    records.save(
        session,
        actor,
        chapter,
        version,
        {"status": ChapterStatus.IN_REVIEW},
        action="chapter.submit",
        community_id=community.id,
    )
    assert community.id is not None  # a stored community
    notifications.notify_people(
        session,
        notifications.facilitators(session, community.id),
        kind="chapter.in_review",
        message=Message(
            N_("{name} sent the chapter “{title}” of {community} to review."),
            name=actor.name,
            title=chapter.title,
            community=community.name,
        ),
        community_id=community.id,
        record_type="chapter",
        record_id=chapter.id,
        exclude_user_id=actor.user_id,
    )
    return chapter


def chapter_authors(session: Session, chapter: Chapter) -> list[int | None]:
    """The user ids of who wrote the chapter: its sections' writers and who submitted it."""
    authors: list[int | None] = []
    for created, updated in session.exec(
        select(Section.created_by_id, Section.updated_by_id).where(
            Section.chapter_id == chapter.id, col(Section.deleted_at).is_(None)
        )
    ):
        authors += [created, updated]
    return [*authors, chapter.updated_by_id]


def _notify_authors(
    session: Session,
    actor: Actor,
    chapter: Chapter,
    community: Community,
    authors: list[int | None],
    kind: str,
    template: str,
) -> None:
    assert community.id is not None  # a stored community
    notifications.notify_users(
        session,
        authors,
        kind=kind,
        message=Message(template, name=actor.name, title=chapter.title, community=community.name),
        community_id=community.id,
        record_type="chapter",
        record_id=chapter.id,
        exclude_user_id=actor.user_id,
    )


def send_back_chapter(session: Session, actor: Actor, chapter_id: Any, version: int) -> Chapter:
    """A facilitator sends the chapter under review back to its authors as a draft."""
    chapter, community = chapter_in_scope(
        session, actor, chapter_id, "chapter.approve", for_update=True
    )
    require_version(session, chapter, version)
    _require_status(chapter, {ChapterStatus.IN_REVIEW}, N_("sent back"))
    authors = chapter_authors(session, chapter)
    records.save(
        session,
        actor,
        chapter,
        version,
        {"status": ChapterStatus.DRAFT},
        action="chapter.send_back",
        community_id=community.id,
    )
    _notify_authors(
        session,
        actor,
        chapter,
        community,
        authors,
        "chapter.sent_back",
        N_("{name} sent the chapter “{title}” of {community} back for more work."),
    )
    return chapter


def approve_chapter(session: Session, actor: Actor, chapter_id: Any, version: int) -> Revision:
    """A facilitator approves the chapter under review: its document is frozen as the next revision."""
    chapter, community = chapter_in_scope(
        session, actor, chapter_id, "chapter.approve", for_update=True
    )
    assert chapter.id is not None  # a stored chapter
    require_version(session, chapter, version)
    _require_status(
        chapter, {ChapterStatus.IN_REVIEW}, N_("approved before it is submitted for review")
    )
    sections = live_sections(session, chapter.id)
    authors = chapter_authors(session, chapter)
    toolkit = get_toolkit(session, chapter.toolkit_id)
    document = chapter_document(session, actor, toolkit, chapter, community, sections)
    number = chapter.approved_number + 1
    revision = Revision(
        chapter_id=chapter.id,
        number=number,
        title=chapter.title,
        markdown=markdown.render(document),
        document=document.to_json(),
        sections=section_sources(sections),
        approved_by_id=actor.user_id or None,
        approved_by_name=actor.name,
        approved_at=clock.now(),
    )
    session.add(revision)
    session.flush()
    records.save(
        session,
        actor,
        chapter,
        version,
        {"status": ChapterStatus.APPROVED, "approved_number": number},
        action="chapter.approve",
        community_id=community.id,
    )
    record_event(
        session,
        actor,
        "chapter.revision",
        revision,
        community_id=community.id,
        changes={"chapter_id": [None, chapter.id], "number": [None, number]},
    )
    _notify_authors(
        session,
        actor,
        chapter,
        community,
        authors,
        "chapter.approved",
        N_("{name} approved the chapter “{title}” of {community}."),
    )
    return revision


def latest_revision(session: Session, chapter: Chapter) -> Revision | None:
    if chapter.approved_number == 0:
        return None
    return session.exec(
        select(Revision).where(
            Revision.chapter_id == chapter.id, Revision.number == chapter.approved_number
        )
    ).first()


def revision_number(actor: Actor, chapter: Chapter, community: Community, number: Any) -> int:
    """The revision ``number`` if the actor may read it (whether it exists is not asked here)."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise NotFound(
            Message(N_("There is no revision {number} of this chapter."), number=str(number)[:40])
        ) from None
    if number != chapter.approved_number and not is_allowed(actor, "chapter.export", community):
        raise PermissionDenied(
            Message(
                N_("Earlier revisions are for the people of {community}."), community=community.name
            )
        )
    return number


def get_revision(
    session: Session, actor: Actor, chapter: Chapter, community: Community, number: Any
) -> Revision:
    """One revision: the latest for every reader, earlier ones for the community's people."""
    number = revision_number(actor, chapter, community, number)
    revision = session.exec(
        select(Revision).where(Revision.chapter_id == chapter.id, Revision.number == number)
    ).first()
    if revision is None:
        raise NotFound(
            Message(N_("There is no revision {number} of this chapter."), number=str(number))
        )
    return revision


@dataclass(frozen=True)
class RevisionRow:
    """An approved revision of a chapter, listed to compare, restore or export it (without its documents)."""

    id: int
    number: int
    title: str
    approved_by: str
    approved_at: datetime


def list_revisions(session: Session, actor: Actor, chapter_id: Any) -> list[RevisionRow]:
    """Every approved revision, newest first (without the frozen documents)."""
    chapter, community = chapter_in_scope(session, actor, chapter_id)
    stmt = sa.select(
        col(Revision.id),
        col(Revision.number),
        col(Revision.title),
        col(Revision.approved_by_name),
        col(Revision.approved_at),
    )
    stmt = stmt.where(col(Revision.chapter_id) == chapter.id)
    if not is_allowed(actor, "chapter.export", community):
        stmt = stmt.where(col(Revision.number) == chapter.approved_number)
    return [
        RevisionRow(id=i, number=n, title=t, approved_by=by, approved_at=at)
        for i, n, t, by, at in session.execute(stmt.order_by(sa.desc(col(Revision.number))))
    ]


@dataclass
class ChapterDetail:
    """What the chapter page draws: the live draft for those who see it, else the published
    revision (``published_text``, read only where it is drawn: a frozen revision holds its
    pictures, the best part of a megabyte, and this is read on every run of the page)."""

    toolkit: Toolkit
    chapter: Chapter
    community: Community
    sees_draft: bool
    sections: list[Section]


def chapter_history(session: Session, actor: Actor, chapter_id: Any) -> list[Entry]:
    """What happened to a chapter, newest first, as sentences (cop.core.history).

    Its revisions for every reader; its draft's sections and comments only for
    those who see the draft, as the draft itself.
    """
    chapter, community = chapter_in_scope(session, actor, chapter_id)
    assert chapter.id is not None  # a stored chapter
    parts = {
        "chapter_revision": list(
            session.exec(select(Revision.id).where(Revision.chapter_id == chapter.id))
        )
    }
    if may_see_draft(actor, community):
        sections = list(session.exec(select(Section.id).where(Section.chapter_id == chapter.id)))
        parts["section"] = sections
        parts["section_comment"] = list(
            session.exec(select(Comment.id).where(col(Comment.section_id).in_(sections or [-1])))
        )
    return history.describe(session, audit.history(session, "chapter", chapter.id, parts=parts))  # type: ignore[arg-type]  # ids of stored rows are never None


def chapter_detail(session: Session, actor: Actor, chapter_id: Any) -> ChapterDetail:
    chapter, community = chapter_in_scope(session, actor, chapter_id)
    assert chapter.id is not None  # a stored chapter
    sees_draft = may_see_draft(actor, community)
    return ChapterDetail(
        toolkit=get_toolkit(session, chapter.toolkit_id),
        chapter=chapter,
        community=community,
        sees_draft=sees_draft,
        sections=live_sections(session, chapter.id) if sees_draft else [],
    )


def published_text(session: Session, actor: Actor, chapter_id: Any) -> Revision | None:
    """The latest approved revision of a chapter the actor may read, or None before the first."""
    chapter, _community = chapter_in_scope(session, actor, chapter_id)
    return latest_revision(session, chapter)
