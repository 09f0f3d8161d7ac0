"""Attendance of members and guests, and the counts per organisation and city derived from it."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from cop.communities import people
from cop.communities import service as communities
from cop.core.db import read_session, write_session
from cop.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from cop.core.permissions import SYSTEM, Role
from cop.workshops import attendance
from tests import factories
from tests.factories import World


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


def _person(
    engine: Engine, w: World, name: str, organisation_id: int | None, role: str | None = Role.MEMBER
) -> int:
    with write_session(engine) as s:
        person = people.create_person(s, SYSTEM, name=name, organisation_id=organisation_id)
        if role is not None:
            communities.add_member(s, SYSTEM, w.community.id, person.id, role)
        return person.id  # type: ignore[return-value]


def test_member_attendee_and_guest_are_listed_with_their_organisations(
    engine: Engine, w: World
) -> None:
    ghent = factories.organisation(engine, "Ghent")
    ana = _person(engine, w, "Ana", ghent)
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s:
        attendance.add_attendee(s, w.member, made.id, person_id=ana, role="host", attended=True)
        attendance.add_guest(
            s, w.member, made.id, name="Bo", organisation="Red Cross", role="speaker"
        )
    with read_session(engine) as s:
        rows = attendance.attendance_list(s, made.id)
    assert [(r.name, r.organisation, r.role, r.attended, r.guest) for r in rows] == [
        ("Ana", "Ghent", "host", True, False),
        ("Bo", "Red Cross", "speaker", False, True),
    ]


def test_attendee_outside_the_community_gets_a_field_message(engine: Engine, w: World) -> None:
    stranger = _person(engine, w, "Stranger", None, role=None)
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        attendance.add_attendee(s, w.member, made.id, person_id=stranger)
    assert "outside the community" in err.value.fields["person_id"]
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        attendance.add_attendee(s, w.member, made.id, person_id="not-a-number")
    assert "outside the community" in err.value.fields["person_id"]


def test_guest_needs_name_and_organisation(engine: Engine, w: World) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        attendance.add_guest(
            s, w.member, made.id, name=" ", organisation="", role="boss", attended="maybe"
        )  # type: ignore[arg-type]
    assert set(err.value.fields) == {"guest_name", "guest_organisation", "role", "attended"}


def test_the_same_member_is_listed_once_and_can_come_back_after_removal(
    engine: Engine, w: World
) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s:
        first = attendance.add_attendee(s, w.member, made.id, person_id=w.member.person_id)
    with write_session(engine) as s, pytest.raises(ValidationError) as err:
        attendance.add_attendee(s, w.member, made.id, person_id=w.member.person_id)
    assert "already on the attendance list" in err.value.fields["person_id"]
    with write_session(engine) as s:
        attendance.remove_attendance(s, w.member, first.id)
    with read_session(engine) as s:
        assert attendance.attendance_list(s, made.id) == []
    with write_session(engine) as s:
        again = attendance.add_attendee(
            s, w.member, made.id, person_id=w.member.person_id, role="speaker"
        )
    assert again.id == first.id
    with read_session(engine) as s:
        assert [r.role for r in attendance.attendance_list(s, made.id)] == ["speaker"]


def test_update_attendance_checks_the_version(engine: Engine, w: World) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s:
        row = attendance.add_guest(s, w.member, made.id, name="Bo", organisation="NGO")
    with write_session(engine) as s:
        attendance.update_attendance(
            s, w.facilitator, row.id, row.version, role="speaker", attended=True
        )
    with write_session(engine) as s, pytest.raises(ConflictError) as err:
        attendance.update_attendance(s, w.member, row.id, row.version, role="host", attended=False)
    assert err.value.changed["role"]["now"] == "speaker"


@pytest.mark.parametrize("role", ["observer", "outsider"])
def test_observer_and_outsider_cannot_take_attendance(engine: Engine, w: World, role: str) -> None:
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        attendance.add_guest(s, w.by_role(role), made.id, name="Bo", organisation="NGO")


def test_outsider_of_a_private_community_cannot_see_the_summary(engine: Engine) -> None:
    private = factories.world(engine, visibility="private")
    made = factories.workshop(engine, private.member, private.community.id)
    with read_session(engine) as s, pytest.raises(NotFound):
        attendance.attendance_summary(s, private.outsider, made.id)


def test_counts_per_organisation_and_city_are_derived(engine: Engine, w: World) -> None:
    ghent = factories.organisation(engine, "Ghent")
    with write_session(engine) as s:
        red_cross = people.create_organisation(s, SYSTEM, name="Red Cross Ghent", kind="ngo").id
    a = _person(engine, w, "Ana", ghent)
    b = _person(engine, w, "Ben", ghent)
    c = _person(engine, w, "Cem", red_cross)
    d = _person(engine, w, "Dora", None)
    made = factories.workshop(engine, w.member, w.community.id)
    with write_session(engine) as s:
        attendance.add_attendee(s, w.member, made.id, person_id=a, attended=True)
        attendance.add_attendee(s, w.member, made.id, person_id=b, attended=False)
        attendance.add_attendee(s, w.member, made.id, person_id=c, attended=True)
        attendance.add_attendee(s, w.member, made.id, person_id=d, attended=True)
        attendance.add_guest(
            s, w.member, made.id, name="Eva", organisation="University", attended=True
        )
        removed = attendance.add_guest(s, w.member, made.id, name="Fay", organisation="University")
    with write_session(engine) as s:
        attendance.remove_attendance(s, w.member, removed.id)
    with read_session(engine) as s:
        summary = attendance.attendance_summary(s, w.observer, made.id)
    assert (summary.registered, summary.attended, summary.guests) == (5, 4, 1)
    rows = {r.organisation: (r.kind, r.registered, r.attended) for r in summary.by_organisation}
    assert rows == {
        "Ghent": ("city", 2, 1),
        "Red Cross Ghent": ("ngo", 1, 1),
        "": ("", 1, 1),  # no organisation: the page names it in the reader's language
        "University": ("", 1, 1),
    }
    assert [(r.organisation, r.registered) for r in summary.by_city] == [("Ghent", 2)]
