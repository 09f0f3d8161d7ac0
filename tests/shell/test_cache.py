"""Cached reads are keyed by the service and every argument it gets, never by a hand-built tuple."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cop.core.permissions import Actor, Role
from cop.shell.cache import read_key


def first(session: object, actor: Actor, community_id: int | None = None) -> None: ...


def second(session: object, actor: Actor, community_id: int | None = None) -> None: ...


ACTOR = Actor(user_id=7, username="lena", name="Lena", language="de", roles={1: Role.MEMBER})


def test_every_argument_is_part_of_the_key() -> None:
    base = read_key(first, (ACTOR, 1), {})
    assert read_key(first, (ACTOR, 1), {}) == base
    assert read_key(first, (ACTOR, 2), {}) != base
    assert read_key(first, (ACTOR,), {"community_id": 1}) != base  # passed by name: another call
    assert read_key(second, (ACTOR, 1), {}) != base


def test_the_actor_is_compared_by_its_fields_language_and_roles_included() -> None:
    base = read_key(first, (ACTOR,), {})
    assert read_key(first, (replace(ACTOR, roles={1: Role.MEMBER}),), {}) == base
    assert read_key(first, (replace(ACTOR, language="en"),), {}) != base
    assert read_key(first, (replace(ACTOR, roles={1: Role.FACILITATOR}),), {}) != base
    assert read_key(first, (replace(ACTOR, user_id=8),), {}) != base


def test_filters_given_as_dicts_and_lists_are_compared_by_content() -> None:
    assert read_key(first, (ACTOR, {"b": [1, 2], "a": None}), {}) == read_key(
        first, (ACTOR, {"a": None, "b": [1, 2]}), {}
    )
    assert read_key(first, (ACTOR, {"b": [1, 2]}), {}) != read_key(
        first, (ACTOR, {"b": [2, 1]}), {}
    )


def test_what_else_the_result_depends_on_is_part_of_the_key() -> None:
    assert read_key(first, (ACTOR,), {}, ("2027-01-31",)) != read_key(
        first, (ACTOR,), {}, ("2027-02-01",)
    )


def test_an_argument_that_cannot_be_compared_is_refused() -> None:
    with pytest.raises(TypeError):
        read_key(first, (ACTOR, object.__new__(type("Unhashable", (), {"__hash__": None}))), {})
