"""Good practices: record, review, illustrate and link them to the workshops where they were seen.

Review (see ``review_status``): members draft and submit, facilitators approve
or send back. An edit of an approved practice by a member (its fields, its
implementing organisations or its images) puts it back in review; a
facilitator's edit keeps it approved. Linking the workshops where it was
presented does not reopen the review: that records history, not a claim.

Who reads what is decided in ``practice_browse`` (members of the community
see every status, other readers only approved practices); its list and
detail functions are re-exported here so callers find every practice
operation in one place.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from cop.communities.models import Community
from cop.communities.service import get_community
from cop.core import clock, records
from cop.core.audit import record_event
from cop.core.i18n import N_
from cop.core.permissions import Actor, authorize
from cop.core.tags import tag_key
from cop.core.validation import Checker, record_id
from cop.practices import review as review_status
from cop.practices.models import (
    Practice,
    PracticeImage,
    PracticeOrganisation,
    PracticeTag,
    PracticeWorkshop,
    ReviewStatus,
    TagKind,
)
from cop.practices.queries import (
    PracticeDetail,
    find_practices,
    get_practice,
    known_tags,
    may_read,
    practice_detail,
    practice_history,
)
from cop.practices.rules import check_image, check_practice, check_workshops

__all__ = [
    "PracticeDetail",
    "add_image",
    "approve_practice",
    "create_practice",
    "delete_practice",
    "find_practices",
    "get_practice",
    "image_content",
    "known_tags",
    "link_workshop",
    "may_read",
    "practice_detail",
    "practice_history",
    "remove_image",
    "restore_practice",
    "send_back_practice",
    "submit_practice",
    "unlink_workshop",
    "update_image",
    "update_practice",
]

# Field of the form -> (link table, its column naming the linked record).
_LINKS: dict[str, tuple[type[PracticeOrganisation] | type[PracticeWorkshop], str]] = {
    "implementer_ids": (PracticeOrganisation, "organisation_id"),
    "workshop_ids": (PracticeWorkshop, "workshop_id"),
}
_LINK_FIELDS = tuple(_LINKS)


def _write_tags(session: Session, practice_id: int, kind: TagKind, tags: list[str]) -> None:
    """Make the tag index of one kind match the practice's own list."""
    wanted = {tag_key(tag): tag for tag in tags}
    for row in session.exec(
        select(PracticeTag).where(
            PracticeTag.practice_id == practice_id, PracticeTag.kind == kind.value
        )
    ):
        if row.key not in wanted:
            session.delete(row)
        else:
            row.value = wanted.pop(row.key)
    for key, tag in wanted.items():
        session.add(PracticeTag(practice_id=practice_id, kind=kind.value, key=key, value=tag))


def _linked_ids(session: Session, field: str, practice_id: int) -> list[int]:
    link, column = _LINKS[field]
    return sorted(
        session.exec(select(getattr(link, column)).where(link.practice_id == practice_id))
    )


def _replace_links(
    session: Session, practice_id: int, field: str, ids: list[int]
) -> list[list[int]] | None:
    """Write the new set of linked ids; return ``[old, new]`` when it changed."""
    link, column = _LINKS[field]
    old = _linked_ids(session, field, practice_id)
    if old == sorted(ids):
        return None
    for row in session.exec(select(link).where(link.practice_id == practice_id)):
        if getattr(row, column) not in ids:
            session.delete(row)
    for linked_id in set(ids) - set(old):
        session.add(link(practice_id=practice_id, **{column: linked_id}))
    session.flush()
    return [old, sorted(ids)]


