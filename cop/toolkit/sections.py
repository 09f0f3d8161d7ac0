"""A chapter's sections (add, edit, remove, reorder) and the comments on them.

Members and facilitators of the community edit sections (``chapter.edit``).
Every edit is checked against the version the editor started from, and
moves the chapter on: a chapter in review or approved becomes the next
draft (see ``toolkit.chapter_changed``). Comments (``chapter.comment``) do
not change the chapter; anyone who may comment may resolve one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from cop.accounts.mentions import notify_mentions
from cop.accounts.models import User
from cop.accounts.notifications import notify_users
from cop.communities.models import Community, Person
from cop.core import clock, records
from cop.core.errors import NotFound, PermissionDenied, ValidationError
from cop.core.i18n import N_, translator
from cop.core.messages import Message
from cop.core.permissions import Actor
from cop.core.validation import Checker, record_id
from cop.export.document import Block
from cop.practices.models import Practice, Standard
from cop.toolkit.blocks import DEFAULT_TITLES, record_blocks
from cop.toolkit.key_results import KeyResults, key_results
from cop.toolkit.models import Chapter, Comment, Section, SectionKind
from cop.toolkit.service import (
    DIRECTIONS,
    chapter_changed,
    chapter_in_scope,
    get_toolkit,
    live_sections,
    may_see_draft,
)

KINDS = [k.value for k in SectionKind]
# Settings each kind understands: name -> "ids" (a list of record ids) or "flag" (true/false).
SETTINGS: dict[str, dict[str, str]] = {
    SectionKind.FREE_TEXT: {},
    SectionKind.STANDARDS: {"standard_ids": "ids"},
    SectionKind.PRACTICES: {"practice_ids": "ids"},
    SectionKind.KEY_RESULTS: {"chart": "flag"},
    SectionKind.WORKSHOP_TIMELINE: {"include_planned": "flag"},
    SectionKind.ACTIONS_SUMMARY: {"list_actions": "flag"},
    SectionKind.LESSONS_LEARNED: {"include_insights": "flag"},
}
MAX_SELECTED = 200
# What _check_ids says about practices and standards: not ids, too many, not of this community.
ID_MESSAGES = {
    "practices": (
        N_("Choose practices from the list."),
        N_("Choose at most {count} practices."),
        N_("Choose practices of {community}."),
    ),
    "standards": (
        N_("Choose standards from the list."),
        N_("Choose at most {count} standards."),
        N_("Choose standards of {community}."),
    ),
}


def _check_settings(
    session: Session, chk: Checker, community: Community, kind: str, value: Any
) -> dict[str, Any]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        chk.fail("settings", N_("The settings must be a set of named values."))
        return {}
    known = SETTINGS.get(kind, {})
    clean: dict[str, Any] = {}
    for name, given in value.items():
        if name not in known:
            chk.fail(
                "settings",
                Message(
                    N_("A {kind} section has no setting {name!r}."),
                    kind=kind.replace("_", " "),
                    name=name,
                ),
            )
        elif known[name] == "flag":
            if not isinstance(given, bool):
                chk.fail(name, N_("Choose yes or no."))
            clean[name] = bool(given)
        else:
            clean[name] = _check_ids(session, chk, community, name, given)
    return clean


def _check_ids(
    session: Session, chk: Checker, community: Community, name: str, given: Any
) -> list[int]:
    model = Practice if name == "practice_ids" else Standard
    not_ids, too_many, not_ours = ID_MESSAGES["practices" if model is Practice else "standards"]
    chosen = [record_id(v) for v in given] if isinstance(given, list | tuple) else [None]
    wanted = [i for i in chosen if i is not None]
    if len(wanted) < len(chosen):
        chk.fail(name, not_ids)
        return []
    ids = list(dict.fromkeys(wanted))
    if len(ids) > MAX_SELECTED:
        chk.fail(name, Message(too_many, count=MAX_SELECTED))
        return ids
    found = set(
        session.exec(
            select(model.id).where(
                col(model.id).in_(ids or [-1]),
                model.community_id == community.id,
                col(model.deleted_at).is_(None),
            )
        )
    )
    if len(found) != len(ids):
        chk.fail(name, Message(not_ours, community=community.name))
    return ids


def _check(
    session: Session, chk: Checker, community: Community, kind: str, fields: dict[str, Any]
) -> dict[str, Any]:
    unknown = set(fields) - {"title", "body", "settings"}
    if unknown:
        raise ValueError(f"unknown section fields: {sorted(unknown)}")
    values: dict[str, Any] = {}
    if "title" in fields:
        values["title"] = chk.title("title", fields["title"], label=N_("The section title"))
    if "body" in fields:
        values["body"] = chk.long_text("body", fields["body"], label=N_("The text"))
    if "settings" in fields:
        values["settings"] = _check_settings(session, chk, community, kind, fields["settings"])
    return values


def _section_in_scope(
    session: Session, actor: Actor, section_id: Any, operation: str, *, for_update: bool = False
) -> tuple[Section, Chapter, Community]:
    """The section, its chapter and community; for a change both rows are locked (section first)."""
    section = records.get_live(
        session, Section, section_id, for_update=for_update, label=N_("section")
    )
    try:
        chapter, community = chapter_in_scope(
            session, actor, section.chapter_id, operation, for_update=for_update
        )
    except NotFound:
        raise NotFound(
            Message(N_("There is no {label} with id {id}."), label=N_("section"), id=section_id)
        ) from None
    return section, chapter, community


def _default_title(session: Session, chapter: Chapter, kind: str) -> str:
    """A new section's usual title, in its edition's language (a German edition reads German)."""
    if kind not in DEFAULT_TITLES:
        return ""
    return translator(get_toolkit(session, chapter.toolkit_id).language)(DEFAULT_TITLES[kind])


def add_section(
    session: Session,
    actor: Actor,
    chapter_id: Any,
    kind: str,
    *,
    title: str | None = None,
    body: str = "",
    settings: dict[str, Any] | None = None,
) -> Section:
    """A new section at the end of the chapter; record blocks get their usual title."""
    chapter, community = chapter_in_scope(
        session, actor, chapter_id, "chapter.edit", for_update=True
    )
    chk = Checker()
    kind = chk.choice("kind", kind, KINDS, label=N_("The kind of section"))
    given = {
        "title": _default_title(session, chapter, kind) if title is None else title,
        "body": body,
        "settings": settings or {},
    }
    values = _check(session, chk, community, kind, given)
    chk.raise_if_any()
    assert chapter.id is not None  # chapter_in_scope read it from the database
    last = session.exec(
        select(func.max(Section.position)).where(
            Section.chapter_id == chapter.id, col(Section.deleted_at).is_(None)
        )
    ).one()
    section = Section(chapter_id=chapter.id, kind=kind, position=(last or 0) + 1, **values)
    records.create(session, actor, section, community_id=community.id, action="section.create")
    chapter_changed(session, actor, chapter, community)
    return section


def update_section(
    session: Session, actor: Actor, section_id: Any, version: int, **fields: Any
) -> Section:
    """Change a section's title, text or settings (its kind stays)."""
    section, chapter, community = _section_in_scope(
        session, actor, section_id, "chapter.edit", for_update=True
    )
    chk = Checker()
    values = _check(session, chk, community, section.kind, fields)
    chk.raise_if_any()
    if records.save(
        session, actor, section, version, values, action="section.update", community_id=community.id
    ):
        chapter_changed(session, actor, chapter, community)
    return section


