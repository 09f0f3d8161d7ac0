"""Communities of Practice and who belongs to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from cop.communities.models import Community, Membership, Organisation, Person
from cop.core import clock, records
from cop.core.db import memo
from cop.core.errors import NotFound
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, Role, Visibility, authorize, can_read
from cop.core.validation import Checker, record_id

ROLES = [r.value for r in Role]
VISIBILITIES = [v.value for v in Visibility]


def get_community(session: Session, actor: Actor, community_id: int | str) -> Community:
    """A community the actor may read; a private one does not exist for outsiders."""
    community = records.get_live(session, Community, community_id, label=N_("community"))
    if not can_read(actor, community):
        raise NotFound(
            Message(N_("There is no {label} with id {id}."), label=N_("community"), id=community_id)
        )
    return community


def get_by_slug(session: Session, actor: Actor, slug: str) -> Community:
    community = session.exec(
        select(Community).where(Community.slug == slug.strip().lower())
    ).first()
    if community is None or community.deleted_at is not None or not can_read(actor, community):
        raise NotFound(Message(N_("There is no community {slug!r}."), slug=slug))
    return community


def _readable(stmt: Any, actor: Actor, include_archived: bool) -> Any:
    """``stmt`` narrowed to the communities the actor may read."""
    stmt = stmt.where(col(Community.deleted_at).is_(None))
    if not include_archived:
        stmt = stmt.where(col(Community.archived_at).is_(None))
    if not actor.is_admin:
        stmt = stmt.where(
            (col(Community.visibility) == Visibility.WORKSPACE)
            | col(Community.id).in_(list(actor.roles) or [-1])
        )
    return stmt


def visible_communities(
    session: Session, actor: Actor, *, include_archived: bool = False
) -> list[Community]:
    """Every community the actor may read, by name.

    Asked once per read-only unit of work (``memo``): a page's read often asks twice, as
    Home's activity does for the names and again to keep to the reader's communities.
    """
    stmt = _readable(select(Community), actor, include_archived)
    key = (
        "visible_communities",
        actor.user_id,
        actor.is_admin,
        tuple(sorted(actor.roles)),
        include_archived,
    )
    return list(memo(session, key, lambda: tuple(session.exec(stmt.order_by(Community.name)))))


def visible_community_ids(
    session: Session, actor: Actor, *, include_archived: bool = False
) -> list[int]:
    """The ids of ``visible_communities``, by id, without loading each community (search asks on every query)."""
    stmt = _readable(select(Community.id), actor, include_archived)
    return [int(c) for c in session.exec(stmt.order_by(Community.id)) if c is not None]


def create_community(
    session: Session,
    actor: Actor,
    *,
    name: str,
    slug: str,
    theme: str = "",
    description: str = "",
    visibility: str = Visibility.WORKSPACE,
) -> Community:
    authorize(actor, "community.create")
    chk = Checker()
    name = chk.title("name", name, label=N_("The name"))
    slug = chk.slug("slug", slug)
    theme = chk.optional_line("theme", theme, label=N_("The theme"))
    description = chk.long_text("description", description, label=N_("The description"))
    chk.choice("visibility", visibility, VISIBILITIES, label=N_("Visibility"))
    if (
        "slug" not in chk.errors
        and session.exec(select(Community.id).where(Community.slug == slug)).first()
    ):
        chk.fail(
            "slug", Message(N_("The short name {slug!r} is taken by another community."), slug=slug)
        )
    chk.raise_if_any()
    community = Community(
        name=name, slug=slug, theme=theme, description=description, visibility=visibility
    )
    return records.create(session, actor, community, action="community.create")


def rename_community(
    session: Session,
    actor: Actor,
    community_id: int,
    version: int,
    *,
    name: str,
    theme: str | None = None,
    description: str | None = None,
) -> Community:
    community = records.get_live(
        session, Community, community_id, for_update=True, label=N_("community")
    )
    authorize(actor, "community.rename", community)
    chk = Checker()
    changes = {"name": chk.title("name", name, label=N_("The name"))}
    if theme is not None:
        changes["theme"] = chk.optional_line("theme", theme, label=N_("The theme"))
    if description is not None:
        changes["description"] = chk.long_text(
            "description", description, label=N_("The description")
        )
    chk.raise_if_any()
    records.save(
        session,
        actor,
        community,
        version,
        changes,
        action="community.rename",
        community_id=community.id,
    )
    return community


def set_visibility(
    session: Session, actor: Actor, community_id: int, version: int, visibility: str
) -> Community:
    community = records.get_live(
        session, Community, community_id, for_update=True, label=N_("community")
    )
    authorize(actor, "community.set_visibility", community)
    chk = Checker()
    chk.choice("visibility", visibility, VISIBILITIES, label=N_("Visibility"))
    chk.raise_if_any()
    records.save(
        session,
        actor,
        community,
        version,
        {"visibility": visibility},
        action="community.set_visibility",
        community_id=community.id,
    )
    return community


def archive_community(
    session: Session, actor: Actor, community_id: int, version: int, *, archived: bool = True
) -> Community:
    """Archived communities stay readable but leave the everyday lists."""
    community = records.get_live(
        session, Community, community_id, for_update=True, label=N_("community")
    )
    authorize(actor, "community.archive", community)
    records.save(
        session,
        actor,
        community,
        version,
        {"archived_at": clock.now() if archived else None},
        action="community.archive" if archived else "community.unarchive",
        community_id=community.id,
    )
    return community


def add_member(
    session: Session, actor: Actor, community_id: int, person_id: int, role: str = Role.MEMBER
) -> Membership:
    """Add a person with a role; re-adding a removed member restores their membership."""
    community = records.get_live(session, Community, community_id, label=N_("community"))
    authorize(actor, "membership.add", community)
    chk = Checker()
    chk.choice("role", role, ROLES, label=N_("The role"))
    number = record_id(person_id)
    person = session.get(Person, number) if number is not None else None
    if person is None or person.deleted_at is not None:
        chk.fail("person", N_("Choose a person who exists in the workspace."))
    chk.raise_if_any()
    assert person is not None and number is not None  # a missing person failed the check above
    existing = session.exec(
        select(Membership).where(
            Membership.person_id == number, Membership.community_id == community_id
        )
    ).first()
    if existing is not None:
        if existing.deleted_at is None:
            chk.fail(
                "person",
                Message(
                    N_("{name} is already a member of {community}."),
                    name=person.name,
                    community=community.name,
                ),
            )
            chk.raise_if_any()
        records.restore(
            session, actor, existing, action="membership.add", community_id=community_id
        )
        records.save(
            session,
            actor,
            existing,
            existing.version,
            {"role": role},
            action="membership.change_role",
            community_id=community_id,
        )
        return existing
    membership = Membership(person_id=number, community_id=community_id, role=role)
    return records.create(
        session, actor, membership, community_id=community_id, action="membership.add"
    )


def _membership(session: Session, membership_id: int) -> tuple[Membership, Community]:
    membership = records.get_live(
        session, Membership, membership_id, for_update=True, label=N_("membership")
    )
    community = records.get_live(session, Community, membership.community_id, label=N_("community"))
    return membership, community


def change_role(
    session: Session, actor: Actor, membership_id: int, version: int, role: str
) -> Membership:
    membership, community = _membership(session, membership_id)
    authorize(actor, "membership.change_role", community)
    chk = Checker()
    chk.choice("role", role, ROLES, label=N_("The role"))
    chk.raise_if_any()
    records.save(
        session,
        actor,
        membership,
        version,
        {"role": role},
        action="membership.change_role",
        community_id=community.id,
    )
    return membership


def remove_member(session: Session, actor: Actor, membership_id: int) -> None:
    membership, community = _membership(session, membership_id)
    authorize(actor, "membership.remove", community)
    records.soft_delete(
        session, actor, membership, action="membership.remove", community_id=community.id
    )


@dataclass(frozen=True)
class Member:
    """A member of a community with their organisation and role, for lists, pickers and role changes."""

    membership_id: int
    membership_version: int
    person_id: int
    name: str
    organisation: str
    organisation_id: int | None
    role: str


def members(session: Session, actor: Actor, community_id: int) -> list[Member]:
    """The community's members with their organisation, for lists and pickers."""
    community = get_community(session, actor, community_id)
    rows = session.exec(
        select(Membership, Person, Organisation)
        .join(Person, col(Person.id) == Membership.person_id)
        .join(Organisation, col(Organisation.id) == Person.organisation_id, isouter=True)
        .where(
            Membership.community_id == community.id,
            col(Membership.deleted_at).is_(None),
            col(Person.deleted_at).is_(None),
        )
        .order_by(Person.name)
    )
    return [
        Member(
            membership_id=m.id,
            membership_version=m.version,
            person_id=p.id,
            name=p.name,
            organisation=o.name if o else "",
            organisation_id=o.id if o else None,
            role=m.role,
        )
        for m, p, o in rows
        if m.id is not None and p.id is not None  # always, for stored rows; narrows the type
    ]


def is_member(session: Session, community_id: int, person_id: object) -> bool:
    """True when the person exists and holds a live membership of the community."""
    person = record_id(person_id)
    if person is None:
        return False
    return (
        session.exec(
            select(Membership.id)
            .join(Person, col(Person.id) == Membership.person_id)
            .where(
                Membership.community_id == community_id,
                Membership.person_id == person,
                col(Membership.deleted_at).is_(None),
                col(Person.deleted_at).is_(None),
            )
        ).first()
        is not None
    )
