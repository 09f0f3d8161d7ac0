"""@mentions: ``@Name`` in a comment, an action update or a workshop's minutes notifies that member.

The stored text keeps the mention as typed, ``@Anna Schmidt``: readable as it is,
in the page and in an export. A mention names a live member of the record's
community by their full name (any case), followed by the end of a word. Only
mentions new to the text notify: saving minutes again does not notify twice.
The editor offers the same names (``member_names``), less the writer's own, once ``@`` and
two letters are typed.
"""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from cop.accounts.notifications import notify_people
from cop.communities.models import Community, Membership, Person
from cop.core.permissions import Actor, can_read


def _members(session: Session, community_id: int) -> list[tuple[int, str]]:
    rows = session.exec(
        select(Person.id, Person.name)
        .join(Membership, col(Membership.person_id) == Person.id)
        .where(
            Membership.community_id == community_id,
            col(Membership.deleted_at).is_(None),
            col(Person.deleted_at).is_(None),
            col(Person.anonymised_at).is_(None),
        )
        .order_by(col(Person.name), col(Person.id))
    )
    return [(person_id, name) for person_id, name in rows if person_id is not None and name]


def member_names(session: Session, community_id: int) -> list[str]:
    """The names the editor offers after ``@`` in this community, in order."""
    return list(dict.fromkeys(name for _id, name in _members(session, community_id)))


def mentionable(session: Session, actor: Actor, community_id: int) -> list[str]:
    """``member_names`` for a reader of the community (an empty list for anyone else), less
    the reader: mentioning oneself notifies nobody, so the editor does not offer it. Another
    member who shares the reader's name is still offered."""
    community = session.get(Community, community_id)
    if community is None or not can_read(actor, community):
        return []
    others = (
        name for person_id, name in _members(session, community_id) if person_id != actor.person_id
    )
    return list(dict.fromkeys(others))


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w@])@" + re.escape(name) + r"(?!\w)", re.IGNORECASE)


def mentioned(session: Session, community_id: int, text: str, before: str = "") -> list[int]:
    """The person ids of the members ``text`` mentions and ``before`` did not."""
    if "@" not in text:
        return []
    found = []
    for person_id, name in _members(session, community_id):
        pattern = _pattern(name)
        if pattern.search(text) and not pattern.search(before):
            found.append(person_id)
    return found


def notify_mentions(
    session: Session,
    actor: Actor,
    *,
    community_id: int,
    text: str,
    before: str = "",
    message: str,
    record_type: str,
    record_id: int | None,
) -> set[int]:
    """Notify the members newly mentioned in ``text`` (not the writer); returns their person ids."""
    people = [p for p in mentioned(session, community_id, text, before) if p != actor.person_id]
    if people:
        notify_people(
            session,
            people,
            kind="mention",
            message=message,
            community_id=community_id,
            record_type=record_type,
            record_id=record_id,
            exclude_user_id=actor.user_id,
        )
    return set(people)