def create_practice(session: Session, actor: Actor, community_id: int, **fields: Any) -> Practice:
    """A new draft. ``fields`` are the template's (see ``practice_input.FIELDS``); title and city are required."""
    community = get_community(session, actor, community_id)
    assert community.id is not None  # a stored community
    authorize(actor, "practice.create", community)
    chk = Checker()
    values = check_practice(chk, session, fields, None)
    workshop_ids = (
        check_workshops(chk, session, fields.get("workshop_ids"), community.id)
        if "workshop_ids" in fields
        else []
    )
    chk.raise_if_any()
    links = {"implementer_ids": values.pop("implementer_ids", []), "workshop_ids": workshop_ids}
    practice = Practice(community_id=community.id, status=ReviewStatus.DRAFT, **values)
    records.create(session, actor, practice, action="practice.create")
    assert practice.id is not None  # records.create flushed it
    _write_tags(session, practice.id, TagKind.THEME, practice.themes)
    _write_tags(session, practice.id, TagKind.TARGET_GROUP, practice.target_groups)
    changed = {
        f: c for f in _LINK_FIELDS if (c := _replace_links(session, practice.id, f, links[f]))
    }
    if changed:
        record_event(
            session, actor, "practice.link", practice, community_id=community.id, changes=changed
        )
    return practice


def update_practice(
    session: Session, actor: Actor, practice_id: int, version: int, **fields: Any
) -> Practice:
    """Change the given fields only; a member's edit of an approved practice goes back to review."""
    practice, community = get_practice(session, actor, practice_id, for_update=True)
    assert practice.id is not None and community.id is not None  # stored records
    authorize(actor, "practice.update", community)
    chk = Checker()
    values = check_practice(chk, session, fields, practice)
    if "workshop_ids" in fields:
        values["workshop_ids"] = check_workshops(chk, session, fields["workshop_ids"], community.id)
    chk.raise_if_any()
    links = {field: values.pop(field) for field in _LINK_FIELDS if field in values}
    # Where it was seen is history, not a claim about the practice: it does not reopen the review.
    edited = any(getattr(practice, k) != v for k, v in values.items()) or (
        "implementer_ids" in links
        and sorted(links["implementer_ids"]) != _linked_ids(session, "implementer_ids", practice.id)
    )
    if edited:
        values["status"] = review_status.status_after_edit(actor, community, practice.status)
    delta = records.save(
        session,
        actor,
        practice,
        version,
        values,
        action="practice.update",
        community_id=community.id,
    )
    link_delta: dict[str, list[Any]] = {
        f: c for f, ids in links.items() if (c := _replace_links(session, practice.id, f, ids))
    }
    if link_delta:
        if not delta:  # only links changed: still a new version, so stale forms are caught
            practice.version += 1
            practice.updated_at = clock.now()
            practice.updated_by_id = actor.user_id or None
            session.add(practice)
        link_delta["version"] = [version, practice.version]
        record_event(
            session,
            actor,
            "practice.update",
            practice,
            community_id=community.id,
            changes=link_delta,
        )
    if "themes" in values:
        _write_tags(session, practice.id, TagKind.THEME, practice.themes)
    if "target_groups" in values:
        _write_tags(session, practice.id, TagKind.TARGET_GROUP, practice.target_groups)
    return practice


def _back_to_review_after_member_edit(
    session: Session, actor: Actor, practice: Practice, community: Community
) -> None:
    status = review_status.status_after_edit(actor, community, practice.status)
    if status != practice.status:
        records.save(
            session,
            actor,
            practice,
            practice.version,
            {"status": status},
            action="practice.back_to_review",
            community_id=community.id,
        )


def submit_practice(session: Session, actor: Actor, practice_id: int, version: int) -> Practice:
    practice, community = get_practice(session, actor, practice_id, for_update=True)
    review_status.submit(session, actor, practice, community, version, area="practice")
    return practice


def approve_practice(session: Session, actor: Actor, practice_id: int, version: int) -> Practice:
    practice, community = get_practice(session, actor, practice_id, for_update=True)
    review_status.approve(session, actor, practice, community, version, area="practice")
    return practice


def send_back_practice(
    session: Session, actor: Actor, practice_id: int, version: int, note: str = ""
) -> Practice:
    practice, community = get_practice(session, actor, practice_id, for_update=True)
    review_status.send_back(
        session, actor, practice, community, version, area="practice", note=note
    )
    return practice


def delete_practice(session: Session, actor: Actor, practice_id: int) -> None:
    practice, community = get_practice(session, actor, practice_id, for_update=True)
    authorize(actor, "practice.delete", community)
    records.soft_delete(
        session, actor, practice, action="practice.delete", community_id=community.id
    )


