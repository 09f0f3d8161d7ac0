"""Who came to a workshop: members of the community and guests without an account.

Counts per organisation and city are derived from these rows in SQL, never
typed, so they cannot drift from the list. A person who is not a member of the
community is refused with a field message; they can be added as a guest with
a name and an organisation instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cop.calendars.invitations import Reason, send_invitations
from cop.communities.models import Organisation, OrganisationKind, Person
from cop.communities.service import is_member
from cop.core import records
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor
from cop.core.validation import Checker
from cop.workshops.models import Attendance, AttendanceRole
from cop.workshops.service import editable_workshop, workshop_in_scope

ROLES = [r.value for r in AttendanceRole]
OUTSIDE = N_(
    "This attendee is outside the community: add them as a guest with their name and organisation."
)


@dataclass(frozen=True, slots=True)
class Attendee:
    """One line of a workshop's attendance list: a member or a guest, so a misspelt field is a type error."""

    id: int
    version: int
    person_id: int | None
    guest: bool
    name: str
    organisation: str
    organisation_kind: str
    role: str
    attended: bool


@dataclass(frozen=True, slots=True)
class OrganisationCount:
    """How many of one organisation registered and attended, for the summary's table."""

    organisation: str
    kind: str
    registered: int
    attended: int


@dataclass(frozen=True, slots=True)
class AttendanceSummary:
    """A workshop's registered, attended and guest counts, in total, per organisation and per city."""

    registered: int
    attended: int
    guests: int
    by_organisation: list[OrganisationCount]
    by_city: list[OrganisationCount]


def _check_role(chk: Checker, role: Any, attended: Any) -> dict[str, Any]:
    if not isinstance(attended, bool):
        chk.fail("attended", N_("Say whether they attended: yes or no."))
    return {
        "role": chk.choice("role", role, ROLES, label=N_("The role")),
        "attended": bool(attended),
    }


def attendance_list(session: Session, workshop_id: int) -> list[Attendee]:
    """Attendees with their organisation, hosts and speakers first (read access checked by the caller)."""
    role_order = sa.case(
        (col(Attendance.role) == AttendanceRole.HOST, 0),
        (col(Attendance.role) == AttendanceRole.SPEAKER, 1),
        else_=2,
    )
    name = func.coalesce(Person.name, Attendance.guest_name)
    rows = session.exec(
        select(Attendance, name, Organisation.name, Organisation.kind)
        .join(Person, col(Person.id) == Attendance.person_id, isouter=True)
        .join(Organisation, col(Organisation.id) == Person.organisation_id, isouter=True)
        .where(Attendance.workshop_id == workshop_id, col(Attendance.deleted_at).is_(None))
        .order_by(role_order, name, col(Attendance.id))
    )
    return [
        Attendee(
            id=a.id,  # type: ignore[arg-type]  # a stored row has its id
            version=a.version,
            person_id=a.person_id,
            guest=a.person_id is None,
            name=person_name,
            organisation=(org_name or "") if a.person_id is not None else a.guest_organisation,
            organisation_kind=org_kind or "",
            role=a.role,
            attended=a.attended,
        )
        for a, person_name, org_name, org_kind in rows
    ]


def add_attendee(
    session: Session,
    actor: Actor,
    workshop_id: int,
    *,
    person_id: int,
    role: str = AttendanceRole.PARTICIPANT,
    attended: bool = False,
) -> Attendance:
    """A member of the community on the attendance list (re-adding a removed one restores them)."""
    workshop, community = editable_workshop(session, actor, workshop_id, "workshop.attend")
    chk = Checker()
    values = _check_role(chk, role, attended)
    assert workshop.id is not None and community.id is not None  # both read from the database
    if not is_member(session, community.id, person_id):
        chk.fail("person_id", OUTSIDE)
    chk.raise_if_any()
    existing = session.exec(
        select(Attendance).where(
            Attendance.workshop_id == workshop.id, Attendance.person_id == int(person_id)
        )
    ).first()
    if existing is not None:
        if existing.deleted_at is None:
            person = session.get(Person, int(person_id))
            assert person is not None  # a member (checked above), and people are only soft-deleted
            name = person.name
            chk.fail(
                "person_id", Message(N_("{name} is already on the attendance list."), name=name)
            )
            chk.raise_if_any()
        records.restore(
            session, actor, existing, action="attendance.create", community_id=community.id
        )
        records.save(
            session,
            actor,
            existing,
            existing.version,
            values,
            action="attendance.update",
            community_id=community.id,
        )
        send_invitations(
            session, workshop, community.name, Reason.PLANNED, person_ids=[int(person_id)]
        )
        return existing
    attendance = Attendance(workshop_id=workshop.id, person_id=int(person_id), **values)
    records.create(
        session, actor, attendance, community_id=community.id, action="attendance.create"
    )
    send_invitations(session, workshop, community.name, Reason.PLANNED, person_ids=[int(person_id)])
    return attendance


