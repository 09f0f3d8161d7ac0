"""Personal data: an admin anonymises a person; a person exports their own data."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.accounts import invitations, personal_data
from cop.accounts import service as accounts
from cop.accounts.models import Invitation, Notification, User
from cop.communities import service as communities
from cop.communities.models import Community, Membership, Person
from cop.core import clock
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.errors import ConflictError, PermissionDenied, ValidationError
from cop.core.permissions import SYSTEM, Actor
from cop.workshops import attendance
from cop.workshops import service as workshops
from tests import factories

T0 = datetime(2026, 9, 14, 9, 0, tzinfo=UTC)
NAME = "José Núñez"
EMAIL = "jose.nunez@example.org"


def _person_with_account(engine: Engine, community_id: int) -> Actor:
    with write_session(engine) as s:
        user = accounts.create_user(
            s, SYSTEM, username="jnunez", password=factories.PASSWORD, name=NAME, email=EMAIL
        )
        communities.add_member(s, SYSTEM, community_id, user.person_id, "member")  # type: ignore[arg-type]
        user_id = user.id
    with read_session(engine) as s:
        actor = accounts.load_actor(s, user_id)
    assert actor is not None
    return actor


def _everything_in_the_audit_trail(engine: Engine) -> str:
    with read_session(engine) as s:
        return " ".join(
            f"{e.actor_name} {json.dumps(e.changes, ensure_ascii=False)}"
            for e in s.exec(select(AuditEvent))
        )


def _anonymise(engine: Engine, actor: Actor, person_id: int) -> Person:
    with write_session(engine) as s:
        return personal_data.anonymise_person(s, actor, person_id)


def test_anonymising_replaces_name_email_and_closes_the_account(engine: Engine) -> None:
    clock.freeze(T0)
    world = factories.world(engine)
    jose = _person_with_account(engine, world.community.id)
    clock.freeze(T0 + timedelta(hours=1))
    person = _anonymise(engine, world.admin, jose.person_id)  # type: ignore[arg-type]
    assert person.name == f"Former participant #{jose.person_id}" and person.email == ""
    assert person.anonymised_at == T0 + timedelta(hours=1)
    with write_session(engine) as s:
        user = s.get(User, jose.user_id)
        assert user is not None and not user.active and user.username == f"former-{jose.user_id}"
        assert user.sessions_valid_after == T0 + timedelta(hours=1)
        assert accounts.load_actor(s, jose.user_id) is None
        assert accounts.sign_in(s, "jnunez", factories.PASSWORD) is None
        membership = s.exec(select(Membership).where(Membership.person_id == jose.person_id)).one()
        assert membership.deleted_at is None  # histories stay true, under the new name


def test_mentions_in_free_text_are_replaced_and_the_records_versioned(engine: Engine) -> None:
    world = factories.world(engine)
    jose = _person_with_account(engine, world.community.id)
    description = (
        f"Led by {NAME} (write to {EMAIL}); JOSÉ NÚÑEZ  hosts. "
        f"{NAME}s and Josélito Núñez are other people."
    )
    with write_session(engine) as s:
        communities.rename_community(
            s,
            world.facilitator,
            world.community.id,
            world.community.version,
            name="Welcoming",
            description=description,
        )
        s.add(
            Notification(user_id=world.facilitator.user_id, kind="note", message=f"{NAME} joined")
        )
    with read_session(engine) as s:
        version_before = s.get(Community, world.community.id).version  # type: ignore[union-attr]
    _anonymise(engine, world.admin, jose.person_id)  # type: ignore[arg-type]
    former = f"Former participant #{jose.person_id}"
    with read_session(engine) as s:
        community = s.get(Community, world.community.id)
        note = s.exec(select(Notification)).one()
    assert community is not None
    assert community.description == (
        f"Led by {former} (write to (redacted)); {former}  hosts. "
        f"{NAME}s and Josélito Núñez are other people."
    )
    assert note.message == f"{former} joined"
    assert community.version == version_before + 1
    with write_session(engine) as s, pytest.raises(ConflictError):
        communities.rename_community(
            s, world.facilitator, world.community.id, version_before, name="Stale save"
        )


def test_a_mention_in_capitals_with_accents_alone_is_found_and_replaced(engine: Engine) -> None:
    """SQLite's own lower() folds ASCII only; the candidate search must still find "JOSÉ NÚÑEZ"."""
    world = factories.world(engine)
    jose = _person_with_account(engine, world.community.id)
    with write_session(engine) as s:
        s.add(
            Notification(
                user_id=world.facilitator.user_id, kind="note", message="JOSÉ NÚÑEZ joined"
            )
        )
    _anonymise(engine, world.admin, jose.person_id)  # type: ignore[arg-type]
    with read_session(engine) as s:
        note = s.exec(select(Notification)).one()
    assert note.message == f"Former participant #{jose.person_id} joined"


def test_audit_values_naming_the_person_are_redacted(engine: Engine) -> None:
    world = factories.world(engine)
    jose = _person_with_account(engine, world.community.id)
    with write_session(engine) as s:
        communities.rename_community(
            s,
            world.facilitator,
            world.community.id,
            world.community.version,
            name="Welcoming",
            description=f"Contact: {NAME}",
        )
    before = _everything_in_the_audit_trail(engine)
    assert NAME in before and EMAIL in before and "jnunez" in before
    _anonymise(engine, world.admin, jose.person_id)  # type: ignore[arg-type]
    after = _everything_in_the_audit_trail(engine)
    assert NAME not in after and EMAIL not in after and "jnunez" not in after
    assert "(redacted)" in after
    with read_session(engine) as s:
        rename = s.exec(select(AuditEvent).where(AuditEvent.action == "community.rename")).one()
    assert rename.changes["name"][1] == "Welcoming"  # what did not name the person stays


