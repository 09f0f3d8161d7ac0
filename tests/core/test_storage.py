"""The data layer on both databases: constraints, optimistic locking, soft delete, audit, time, data_version."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from cop.communities import people
from cop.communities import service as communities
from cop.communities.models import Community, Organisation, Person
from cop.core import clock, records
from cop.core.audit import AuditEvent
from cop.core.db import current_data_version, read_session, write_session
from cop.core.errors import ConflictError, NotFound, ValidationError
from cop.core.permissions import SYSTEM
from cop.core.schema import alembic_config
from tests import factories

_slugs = itertools.count(1)


def new_community(
    engine: Engine, name: str = "Welcoming culture", description: str = ""
) -> Community:
    with write_session(engine) as s:
        return communities.create_community(
            s, SYSTEM, name=name, slug=f"storage-{next(_slugs)}", description=description
        )


def count(engine: Engine, model: type) -> int:
    with read_session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def events(engine: Engine, record_type: str, record_id: int) -> list[AuditEvent]:
    with read_session(engine) as s:
        return list(
            s.exec(
                select(AuditEvent)
                .where(AuditEvent.record_type == record_type, AuditEvent.record_id == record_id)
                .order_by(col(AuditEvent.id))
            )
        )


# --- constraints -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message_part"),
    [("", "must not be empty"), ("   \t ", "must not be empty"), ("x" * 201, "at most 200")],
    ids=["empty", "whitespace", "201-chars"],
)
def test_community_name_out_of_bounds_is_refused_naming_the_field(
    engine: Engine, name: str, message_part: str
) -> None:
    before = count(engine, Community)
    with pytest.raises(ValidationError) as caught, write_session(engine) as s:
        communities.create_community(s, SYSTEM, name=name, slug="fine-slug")
    assert list(caught.value.fields) == ["name"]
    assert message_part in caught.value.fields["name"]
    assert count(engine, Community) == before


def test_community_name_of_200_characters_after_trimming_is_accepted(engine: Engine) -> None:
    name = "é" * 200
    community = new_community(engine, name=f"  {name}  ")
    assert community.name == name


@pytest.mark.parametrize("slug", ["Has Spaces", "ümlaut", "-leading", "trailing-", "x" * 65, ""])
def test_bad_slug_is_refused_naming_the_slug(engine: Engine, slug: str) -> None:
    with pytest.raises(ValidationError) as caught, write_session(engine) as s:
        communities.create_community(s, SYSTEM, name="Fine name", slug=slug)
    assert set(caught.value.fields) == {"slug"}


def test_duplicate_slug_is_refused_and_the_first_community_stays(engine: Engine) -> None:
    with write_session(engine) as s:
        communities.create_community(s, SYSTEM, name="First", slug="same-slug")
    with pytest.raises(ValidationError) as caught, write_session(engine) as s:
        communities.create_community(s, SYSTEM, name="Second", slug="same-slug")
    assert "taken" in caught.value.fields["slug"]
    with read_session(engine) as s:
        names = s.exec(select(Community.name).where(Community.slug == "same-slug")).all()
    assert names == ["First"]


@pytest.mark.parametrize("latitude", [math.nan, float("inf"), 90.5, "north"])
def test_impossible_latitude_is_refused_naming_the_latitude(
    engine: Engine, latitude: object
) -> None:
    before = count(engine, Organisation)
    with pytest.raises(ValidationError) as caught, write_session(engine) as s:
        people.create_organisation(s, SYSTEM, name="Stadt Köln", latitude=latitude, longitude=6.96)
    assert set(caught.value.fields) == {"latitude"}
    assert count(engine, Organisation) == before


def test_every_bad_field_is_reported_at_once(engine: Engine) -> None:
    with pytest.raises(ValidationError) as caught, write_session(engine) as s:
        communities.create_community(s, SYSTEM, name=" ", slug="Bad Slug", visibility="secret")
    assert set(caught.value.fields) == {"name", "slug", "visibility"}


# --- optimistic locking ----------------------------------------------------------------------


def test_stale_save_raises_conflict_showing_the_other_change_and_loses_neither(
    engine: Engine,
) -> None:
    world = factories.world(engine)
    community_id = world.community.id
    with read_session(engine) as s:
        started_from = communities.get_community(s, world.facilitator, community_id).version

    with write_session(engine) as s:  # the admin saves first
        communities.rename_community(
            s, world.admin, community_id, started_from, name="Accueil – Lyon 🌍"
        )

    with (
        pytest.raises(ConflictError) as caught,
        write_session(engine) as s,
    ):  # the facilitator, stale
        communities.rename_community(
            s,
            world.facilitator,
            community_id,
            started_from,
            name="Welcoming Lyon",
            theme="Welcoming culture",
        )
    conflict = caught.value
    assert conflict.changed["name"]["was"] == world.community.name
    assert conflict.changed["name"]["now"] == "Accueil – Lyon 🌍"
    assert conflict.changed["name"]["by"] == world.admin.username
    assert conflict.current["version"] == started_from + 1
    with read_session(engine) as s:
        assert s.get(Community, community_id).name == "Accueil – Lyon 🌍"  # the first save stays

    # The facilitator's input was not lost: saved again from the current version, both are in the trail.
    with write_session(engine) as s:
        communities.rename_community(
            s,
            world.facilitator,
            community_id,
            conflict.current["version"],
            name="Welcoming Lyon",
            theme="Welcoming culture",
        )
    renames = [
        e for e in events(engine, "community", community_id) if e.action == "community.rename"
    ]
    assert [e.changes["name"][1] for e in renames] == ["Accueil – Lyon 🌍", "Welcoming Lyon"]
    with read_session(engine) as s:
        stored = s.get(Community, community_id)
    assert (stored.name, stored.theme, stored.version) == (
        "Welcoming Lyon",
        "Welcoming culture",
        started_from + 2,
    )


# --- soft delete -----------------------------------------------------------------------------


def test_soft_deleted_person_is_hidden_and_restore_brings_them_back(engine: Engine) -> None:
    with write_session(engine) as s:
        person_id = people.create_person(s, SYSTEM, name="Ayşe Öztürk").id
    with write_session(engine) as s:
        people.delete_person(s, SYSTEM, person_id)
    with read_session(engine) as s:
        with pytest.raises(NotFound):
            records.get_live(s, Person, person_id)
        assert s.get(Person, person_id) is not None  # hidden, not gone
    with write_session(engine) as s:
        people.restore_person(s, SYSTEM, person_id)
    with read_session(engine) as s:
        person = records.get_live(s, Person, person_id)
    assert (person.name, person.deleted_at) == ("Ayşe Öztürk", None)
    actions = [e.action for e in events(engine, "person", person_id)]
    assert actions == ["person.create", "person.delete", "person.restore"]


def test_restoring_a_live_person_is_not_found(engine: Engine) -> None:
    with write_session(engine) as s:
        person_id = people.create_person(s, SYSTEM, name="Jiří Dvořák").id
    with pytest.raises(NotFound), write_session(engine) as s:
        people.restore_person(s, SYSTEM, person_id)


# --- audit -----------------------------------------------------------------------------------


def test_an_edit_is_audited_with_exactly_the_changed_fields(engine: Engine) -> None:
    community = new_community(engine, name="Neighbourhood cooperation")
    with write_session(engine) as s:
        communities.rename_community(
            s,
            SYSTEM,
            community.id,
            community.version,
            name="Coopération de quartier",
            theme="",
            description="",
        )
    last = events(engine, "community", community.id)[-1]
    assert last.action == "community.rename"
    assert last.changes == {
        "name": ["Neighbourhood cooperation", "Coopération de quartier"],
        "version": [1, 2],
    }
    assert last.actor_name == SYSTEM.username
    assert last.community_id == community.id


def test_creating_a_record_is_audited_with_its_fields(engine: Engine) -> None:
    with write_session(engine) as s:
        organisation = people.create_organisation(
            s, SYSTEM, name="Gemeente Utrecht", country="nl", latitude=52.09, longitude=5.12
        )
    created = events(engine, "organisation", organisation.id)
    assert len(created) == 1
    assert created[0].changes["name"] == [None, "Gemeente Utrecht"]
    assert created[0].changes["country"] == [None, "NL"]
    assert created[0].changes["latitude"] == [None, 52.09]


def test_a_save_that_changes_nothing_writes_no_audit_event(engine: Engine) -> None:
    community = new_community(engine, name="Language cafés ☕")
    before = len(events(engine, "community", community.id))
    with write_session(engine) as s:
        communities.rename_community(
            s, SYSTEM, community.id, community.version, name="Language cafés ☕"
        )
    assert len(events(engine, "community", community.id)) == before


def test_a_refused_write_leaves_no_audit_event(engine: Engine) -> None:
    before = count(engine, AuditEvent)
    with pytest.raises(ValidationError), write_session(engine) as s:
        people.create_person(s, SYSTEM, name="")
    assert count(engine, AuditEvent) == before


# --- time ------------------------------------------------------------------------------------


def test_datetimes_come_back_utc_aware_as_the_same_instant(engine: Engine) -> None:
    cest = timezone(timedelta(hours=2))
    moment = datetime(2026, 6, 30, 23, 30, 15, 123456, tzinfo=cest)
    clock.freeze(moment)
    community = new_community(engine)
    clock.freeze(None)
    with read_session(engine) as s:
        stored = s.get(Community, community.id)
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset() == timedelta(0)
    assert stored.created_at == moment
    assert stored.created_at.hour == 21


def test_a_naive_datetime_is_refused_rather_than_guessed(engine: Engine) -> None:
    with pytest.raises(Exception, match="naive"), write_session(engine) as s:
        s.add(Person(name="Noël", created_at=datetime(2026, 1, 1), updated_at=datetime.now(UTC)))


# --- data_version ----------------------------------------------------------------------------


def test_data_version_moves_with_every_write_and_not_with_reads(engine: Engine) -> None:
    start = current_data_version(engine)
    community = new_community(engine)
    after_create = current_data_version(engine)
    assert after_create == start + 1
    with read_session(engine) as s:
        communities.visible_communities(s, SYSTEM)
        communities.get_community(s, SYSTEM, community.id)
    assert current_data_version(engine) == after_create
    with write_session(engine) as s:
        communities.rename_community(s, SYSTEM, community.id, community.version, name="Renamed")
    assert current_data_version(engine) == after_create + 1


def test_data_version_does_not_move_when_a_write_is_refused(engine: Engine) -> None:
    start = current_data_version(engine)
    with pytest.raises(ValidationError), write_session(engine) as s:
        communities.create_community(s, SYSTEM, name="", slug="x")
    assert current_data_version(engine) == start


# --- Unicode ---------------------------------------------------------------------------------

_C0 = [chr(c) for c in range(0x20)] + ["\x7f"]
# Titles: any Unicode but surrogates and the control characters titles forbid, no surrounding space.
titles = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=_C0),
    min_size=1,
    max_size=200,
).filter(lambda t: t == t.strip() and t != "")
# Long text: anything but surrogates and NUL (which PostgreSQL cannot hold).
long_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=["\x00"]),
    max_size=2_000,
)
SAMPLES = [
    "مجتمع الممارسة ‏(RTL)‏",
    "👩🏽‍🤝‍👩🏻 Welcome",
    "Z̤͔ͧ̑̓ä͖̭̈̇lgo",
    "a\u200bb",
    "Ԁ𝐚yрal",
    "{{7*7}} <script>",
]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.one_of(titles, st.sampled_from(SAMPLES)), description=long_texts)
def test_any_unicode_name_and_description_round_trip_verbatim(
    engine: Engine, name: str, description: str
) -> None:
    community = new_community(engine, name=name, description=description)
    with read_session(engine) as s:
        stored = s.get(Community, community.id)
    assert stored.name == name
    assert stored.description == description


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.one_of(titles, st.sampled_from(SAMPLES)))
def test_any_unicode_person_name_round_trips_verbatim(engine: Engine, name: str) -> None:
    with write_session(engine) as s:
        person_id = people.create_person(s, SYSTEM, name=name).id
    with read_session(engine) as s:
        assert s.get(Person, person_id).name == name


# --- schema ----------------------------------------------------------------------------------


def test_models_and_migrations_agree(db_url: str) -> None:
    """``alembic check``: every model change has its migration (on this database)."""
    command.check(alembic_config(db_url))
