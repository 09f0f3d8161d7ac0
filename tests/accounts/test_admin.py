"""The admin console: deactivation, password resets, unlocking, the account list and the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.accounts import admin
from cop.accounts import service as accounts
from cop.accounts.models import User
from cop.communities import service as communities
from cop.core import clock
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.errors import NotFound, PermissionDenied, ValidationError
from cop.core.permissions import SYSTEM
from tests import factories

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def _user(engine: Engine, user_id: int) -> User:
    with read_session(engine) as s:
        user = s.get(User, user_id)
        assert user is not None
        return user


def test_deactivation_ends_sessions_and_sign_in(engine: Engine) -> None:
    clock.freeze(T0)
    world = factories.world(engine)
    clock.freeze(T0 + timedelta(hours=1))
    with write_session(engine) as s:
        admin.deactivate_user(s, world.admin, world.member.user_id)
    user = _user(engine, world.member.user_id)
    assert not user.active and user.sessions_valid_after == T0 + timedelta(hours=1)
    with write_session(engine) as s:
        assert accounts.load_actor(s, world.member.user_id) is None
        assert accounts.sign_in(s, world.member.username, factories.PASSWORD) is None
        assert world.member.username not in accounts.credentials(s)["usernames"]


def test_reactivation_lets_the_user_sign_in_again(engine: Engine) -> None:
    world = factories.world(engine)
    with write_session(engine) as s:
        admin.deactivate_user(s, world.admin, world.member.user_id)
    with write_session(engine) as s:
        admin.reactivate_user(s, world.admin, world.member.user_id)
    with write_session(engine) as s:
        assert accounts.sign_in(s, world.member.username, factories.PASSWORD) is not None


def test_an_admin_cannot_deactivate_their_own_account(engine: Engine) -> None:
    world = factories.world(engine)
    with write_session(engine) as s, pytest.raises(ValidationError):
        admin.deactivate_user(s, world.admin, world.admin.user_id)


@pytest.mark.parametrize("role", ["facilitator", "member", "observer", "outsider"])
def test_only_admins_manage_accounts(engine: Engine, role: str) -> None:
    world = factories.world(engine)
    who = world.by_role(role)
    for operation in (
        admin.deactivate_user,
        admin.reactivate_user,
        admin.reset_password,
        admin.unlock_user,
    ):
        with write_session(engine) as s, pytest.raises(PermissionDenied):
            operation(s, who, world.member.user_id)
    with read_session(engine) as s, pytest.raises(PermissionDenied):
        admin.list_users(s, who)


def test_unknown_account_ids_are_not_found(engine: Engine) -> None:
    world = factories.world(engine)
    for bad in (99999, "abc", "1; DROP TABLE user"):
        with write_session(engine) as s, pytest.raises(NotFound):
            admin.unlock_user(s, world.admin, bad)


def test_reset_password_gives_a_one_time_password_that_must_be_changed(engine: Engine) -> None:
    clock.freeze(T0)
    world = factories.world(engine)
    for _ in range(5):
        with write_session(engine) as s:
            accounts.sign_in(s, world.member.username, "wrong wrong wrong")
    clock.freeze(T0 + timedelta(minutes=1))
    with write_session(engine) as s:
        temporary = admin.reset_password(s, world.admin, world.member.user_id)
    assert len(temporary) >= 12
    user = _user(engine, world.member.user_id)
    assert user.must_change_password and user.locked_until is None
    assert user.sessions_valid_after == T0 + timedelta(minutes=1)
    with write_session(engine) as s:
        assert accounts.sign_in(s, world.member.username, factories.PASSWORD) is None
        assert accounts.sign_in(s, world.member.username, temporary) is not None
    member = world.member
    with write_session(engine) as s:
        accounts.change_own_password(s, member, temporary, "my own new passphrase")
    assert not _user(engine, member.user_id).must_change_password
    with read_session(engine) as s:
        for event in s.exec(select(AuditEvent)):
            assert temporary not in str(event.changes)
            assert "$2b$" not in str(event.changes)
        reset = s.exec(select(AuditEvent).where(AuditEvent.action == "user.reset_password")).one()
    assert reset.changes["password"] == ["(hidden)", "(temporary password set)"]


def test_repeated_unlocks_are_each_audited(engine: Engine) -> None:
    clock.freeze(T0)
    world = factories.world(engine)
    for _ in range(2):
        with write_session(engine) as s:
            admin.unlock_user(s, world.admin, world.member.user_id)
    with read_session(engine) as s:
        assert (
            len(list(s.exec(select(AuditEvent.id).where(AuditEvent.action == "user.unlock")))) == 2
        )


def test_account_list_searches_filters_and_pages_in_sql(engine: Engine) -> None:
    clock.freeze(T0)
    for _ in range(7):
        factories.actor(engine)
    world = factories.world(engine)
    with write_session(engine) as s:
        accounts.create_user(
            s,
            SYSTEM,
            username="zoe_100",
            password=factories.PASSWORD,
            name="Zoë Müller_%",
            email="zoe@example.org",
        )
    with write_session(engine) as s:
        admin.deactivate_user(s, world.admin, world.observer.user_id)
    with read_session(engine) as s:
        rows, total = admin.list_users(s, world.admin, limit=5)
        assert len(rows) == 5 and total == 13
        second, _ = admin.list_users(s, world.admin, limit=5, offset=5)
        assert not {r.id for r in rows} & {r.id for r in second}
        found, count = admin.list_users(s, world.admin, search="müller_%")
        assert count == 1 and found[0].username == "zoe_100" and found[0].email == "zoe@example.org"
        assert (
            admin.list_users(s, world.admin, search="%")[1] == 1
        )  # a literal percent sign, not a wildcard
        inactive, _ = admin.list_users(s, world.admin, state="inactive")
        assert [r.id for r in inactive] == [world.observer.user_id]
        with pytest.raises(ValidationError):
            admin.list_users(s, world.admin, state="everything")
    for _ in range(5):
        with write_session(engine) as s:
            accounts.sign_in(s, "zoe_100", "wrong wrong wrong")
    with read_session(engine) as s:
        locked, _ = admin.list_users(s, world.admin, state="locked")
        assert [r.username for r in locked] == ["zoe_100"] and locked[0].locked


def test_membership_changes_go_through_the_community_rules_and_apply_on_next_load(
    engine: Engine,
) -> None:
    world = factories.world(engine)
    with read_session(engine) as s:
        row = next(
            m
            for m in communities.members(s, world.admin, world.community.id)
            if m.person_id == world.member.person_id
        )
    with write_session(engine) as s:
        communities.change_role(
            s, world.admin, row.membership_id, row.membership_version, "facilitator"
        )
    with read_session(engine) as s:
        assert accounts.load_actor(s, world.member.user_id).roles == {
            world.community.id: "facilitator"
        }  # type: ignore[union-attr]


def _audit_world(engine: Engine) -> tuple[factories.World, int]:
    clock.freeze(T0)
    world = factories.world(engine)
    other = factories.community(engine)
    clock.freeze(T0 + timedelta(days=2))
    with write_session(engine) as s:
        communities.rename_community(
            s,
            world.facilitator,
            world.community.id,
            world.community.version,
            name="Welcoming Cities",
        )
    with write_session(engine) as s:
        admin.unlock_user(s, world.admin, world.member.user_id)
    return world, other.id  # type: ignore[return-value]


def test_audit_log_filters_by_who_what_when_and_community(engine: Engine) -> None:
    world, other_id = _audit_world(engine)
    with read_session(engine) as s:
        everything, total = admin.audit_log(s, world.admin)
        assert total == len(everything) > 5
        assert everything[0].at >= everything[-1].at  # newest first
        by_who, _ = admin.audit_log(s, world.admin, who=world.facilitator.username)
        assert [e.action for e in by_who] == ["community.rename"]
        by_what, _ = admin.audit_log(s, world.admin, what="user.")
        assert {e.action for e in by_what} == {"user.create", "user.unlock"}
        by_type, _ = admin.audit_log(s, world.admin, what="community")
        assert {e.action for e in by_type} == {"community.create", "community.rename"}
        recent, _ = admin.audit_log(s, world.admin, since=date(2026, 6, 3))
        assert {e.action for e in recent} == {"community.rename", "user.unlock"}
        early, _ = admin.audit_log(s, world.admin, until=date(2026, 6, 1))
        assert "community.rename" not in {e.action for e in early} and early
        in_community, count = admin.audit_log(s, world.admin, community_id=world.community.id)
        assert count == len(in_community) and {e.community_id for e in in_community} == {
            world.community.id
        }
        other_only, _ = admin.audit_log(s, world.admin, community_id=other_id)
        assert [e.action for e in other_only] == ["community.create"]
        with pytest.raises(ValidationError):
            admin.audit_log(s, world.admin, since=date(2026, 6, 3), until=date(2026, 6, 2))


def test_audit_log_pages_in_sql(engine: Engine) -> None:
    world, _ = _audit_world(engine)
    with read_session(engine) as s:
        first, total = admin.audit_log(s, world.admin, limit=3)
        second, _ = admin.audit_log(s, world.admin, limit=3, offset=3)
    assert len(first) == 3 and total > 6
    assert not {e.id for e in first} & {e.id for e in second}


def test_facilitators_read_only_their_own_communitys_audit_log(engine: Engine) -> None:
    world, other_id = _audit_world(engine)
    with read_session(engine) as s:
        events, _ = admin.audit_log(s, world.facilitator, community_id=world.community.id)
        assert {e.community_id for e in events} == {world.community.id}
        for denied in (
            lambda: admin.audit_log(s, world.facilitator),
            lambda: admin.audit_log(s, world.facilitator, community_id=other_id),
            lambda: admin.audit_log(s, world.member, community_id=world.community.id),
            lambda: admin.audit_log(s, world.observer, community_id=world.community.id),
        ):
            with pytest.raises(PermissionDenied):
                denied()


def test_private_communitys_audit_log_does_not_exist_for_outsiders(engine: Engine) -> None:
    world = factories.world(engine, visibility="private")
    with read_session(engine) as s, pytest.raises(NotFound):
        admin.audit_log(s, world.outsider, community_id=world.community.id)


def test_people_picker_finds_by_name_or_email(engine: Engine) -> None:
    world = factories.world(engine)
    with write_session(engine) as s:
        accounts.create_user(
            s,
            SYSTEM,
            username="ines",
            password=factories.PASSWORD,
            name="Inês Álvarez",
            email="ines@example.org",
        )
    with read_session(engine) as s:
        assert [p.username for p in admin.find_people(s, world.admin, "Álvarez")] == ["ines"]
        assert [p.name for p in admin.find_people(s, world.admin, "ines@")] == ["Inês Álvarez"]
        with pytest.raises(PermissionDenied):
            admin.find_people(s, world.facilitator, "ines")