def test_invitations_of_the_person_lose_name_and_email(engine: Engine) -> None:
    world = factories.world(engine)
    with write_session(engine) as s:
        person = accounts.create_user(
            s, SYSTEM, username="other", password=factories.PASSWORD, name="Someone"
        ).person_id
        invitations.invite(s, world.admin, community_id=world.community.id, name=NAME, email=EMAIL)
        from cop.communities import people

        jose = people.create_person(s, SYSTEM, name=NAME, email=EMAIL)
    assert person
    _anonymise(engine, world.admin, jose.id)  # type: ignore[arg-type]
    with read_session(engine) as s:
        invitation = s.exec(select(Invitation)).one()
    assert invitation.name == f"Former participant #{jose.id}" and invitation.email == ""


def test_attendance_is_kept_under_the_former_participant_name(engine: Engine) -> None:
    world = factories.world(engine)
    jose = _person_with_account(engine, world.community.id)
    workshop_id = _workshop_with(engine, world, jose)
    _anonymise(engine, world.admin, jose.person_id)  # type: ignore[arg-type]
    with read_session(engine) as s:
        rows = attendance.attendance_list(s, workshop_id)
    assert [r.person_id for r in rows if r.person_id] == [jose.person_id]
    assert NAME not in json.dumps([asdict(r) for r in rows], ensure_ascii=False, default=str)


def _workshop_with(engine: Engine, world: factories.World, person: Actor) -> int:
    with write_session(engine) as s:
        workshop = workshops.record_workshop(
            s,
            world.facilitator,
            community_id=world.community.id,
            title="Study visit",
            kind="study_visit",
            format="in_person",
            starts_at=T0 + timedelta(days=10),
            ends_at=T0 + timedelta(days=10, hours=3),
            time_zone="Europe/Madrid",
            place="Madrid",
            objectives=f"Meet {NAME} at the welcome centre",
        )
        attendance.add_attendee(s, world.facilitator, workshop.id, person_id=person.person_id)  # type: ignore[arg-type]
        return workshop.id  # type: ignore[return-value]


@pytest.mark.parametrize("role", ["facilitator", "member", "observer", "outsider"])
def test_only_admins_anonymise(engine: Engine, role: str) -> None:
    world = factories.world(engine)
    with write_session(engine) as s, pytest.raises(PermissionDenied):
        personal_data.anonymise_person(s, world.by_role(role), world.member.person_id)


def test_anonymising_twice_is_refused(engine: Engine) -> None:
    world = factories.world(engine)
    _anonymise(engine, world.admin, world.member.person_id)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        _anonymise(engine, world.admin, world.member.person_id)  # type: ignore[arg-type]


def test_a_very_short_name_is_not_searched_for_in_free_text(engine: Engine) -> None:
    world = factories.world(engine)
    with write_session(engine) as s:
        from cop.communities import people

        al = people.create_person(s, SYSTEM, name="Al")
        communities.rename_community(
            s,
            world.facilitator,
            world.community.id,
            world.community.version,
            name="Welcoming",
            description="Al fresco lunch, all welcome.",
        )
    _anonymise(engine, world.admin, al.id)  # type: ignore[arg-type]
    with read_session(engine) as s:
        assert s.get(Community, world.community.id).description == "Al fresco lunch, all welcome."  # type: ignore[union-attr]
        assert s.get(Person, al.id).name == f"Former participant #{al.id}"  # type: ignore[union-attr]


def test_a_person_exports_their_own_data_including_later_tables(engine: Engine) -> None:
    world = factories.world(engine)
    jose = _person_with_account(engine, world.community.id)
    _workshop_with(engine, world, jose)
    with write_session(engine) as s:
        s.add(Notification(user_id=jose.user_id, kind="note", message="Welcome"))
    with write_session(engine) as s:
        document = personal_data.export_own_data_json(s, jose)
    data = json.loads(document)
    assert data["profile"]["name"] == NAME and data["profile"]["email"] == EMAIL
    assert data["account"]["username"] == "jnunez"
    assert data["memberships"] == [
        {
            "community": world.community.name,
            "community_slug": world.community.slug,
            "role": "member",
            "since": data["memberships"][0]["since"],
            "ended": None,
        }
    ]
    assert [r["person_id"] for r in data["records"]["attendance"]] == [jose.person_id]
    assert [r["message"] for r in data["records"]["notification"]] == ["Welcome"]
    assert [r["id"] for r in data["records"]["user"]] == [jose.user_id]
    assert "password_hash" not in document and "$2b$" not in document
    assert NAME in document  # verbatim Unicode, not \\u escapes


def test_export_contains_nobody_elses_rows(engine: Engine) -> None:
    world = factories.world(engine)
    jose = _person_with_account(engine, world.community.id)
    with write_session(engine) as s:
        data = personal_data.export_own_data(s, jose)
    for table, rows in data["records"].items():
        for row in rows:
            assert (
                jose.person_id
                in (row.get("person_id"), row.get("id") if table == "person" else None)
                or row.get("user_id") == jose.user_id
                or (table == "user" and row["id"] == jose.user_id)
            )
    assert data["records"]["membership"] and all(
        r["person_id"] == jose.person_id for r in data["records"]["membership"]
    )


def test_exporting_is_audited_and_open_to_every_signed_in_user(engine: Engine) -> None:
    world = factories.world(engine)
    for role in ("facilitator", "member", "observer", "outsider", "admin"):
        with write_session(engine) as s:
            personal_data.export_own_data(s, world.by_role(role))
    with read_session(engine) as s:
        events = list(s.exec(select(AuditEvent).where(AuditEvent.action == "person.export_own")))
    assert len(events) == 5
