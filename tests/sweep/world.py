"""One world per database for the whole sweep: a community with every kind of record to edit,
and the people a hostile form might name (outsiders, removed, deleted and deactivated members).

Built once per test module through the real services, so thousands of cases
cost one setup each; cases that use up a record (closing a workshop,
accepting an invitation) make their own.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cop.accounts import admin
from cop.actions import service as actions
from cop.actions import updates as action_updates
from cop.communities import people
from cop.communities import service as communities
from cop.communities.models import Community, Membership, Organisation
from cop.core import clock, records
from cop.core.db import write_session
from cop.core.permissions import SYSTEM, Actor, Role
from cop.practices import service as practices
from cop.practices import standards
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from cop.workshops import agenda, attachments, attendance, outcomes
from cop.workshops import service as workshops
from cop.workshops.models import Workshop
from tests import factories

from .inputs import PNG

_serial = itertools.count(1)


def serial() -> int:
    """A number no other case of this run has used (for usernames, slugs and titles)."""
    return next(_serial)


@dataclass
class HostileWorld:
    engine: Engine
    community: Community
    facilitator: Actor
    member: Actor
    admin: Actor
    profile_owner: Actor
    city: int
    elsewhere: Community
    scratch: Community
    outsider_person: int
    elsewhere_person: int
    removed_person: int
    deleted_person: int
    deactivated_person: int
    deleted_organisation: int
    organisation: int
    person: int
    workshop: int
    elsewhere_workshop: int
    deleted_workshop: int
    agenda_item: int
    attendance: int
    outcome: int
    attachment: int
    practice: int
    image: int
    standard: int
    action: int
    elsewhere_action: int
    milestone: int
    indicator: int
    toolkit: int
    chapter: int
    section: int

    def version(self, session: Session, model: type, record_id: int) -> int:
        """The stored version now, so an update case is never refused as stale."""
        return session.get(model, record_id).version  # type: ignore[union-attr]

    def held_workshop(self, session: Session) -> Workshop:
        """A fresh held workshop of the community, for a case that closes it."""
        workshop = self.planned_workshop(session)
        return workshops.mark_held(session, self.facilitator, workshop.id, workshop.version)

    def planned_workshop(self, session: Session, community_id: int | None = None) -> Workshop:
        start = datetime(2025, 3, 10, 10, 0)
        return workshops.record_workshop(
            session,
            SYSTEM,
            community_id=community_id or self.community.id,
            title=f"Workshop {serial()}",
            kind="workshop",
            format="in_person",
            place="Town hall",
            starts_at=start,
            ends_at=start + timedelta(hours=6),
            time_zone="Europe/Berlin",
        )


def _member_person(
    session: Session, community_id: int, name: str, organisation_id: int | None = None
) -> int:
    person = people.create_person(session, SYSTEM, name=name, organisation_id=organisation_id)
    communities.add_member(session, SYSTEM, community_id, person.id, Role.MEMBER)  # type: ignore[arg-type]
    return person.id  # type: ignore[return-value]


def build(engine: Engine) -> HostileWorld:
    """Every record the sweep edits, and every person or record a bad reference may name."""
    clock.freeze(None)
    city = factories.organisation(engine, "Ghent")
    community = factories.community(engine, name="Welcoming cities")
    elsewhere = factories.community(engine, name="Another community")
    scratch = factories.community(engine, name="Scratch community")
    facilitator = factories.actor(engine, Role.FACILITATOR, community.id, organisation_id=city)
    member = factories.actor(engine, Role.MEMBER, community.id, organisation_id=city)
    profile_owner = factories.actor(engine, Role.MEMBER, community.id)
    outsider = factories.actor(engine)
    deactivated = factories.actor(engine, Role.MEMBER, community.id)
    admin_actor = factories.actor(engine, admin=True)
    with write_session(engine) as s:
        admin.deactivate_user(s, SYSTEM, deactivated.user_id)
        elsewhere_person = _member_person(s, elsewhere.id, "Elsewhere Person")  # type: ignore[arg-type]
        removed_person = _member_person(s, community.id, "Removed Member")  # type: ignore[arg-type]
        membership = s.exec(select(Membership).where(Membership.person_id == removed_person)).one()
        communities.remove_member(s, SYSTEM, membership.id)  # type: ignore[arg-type]
        deleted_person = _member_person(s, community.id, "Deleted Person")  # type: ignore[arg-type]
        people.delete_person(s, SYSTEM, deleted_person)
        gone = people.create_organisation(s, SYSTEM, name="Closed NGO", kind="ngo")
        records.soft_delete(s, SYSTEM, gone, action="organisation.delete")
        organisation = people.create_organisation(
            s, SYSTEM, name="Volunteer centre", kind="volunteer_centre"
        )
        person = people.create_person(s, SYSTEM, name="Guest Expert")
    with write_session(engine) as s:
        start = datetime(2025, 3, 10, 10, 0)
        common = {
            "kind": "workshop",
            "format": "in_person",
            "place": "Town hall",
            "starts_at": start,
            "ends_at": start + timedelta(hours=6),
            "time_zone": "Europe/Berlin",
        }
        workshop = workshops.record_workshop(
            s, SYSTEM, community_id=community.id, title="Kick-off", **common
        )  # type: ignore[arg-type]
        elsewhere_workshop = workshops.record_workshop(
            s, SYSTEM, community_id=elsewhere.id, title="Elsewhere", **common
        )  # type: ignore[arg-type]
        deleted_workshop = workshops.record_workshop(
            s, SYSTEM, community_id=community.id, title="Deleted", **common
        )  # type: ignore[arg-type]
        workshops.delete_workshop(s, SYSTEM, deleted_workshop.id)  # type: ignore[arg-type]
        item = agenda.add_agenda_item(s, SYSTEM, workshop.id, title="Welcome", duration_minutes=30)  # type: ignore[arg-type]
        guest = attendance.add_guest(s, SYSTEM, workshop.id, name="Guest", organisation="NGO")  # type: ignore[arg-type]
        outcome = outcomes.add_outcome(s, SYSTEM, workshop.id, kind="insight", text="We learned.")  # type: ignore[arg-type]
        attachment = attachments.add_attachment(
            s, SYSTEM, workshop.id, filename="photo.png", content=PNG
        )  # type: ignore[arg-type]
        practice = practices.create_practice(
            s, SYSTEM, community.id, title="Buddy programme", organisation_id=city
        )  # type: ignore[arg-type]
        image = practices.add_image(s, SYSTEM, practice.id, PNG, alt_text="A buddy pair")  # type: ignore[arg-type]
        standard = standards.create_standard(
            s, SYSTEM, community.id, title="Welcome first", statement="Be kind."
        )  # type: ignore[arg-type]
        action = actions.create_action(
            s,
            SYSTEM,
            community_id=community.id,
            title="Open a welcome desk",  # type: ignore[arg-type]
            owner_person_id=member.person_id,
            due_date=date(2026, 12, 31),
        )  # type: ignore[arg-type]
        elsewhere_action = actions.create_action(
            s,
            SYSTEM,
            community_id=elsewhere.id,
            title="Elsewhere",  # type: ignore[arg-type]
            owner_person_id=elsewhere_person,
            due_date=date(2026, 12, 31),
        )
        milestone = action_updates.add_milestone(s, SYSTEM, action.id, title="Desk opened")
        indicator = action_updates.add_indicator(s, SYSTEM, action.id, name="Visitors", target=100)
        edition = toolkit.create_toolkit(s, SYSTEM, title="Toolkit", year=2021)
        chapter = toolkit.add_chapter(s, SYSTEM, edition.id, community.id)
        section = toolkit_sections.add_section(
            s, SYSTEM, chapter.id, "free_text", title="About", body="Text."
        )
        ids = {
            "workshop": workshop.id,
            "elsewhere_workshop": elsewhere_workshop.id,
            "deleted_workshop": deleted_workshop.id,
            "agenda_item": item.id,
            "attendance": guest.id,
            "outcome": outcome.id,
            "attachment": attachment.id,
            "practice": practice.id,
            "image": image.id,
            "standard": standard.id,
            "action": action.id,
            "elsewhere_action": elsewhere_action.id,
            "milestone": milestone.id,
            "indicator": indicator.id,
            "toolkit": edition.id,
            "chapter": chapter.id,
            "section": section.id,
        }
    with write_session(engine) as s:
        community = s.get(Community, community.id)  # type: ignore[assignment]
        assert s.get(Organisation, city) is not None
    return HostileWorld(
        engine=engine,
        community=community,
        facilitator=facilitator,
        member=member,
        admin=admin_actor,
        profile_owner=profile_owner,
        city=city,
        elsewhere=elsewhere,
        scratch=scratch,
        outsider_person=outsider.person_id,  # type: ignore[arg-type]
        elsewhere_person=elsewhere_person,
        removed_person=removed_person,
        deleted_person=deleted_person,
        deactivated_person=deactivated.person_id,  # type: ignore[arg-type]
        deleted_organisation=gone.id,  # type: ignore[arg-type]
        organisation=organisation.id,
        person=person.id,  # type: ignore[arg-type]
        **ids,  # type: ignore[arg-type]
    )