def restore_practice(session: Session, actor: Actor, practice_id: int) -> Practice:
    practice = records.get_deleted(session, Practice, practice_id)
    community = get_community(session, actor, practice.community_id)
    authorize(actor, "practice.delete", community)
    return records.restore(
        session, actor, practice, action="practice.restore", community_id=community.id
    )


def link_workshop(session: Session, actor: Actor, practice_id: int, workshop_id: int) -> None:
    """Note a workshop or visit where the practice was presented (linking twice is harmless)."""
    practice, community = get_practice(session, actor, practice_id, for_update=True)
    assert practice.id is not None and community.id is not None  # stored records
    authorize(actor, "practice.update", community)
    chk = Checker()
    ids = check_workshops(chk, session, [workshop_id], community.id)
    chk.raise_if_any()
    current = _linked_ids(session, "workshop_ids", practice.id)
    if ids[0] not in current:
        session.add(PracticeWorkshop(practice_id=practice.id, workshop_id=ids[0]))
        record_event(
            session,
            actor,
            "practice.link_workshop",
            practice,
            community_id=community.id,
            changes={"workshop_ids": [current, sorted([*current, ids[0]])]},
        )


def unlink_workshop(session: Session, actor: Actor, practice_id: int, workshop_id: int) -> None:
    practice, community = get_practice(session, actor, practice_id, for_update=True)
    assert practice.id is not None  # a stored record
    authorize(actor, "practice.update", community)
    current = _linked_ids(session, "workshop_ids", practice.id)
    unlinked = record_id(workshop_id) or -1
    link = session.get(PracticeWorkshop, (practice.id, unlinked))
    if link is not None:
        session.delete(link)
        record_event(
            session,
            actor,
            "practice.unlink_workshop",
            practice,
            community_id=community.id,
            changes={"workshop_ids": [current, [i for i in current if i != unlinked]]},
        )


def add_image(
    session: Session,
    actor: Actor,
    practice_id: int,
    data: bytes,
    *,
    alt_text: str,
    credit: str = "",
) -> PracticeImage:
    """An image with required alternative text; the type is read from the content, not the name."""
    practice, community = get_practice(session, actor, practice_id, for_update=True)
    assert practice.id is not None  # a stored practice
    authorize(actor, "practice.update", community)
    chk = Checker()
    content_type, data, alt_text, credit = check_image(chk, data, alt_text, credit)
    chk.raise_if_any()
    image = PracticeImage(
        practice_id=practice.id,
        content_type=content_type,
        data=data,
        alt_text=alt_text,
        credit=credit,
    )
    records.create(session, actor, image, community_id=community.id, action="practice.add_image")
    _back_to_review_after_member_edit(session, actor, practice, community)
    return image


def update_image(
    session: Session, actor: Actor, image_id: int, version: int, *, alt_text: str, credit: str = ""
) -> PracticeImage:
    image = records.get_live(session, PracticeImage, image_id, for_update=True, label=N_("image"))
    practice, community = get_practice(session, actor, image.practice_id, for_update=True)
    authorize(actor, "practice.update", community)
    chk = Checker()
    values = {
        "alt_text": chk.title("alt_text", alt_text, label=N_("The alternative text"), max_len=500),
        "credit": chk.optional_line("credit", credit, label=N_("The credit")),
    }
    chk.raise_if_any()
    if records.save(
        session,
        actor,
        image,
        version,
        values,
        action="practice.update_image",
        community_id=community.id,
    ):
        _back_to_review_after_member_edit(session, actor, practice, community)
    return image


def remove_image(session: Session, actor: Actor, image_id: int) -> None:
    image = records.get_live(session, PracticeImage, image_id, for_update=True, label=N_("image"))
    practice, community = get_practice(session, actor, image.practice_id, for_update=True)
    authorize(actor, "practice.update", community)
    records.soft_delete(
        session, actor, image, action="practice.remove_image", community_id=community.id
    )
    _back_to_review_after_member_edit(session, actor, practice, community)


def image_content(session: Session, actor: Actor, image_id: Any) -> tuple[str, bytes, str]:
    """The bytes of one image with its type and alt text, if the actor may read its practice."""
    image = records.get_live(session, PracticeImage, image_id, label=N_("image"))
    get_practice(session, actor, image.practice_id)
    return image.content_type, image.data, image.alt_text