def add_guest(
    session: Session,
    actor: Actor,
    workshop_id: int,
    *,
    name: str,
    organisation: str,
    role: str = AttendanceRole.PARTICIPANT,
    attended: bool = False,
) -> Attendance:
    """Someone without an account in the workspace, known by name and organisation."""
    workshop, community = editable_workshop(session, actor, workshop_id, "workshop.attend")
    chk = Checker()
    values = _check_role(chk, role, attended)
    values["guest_name"] = chk.title("guest_name", name, label=N_("The guest's name"))
    values["guest_organisation"] = chk.title(
        "guest_organisation", organisation, label=N_("The guest's organisation")
    )
    chk.raise_if_any()
    assert workshop.id is not None  # editable_workshop read it from the database
    attendance = Attendance(workshop_id=workshop.id, **values)
    return records.create(
        session, actor, attendance, community_id=community.id, action="attendance.create"
    )


def update_attendance(
    session: Session, actor: Actor, attendance_id: int, version: int, *, role: str, attended: bool
) -> Attendance:
    attendance = records.get_live(
        session, Attendance, attendance_id, for_update=True, label=N_("attendance")
    )
    _, community = editable_workshop(session, actor, attendance.workshop_id, "workshop.attend")
    chk = Checker()
    values = _check_role(chk, role, attended)
    chk.raise_if_any()
    records.save(
        session,
        actor,
        attendance,
        version,
        values,
        action="attendance.update",
        community_id=community.id,
    )
    return attendance


def remove_attendance(session: Session, actor: Actor, attendance_id: int) -> None:
    attendance = records.get_live(
        session, Attendance, attendance_id, for_update=True, label=N_("attendance")
    )
    workshop, community = editable_workshop(
        session, actor, attendance.workshop_id, "workshop.attend"
    )
    records.soft_delete(
        session, actor, attendance, action="attendance.delete", community_id=community.id
    )
    if attendance.person_id is not None:
        send_invitations(
            session,
            workshop,
            community.name,
            Reason.UNREGISTERED,
            person_ids=[attendance.person_id],
        )


def attendance_summary(session: Session, actor: Actor, workshop_id: int) -> AttendanceSummary:
    """Registered and attended counts per organisation and per city, and the totals, counted in SQL.

    A member counts for their organisation in the workspace; a guest for the
    organisation typed with their name. Cities are organisations of kind city.
    """
    workshop, _ = workshop_in_scope(session, actor, workshop_id, "community.read")
    live = (col(Attendance.workshop_id) == workshop.id) & col(Attendance.deleted_at).is_(None)
    organisation = sa.case(
        (
            col(Attendance.person_id).is_not(None),
            func.coalesce(Organisation.name, sa.literal_column("''")),
        ),
        else_=Attendance.guest_organisation,
    )
    came = func.sum(sa.case((col(Attendance.attended).is_(True), 1), else_=0))
    grouped = session.exec(
        select(organisation, Organisation.kind, func.count(col(Attendance.id)), came)
        .select_from(Attendance)
        .join(Person, col(Person.id) == Attendance.person_id, isouter=True)
        .join(Organisation, col(Organisation.id) == Person.organisation_id, isouter=True)
        .where(live)
        .group_by(organisation, Organisation.kind)
        .order_by(func.count(col(Attendance.id)).desc(), organisation)
    )
    by_organisation = [
        OrganisationCount(
            organisation=name or "",  # the page names the empty group in its reader's language
            kind=kind or "",
            registered=registered,
            attended=int(attended or 0),
        )
        for name, kind, registered, attended in grouped
    ]
    registered, attended, guests = session.exec(
        select(
            func.count(col(Attendance.id)),
            came,
            func.sum(sa.case((col(Attendance.person_id).is_(None), 1), else_=0)),
        ).where(live)
    ).one()
    return AttendanceSummary(
        registered=registered,
        attended=int(attended or 0),
        guests=int(guests or 0),
        by_organisation=by_organisation,
        by_city=[row for row in by_organisation if row.kind == OrganisationKind.CITY],
    )