def remove_section(session: Session, actor: Actor, section_id: Any, version: int) -> Section:
    """Take the section out of the chapter (soft delete: revisions keep their copies)."""
    section, chapter, community = _section_in_scope(
        session, actor, section_id, "chapter.edit", for_update=True
    )
    records.save(
        session, actor, section, version, {}, action="section.remove", community_id=community.id
    )
    records.soft_delete(session, actor, section, action="section.remove", community_id=community.id)
    chapter_changed(session, actor, chapter, community)
    return section


def move_section(
    session: Session, actor: Actor, section_id: Any, version: int, direction: str
) -> Section:
    """Swap the section with its neighbour; positions are renumbered 1..n."""
    section, chapter, community = _section_in_scope(
        session, actor, section_id, "chapter.edit", for_update=True
    )
    if direction not in DIRECTIONS:
        raise ValidationError({"direction": N_("Move a section up or down.")})
    records.save(
        session, actor, section, version, {}, action="section.move", community_id=community.id
    )
    assert chapter.id is not None  # _section_in_scope read it from the database
    sections = live_sections(session, chapter.id)
    index = next(i for i, s in enumerate(sections) if s.id == section.id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(sections):
        return section
    sections[index], sections[other] = sections[other], sections[index]
    for number, item in enumerate(sections, start=1):
        if item.position != number:
            records.save(
                session,
                actor,
                item,
                item.version,
                {"position": number},
                action="section.move",
                community_id=community.id,
            )
    chapter_changed(session, actor, chapter, community)
    return section


# --- comments ------------------------------------------------------------------------------


def add_comment(
    session: Session, actor: Actor, section_id: Any, text: str, reply_to: Any = None
) -> Comment:
    """A comment on the section, or with ``reply_to`` a reply to one of its comments.

    In the same transaction: the members it @mentions are notified, then whoever
    wrote what it answers (the comment replied to, or the section) unless mentioned.
    """
    section, chapter, community = _section_in_scope(session, actor, section_id, "chapter.comment")
    assert community.id is not None and section.id is not None  # both read from the database
    chk = Checker()
    text = chk.long_text("text", text, label=N_("The comment"), required=True)
    parent: Comment | None = None
    answered: Comment | None = None
    if reply_to is not None:
        number = record_id(reply_to)
        parent = session.get(Comment, number) if number is not None else None
        if parent is None or parent.deleted_at is not None or parent.section_id != section.id:
            chk.fail("reply_to", N_("Reply to a comment on this section."))
        else:
            answered = parent
            if parent.parent_id is not None:  # replies stay one level deep: under the thread
                parent = session.get(Comment, parent.parent_id) or parent
    chk.raise_if_any()
    comment = Comment(
        section_id=section.id,
        author_id=actor.user_id or None,
        text=text,
        parent_id=parent.id if parent is not None else None,
    )
    records.create(session, actor, comment, community_id=community.id, action="comment.create")
    where = {"section": section.title, "chapter": chapter.title, "name": actor.name}
    mentioned = notify_mentions(
        session,
        actor,
        community_id=community.id,
        text=text,
        message=Message(
            N_("{name} mentioned you in a comment on “{section}” ({chapter})."), **where
        ),
        record_type="chapter",
        record_id=chapter.id,
    )
    if answered is not None:
        writers = [answered.author_id]
        kind, template = (
            "comment.reply",
            N_("{name} replied to your comment on “{section}” ({chapter})."),
        )
    else:
        writers = [section.created_by_id, section.updated_by_id]
        kind, template = "section.comment", N_("{name} commented on “{section}” ({chapter}).")
    notified = [
        user.id
        for user in session.exec(select(User).where(col(User.id).in_([w for w in writers if w])))
        if user.person_id not in mentioned
    ]
    notify_users(
        session,
        notified,
        kind=kind,
        message=Message(template, **where),
        community_id=community.id,
        record_type="chapter",
        record_id=chapter.id,
        exclude_user_id=actor.user_id,
    )
    return comment


def resolve_comment(session: Session, actor: Actor, comment_id: Any, version: int) -> Comment:
    comment = records.get_live(session, Comment, comment_id, for_update=True, label=N_("comment"))
    try:
        _section, _chapter, community = _section_in_scope(
            session, actor, comment.section_id, "chapter.comment"
        )
    except NotFound:
        raise NotFound(
            Message(N_("There is no {label} with id {id}."), label=N_("comment"), id=comment_id)
        ) from None
    if comment.resolved_at is not None:
        raise ValidationError({"comment": N_("This comment is already resolved.")})
    records.save(
        session,
        actor,
        comment,
        version,
        {"resolved_at": clock.now(), "resolved_by_id": actor.user_id or None},
        action="comment.resolve",
        community_id=community.id,
    )
    return comment


@dataclass(frozen=True)
class ChapterComment:
    """A comment on a draft section with its author's name, shown under the section until resolved."""

    id: int
    version: int
    text: str
    author: str
    created_at: datetime
    resolved: bool
    parent_id: int | None = None  # the comment this one replies to


def chapter_comments(
    session: Session, actor: Actor, chapter_id: Any
) -> dict[int, list[ChapterComment]]:
    """Each section's comments, open ones first, with the author's name (for those who see the draft)."""
    chapter, _community = chapter_in_scope(session, actor, chapter_id, "chapter.comment")
    rows = session.exec(
        select(Comment, Section.id, Person.name, User.username)
        .join(Section, col(Section.id) == Comment.section_id)
        .join(User, col(User.id) == Comment.author_id, isouter=True)
        .join(Person, col(Person.id) == User.person_id, isouter=True)
        .where(
            Section.chapter_id == chapter.id,
            col(Section.deleted_at).is_(None),
            col(Comment.deleted_at).is_(None),
        )
        .order_by(col(Comment.resolved_at).is_not(None), col(Comment.created_at), col(Comment.id))
    )
    found: dict[int, list[ChapterComment]] = {}
    for comment, section_id, name, username in rows:
        assert comment.id is not None and section_id is not None  # stored rows
        found.setdefault(section_id, []).append(
            ChapterComment(
                id=comment.id,
                version=comment.version,
                text=comment.text,
                author=name or username or "a former user",
                created_at=comment.created_at,
                resolved=comment.resolved_at is not None,
                parent_id=comment.parent_id,
            )
        )
    return found


@dataclass(frozen=True)
class DraftRecords:
    """What the community's records add to each draft section, and the figures of its infographic."""

    blocks: dict[int, list[Block]]  # by section id; empty for free text
    key_results: KeyResults | None  # when the chapter has a key results section


def draft_audience(session: Session, actor: Actor, chapter_id: Any) -> tuple[int, str]:
    """Refuses a reader who may not see the draft; for one who may, what its records depend
    on: the chapter and the reader's language.

    Every such reader gets the same ``draft_records``, so the page keeps one answer for all
    of them under this key (cop.shell.cache, ``kept_as``): a community's members opening
    the Toolkit each read the draft's records, a tenth of the server's work under load.
    """
    chapter, community = chapter_in_scope(session, actor, chapter_id)
    if not may_see_draft(actor, community):
        raise PermissionDenied(N_("Only members and facilitators of the community see the draft."))
    assert chapter.id is not None  # read from the database
    return chapter.id, actor.language


def draft_records(session: Session, actor: Actor, chapter_id: Any) -> DraftRecords:
    """The records behind every section of the draft, read live (charts are drawn by the page).

    The same for every reader ``draft_audience`` lets through in the same language: the
    reader counts only for that check and the language.
    """
    chapter, community = chapter_in_scope(session, actor, chapter_id)
    if not may_see_draft(actor, community):
        raise PermissionDenied(N_("Only members and facilitators of the community see the draft."))
    assert chapter.id is not None and community.id is not None  # both were read from the database
    sections = live_sections(session, chapter.id)
    blocks = {
        s.id: record_blocks(
            session, actor, community, s, with_charts=False, language=actor.language
        )
        for s in sections
        if s.id is not None
    }
    wanted = any(s.kind == SectionKind.KEY_RESULTS for s in sections)
    return DraftRecords(blocks, key_results(session, actor, community.id) if wanted else None)
