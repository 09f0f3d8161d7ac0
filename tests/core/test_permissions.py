"""Who may do what: deny by default, concrete rows for the core, structural rules for every operation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from cop.communities import service as communities
from cop.communities.models import Community
from cop.core.db import read_session, write_session
from cop.core.errors import NotFound, PermissionDenied
from cop.core.permissions import (
    PERMISSIONS,
    SELF_SERVICE,
    SYSTEM,
    Actor,
    Role,
    Visibility,
    authorize,
    is_allowed,
)
from tests import factories

HERE = Community(id=1, slug="here", name="Here", visibility=Visibility.WORKSPACE)
HERE_PRIVATE = Community(
    id=2, slug="here-private", name="Here (private)", visibility=Visibility.PRIVATE
)
ELSEWHERE = Community(id=3, slug="elsewhere", name="Elsewhere", visibility=Visibility.WORKSPACE)
ELSEWHERE_PRIVATE = Community(
    id=4, slug="elsewhere-private", name="Elsewhere (private)", visibility=Visibility.PRIVATE
)
COMMUNITIES = [HERE, HERE_PRIVATE, ELSEWHERE, ELSEWHERE_PRIVATE]
OPERATIONS = sorted(PERMISSIONS)
READING_VERBS = ("read", "list", "export", "view", "search", "download")


def holder(role: Role | None, *, admin: bool = False) -> Actor:
    """An actor with ``role`` in HERE and HERE_PRIVATE and no role in the other two."""
    roles = {HERE.id: role, HERE_PRIVATE.id: role} if role is not None else {}
    return Actor(user_id=7, username="someone", name="Someone", is_admin=admin, roles=roles)  # type: ignore[arg-type]


def reading(operation: str) -> bool:
    return operation.rsplit(".", 1)[-1].startswith(READING_VERBS)


ADMIN = holder(None, admin=True)
FACILITATOR, MEMBER, OBSERVER, OUTSIDER = (
    holder(Role.FACILITATOR),
    holder(Role.MEMBER),
    holder(Role.OBSERVER),
    holder(None),
)


# --- deny by default -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "actor", [SYSTEM, ADMIN, FACILITATOR], ids=["system", "admin", "facilitator"]
)
@pytest.mark.parametrize(
    "operation", ["", "community.destroy", "COMMUNITY.READ", "community.read "]
)
def test_unknown_operation_is_denied_even_to_admins(actor: Actor, operation: str) -> None:
    assert not is_allowed(actor, operation, HERE)
    with pytest.raises(PermissionDenied):
        authorize(actor, operation, HERE)


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize(
    "actor",
    [FACILITATOR, MEMBER, OBSERVER, OUTSIDER],
    ids=["facilitator", "member", "observer", "outsider"],
)
def test_operations_without_a_community_are_admin_only(operation: str, actor: Actor) -> None:
    assert not is_allowed(actor, operation, None)
    assert is_allowed(ADMIN, operation, None)


@pytest.mark.parametrize("operation", sorted(SELF_SERVICE))
@pytest.mark.parametrize(
    "actor",
    [ADMIN, FACILITATOR, OBSERVER, OUTSIDER],
    ids=["admin", "facilitator", "observer", "outsider"],
)
def test_self_service_operations_are_open_to_every_signed_in_user(
    operation: str, actor: Actor
) -> None:
    assert is_allowed(actor, operation, None)


# --- concrete rows for the core operations ---------------------------------------------------

CORE_ROWS = [
    # operation, community, facilitator, member, observer, outsider
    ("community.read", HERE, True, True, True, True),
    ("community.read", HERE_PRIVATE, True, True, True, False),
    ("community.read", ELSEWHERE_PRIVATE, False, False, False, False),
    ("community.rename", HERE, True, False, False, False),
    ("community.rename", ELSEWHERE, False, False, False, False),
    ("community.create", HERE, False, False, False, False),
    ("community.archive", HERE, False, False, False, False),
    ("community.set_visibility", HERE_PRIVATE, False, False, False, False),
    ("membership.add", HERE, True, False, False, False),
    ("membership.add", ELSEWHERE, False, False, False, False),
    ("membership.change_role", HERE_PRIVATE, True, False, False, False),
    ("membership.remove", HERE, True, False, False, False),
    ("organisation.create", HERE, True, False, False, False),
    ("person.update", HERE, True, False, False, False),
    ("person.delete", HERE, False, False, False, False),
    ("user.create", HERE, False, False, False, False),
    ("audit.read", HERE, True, False, False, False),
    ("backup.create", HERE, False, False, False, False),
    ("backup.restore", HERE, False, False, False, False),
    ("seed.run", HERE, False, False, False, False),
]


@pytest.mark.parametrize(
    ("operation", "community", "facilitator", "member", "observer", "outsider"), CORE_ROWS
)
def test_core_operation_rows(
    operation: str,
    community: Community,
    facilitator: bool,
    member: bool,
    observer: bool,
    outsider: bool,
) -> None:
    got = [is_allowed(a, operation, community) for a in (FACILITATOR, MEMBER, OBSERVER, OUTSIDER)]
    assert got == [facilitator, member, observer, outsider]
    assert is_allowed(ADMIN, operation, community)


# --- structural rules over every operation x role x inside/outside x visibility --------------


@pytest.mark.parametrize("community", COMMUNITIES, ids=lambda c: c.slug)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_admin_may_do_every_operation_everywhere(operation: str, community: Community) -> None:
    assert is_allowed(ADMIN, operation, community)
    authorize(ADMIN, operation, community)


OUTSIDE = [
    pytest.param(actor, community, id=f"{name}-in-{community.slug}")
    for name, actor in [
        ("facilitator", FACILITATOR),
        ("member", MEMBER),
        ("observer", OBSERVER),
        ("outsider", OUTSIDER),
    ]
    for community in COMMUNITIES
    if community.id not in actor.roles
]


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize(("actor", "community"), OUTSIDE)
def test_outside_their_communities_nobody_may_do_anything_but_read(
    operation: str, actor: Actor, community: Community
) -> None:
    if not reading(operation):
        assert not is_allowed(actor, operation, community)
        with pytest.raises(PermissionDenied):
            authorize(actor, operation, community)
    if community.visibility == Visibility.PRIVATE:
        assert not is_allowed(actor, operation, community), (
            "a private community does not exist for outsiders"
        )


@pytest.mark.parametrize("community", [HERE, HERE_PRIVATE], ids=lambda c: c.slug)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_observer_may_not_write_anything(operation: str, community: Community) -> None:
    if not reading(operation):
        assert not is_allowed(OBSERVER, operation, community)


@pytest.mark.parametrize("community", [HERE, HERE_PRIVATE], ids=lambda c: c.slug)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_facilitator_may_do_whatever_a_member_may_and_a_member_whatever_an_observer_may(
    operation: str, community: Community
) -> None:
    facilitator, member, observer = (
        is_allowed(a, operation, community) for a in (FACILITATOR, MEMBER, OBSERVER)
    )
    assert facilitator >= member >= observer


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_operation_is_written_area_dot_verb_with_known_roles(operation: str) -> None:
    assert re.fullmatch(r"[a-z_]+\.[a-z_]+", operation)
    assert PERMISSIONS[operation] <= {Role.FACILITATOR, Role.MEMBER, Role.OBSERVER}


def test_every_operation_a_service_checks_is_in_the_table() -> None:
    """An operation missing from the table would be denied to everyone but never noticed."""
    source = Path(__file__).resolve().parents[2] / "cop"
    pattern = re.compile(
        r"""(?:authorize|is_allowed|_may_in_any_community)\(\s*[\w.]+\s*,\s*["']([^"']+)["']"""
    )
    used = {
        m
        for path in source.rglob("*.py")
        for m in pattern.findall(path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no authorize() calls: the pattern is out of date"
    assert used - set(PERMISSIONS) - SELF_SERVICE == set()


# --- the same rules on real actors loaded from each database ---------------------------------


def test_roles_loaded_from_the_database_decide_like_the_table(engine: Engine) -> None:
    world = factories.world(engine)
    other = factories.community(engine)
    assert is_allowed(world.facilitator, "membership.add", world.community)
    assert not is_allowed(world.facilitator, "membership.add", other)
    assert not is_allowed(world.member, "membership.add", world.community)
    assert not is_allowed(world.observer, "community.rename", world.community)
    assert is_allowed(world.admin, "community.archive", other)
    with pytest.raises(PermissionDenied), write_session(engine) as s:
        communities.rename_community(
            s, world.member, world.community.id, world.community.version, name="Taken over"
        )


def test_a_private_community_does_not_exist_for_outsiders(engine: Engine) -> None:
    world = factories.world(engine, visibility=Visibility.PRIVATE)
    with read_session(engine) as s:
        assert (
            communities.get_community(s, world.observer, world.community.id).id
            == world.community.id
        )
        with pytest.raises(NotFound):
            communities.get_community(s, world.outsider, world.community.id)
        with pytest.raises(NotFound):
            communities.get_by_slug(s, world.outsider, world.community.slug)
        assert world.community.id not in {
            c.id for c in communities.visible_communities(s, world.outsider)
        }
        assert world.community.id in {c.id for c in communities.visible_communities(s, world.admin)}


def test_visible_community_ids_are_the_visible_communities(engine: Engine) -> None:
    world = factories.world(engine, visibility=Visibility.PRIVATE)
    open_one = factories.community(engine)
    archived = factories.community(engine)
    with write_session(engine) as s:
        communities.archive_community(s, SYSTEM, archived.id, archived.version)
    with read_session(engine) as s:
        for actor in (world.admin, world.member, world.observer, world.outsider):
            for include_archived in (False, True):
                expected = sorted(
                    c.id  # type: ignore[misc]
                    for c in communities.visible_communities(
                        s, actor, include_archived=include_archived
                    )
                )
                assert (
                    communities.visible_community_ids(s, actor, include_archived=include_archived)
                    == expected
                )
        member_sees = communities.visible_community_ids(s, world.member, include_archived=True)
        outsider_sees = communities.visible_community_ids(s, world.outsider, include_archived=True)
        outsider_everyday = communities.visible_community_ids(s, world.outsider)
    assert world.community.id in member_sees and world.community.id not in outsider_sees
    assert open_one.id in outsider_sees and archived.id in outsider_sees
    assert archived.id not in outsider_everyday
