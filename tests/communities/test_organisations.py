"""Organisations (a city is an organisation of kind city): created and edited by facilitators and admins,
checked field by field, unique by name, audited; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.communities import people
from cop.communities.models import Organisation
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.errors import ConflictError, PermissionDenied, ValidationError
from tests import factories
from tests.factories import World


@pytest.fixture
def w(engine: Engine) -> World:
    return factories.world(engine)


def _create(engine: Engine, actor, **fields):  # noqa: ANN001
    values = {"name": "Città di Bologna", "kind": "city", "country": "it"}
    values.update(fields)
    with write_session(engine) as s:
        return people.create_organisation(s, actor, **values)


def _refusal(engine: Engine, actor, **fields) -> dict[str, str]:  # noqa: ANN001
    with pytest.raises(ValidationError) as err:
        _create(engine, actor, **fields)
    return {k: str(v) for k, v in err.value.fields.items()}


def test_a_facilitator_adds_a_city_with_country_and_coordinates_and_it_is_audited(
    engine: Engine, w: World
) -> None:
    made = _create(engine, w.facilitator, latitude="44.4949", longitude=11.3426)
    with read_session(engine) as s:
        stored = s.get(Organisation, made.id)
        events = s.exec(
            select(AuditEvent).where(
                AuditEvent.record_type == "organisation", AuditEvent.record_id == made.id
            )
        ).all()
        listed = people.organisation_list(s, w.observer)
        assert [r.id for r in people.organisation_list(s, w.observer, " DI BOL")] == [made.id]
        assert people.organisation_list(s, w.observer, "50%_") == []
    assert (stored.name, stored.kind, stored.country) == ("Città di Bologna", "city", "IT")
    assert (stored.latitude, stored.longitude) == (44.4949, 11.3426)
    assert [e.action for e in events] == ["organisation.create"]
    row = next(r for r in listed if r.id == made.id)
    assert (row.name, row.kind, row.country, row.latitude, row.longitude) == (
        "Città di Bologna",
        "city",
        "IT",
        44.4949,
        11.3426,
    )


def test_members_and_observers_may_not_add_or_edit_organisations_but_admins_may(
    engine: Engine, w: World
) -> None:
    for actor in (w.member, w.observer, w.outsider):
        with pytest.raises(PermissionDenied):
            _create(engine, actor)
        with read_session(engine) as s:
            assert not people.may_manage_organisations(s, actor)
    made = _create(engine, w.admin, name="Göteborgs Stad", country="SE")
    with pytest.raises(PermissionDenied):
        with write_session(engine) as s:
            people.update_organisation(s, w.member, made.id, made.version, name="Renamed")
    with read_session(engine) as s:
        assert people.may_manage_organisations(s, w.facilitator)
        assert people.may_manage_organisations(s, w.admin)


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"latitude": 91}, "latitude", "between -90 and 90"),
        ({"longitude": "-180.5"}, "longitude", "between -180 and 180"),
        ({"latitude": "north"}, "latitude", "must be a number"),
        ({"latitude": "nan"}, "latitude", "between -90 and 90"),
        ({"country": "XX"}, "country", "XX is not a country code"),
        ({"country": "Deutschland"}, "country", "two-letter country code"),
        ({"name": "   "}, "name", "name"),
        ({"kind": "castle"}, "kind", "kind"),
    ],
)
def test_bad_input_gets_a_message_under_its_field_and_nothing_is_stored(
    engine: Engine, w: World, fields: dict, field: str, says: str
) -> None:
    messages = _refusal(engine, w.facilitator, **fields)
    assert list(messages) == [field] and says in messages[field], messages
    with read_session(engine) as s:
        assert people.organisation_list(s, w.facilitator) == []


def test_a_name_is_unique_whatever_its_case_and_spaces_and_a_removed_one_frees_it(
    engine: Engine, w: World
) -> None:
    first = _create(engine, w.facilitator, name="Città di Bologna")
    messages = _refusal(engine, w.facilitator, name="  città DI bologna ")
    assert "already" in messages["name"]
    other = _create(engine, w.facilitator, name="Comune di Modena")
    with pytest.raises(ValidationError) as err:
        with write_session(engine) as s:
            people.update_organisation(
                s, w.facilitator, other.id, other.version, name="CITTÀ DI BOLOGNA"
            )
    assert "already" in str(err.value.fields["name"])
    with write_session(engine) as s:  # keeping its own name is no clash
        people.update_organisation(
            s, w.facilitator, first.id, first.version, name="Città di Bologna", country="IT"
        )


def test_an_edit_changes_every_field_and_a_stale_edit_is_refused(engine: Engine, w: World) -> None:
    made = _create(engine, w.facilitator)
    with write_session(engine) as s:
        people.update_organisation(
            s,
            w.facilitator,
            made.id,
            made.version,
            name="Bologna Volunteer Centre",
            kind="volunteer_centre",
            country="IT",
            latitude=44.5,
            longitude="11.35",
        )
    with pytest.raises(ConflictError):
        with write_session(engine) as s:
            people.update_organisation(s, w.admin, made.id, made.version, name="Late edit")
    with read_session(engine) as s:
        stored = s.get(Organisation, made.id)
        actions = [
            e.action
            for e in s.exec(
                select(AuditEvent)
                .where(AuditEvent.record_type == "organisation", AuditEvent.record_id == made.id)
                .order_by(AuditEvent.id)  # PostgreSQL returns rows in no set order without it
            )
        ]
    assert (stored.name, stored.kind, stored.latitude, stored.longitude) == (
        "Bologna Volunteer Centre",
        "volunteer_centre",
        44.5,
        11.35,
    )
    assert actions == ["organisation.create", "organisation.update"]


def test_an_over_long_search_is_refused_with_a_message_not_run(engine: Engine, w: World) -> None:
    """Issue 18.2 on the organisations page added since: a pasted page of text is not a query."""
    with read_session() as session:
        with pytest.raises(ValidationError) as refused:
            people.organisation_list(session, w.member, "x" * 1_000_000)
    assert "at most 200" in str(refused.value.fields["text"])
    with read_session() as session:
        assert people.organisation_list(session, w.member, "x" * 200) == []
