"""Organisations (cities, networks, NGOs, volunteer centres) and the people of the workspace."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from cop.communities.models import Community, Organisation, OrganisationKind, Person
from cop.core import records
from cop.core.errors import PermissionDenied
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize, is_allowed
from cop.core.validation import Checker, record_id

KINDS = [k.value for k in OrganisationKind]


def _may_in_any_community(actor: Actor, operation: str, session: Session) -> Community | None:
    """Organisations and people are shared by communities: a facilitator of any community may add them."""
    if actor.is_admin:
        return None
    for community_id in actor.roles:
        community = session.get(Community, community_id)
        if community is not None and is_allowed(actor, operation, community):
            return community
    raise PermissionDenied(N_("You may not do this."))


def _check_organisation(
    chk: Checker, name: str, kind: str, country: str, latitude, longitude
) -> dict:  # noqa: ANN001
    values = {
        "name": chk.title("name", name, label=N_("The name")),
        "kind": chk.choice("kind", kind, KINDS, label=N_("The kind")),
        "country": (country or "").strip().upper(),
        "latitude": latitude,
        "longitude": longitude,
    }
    if values["country"] and (
        len(values["country"]) != 2
        or not values["country"].isascii()
        or not values["country"].isalpha()
    ):
        chk.fail("country", N_("Use the two-letter country code, such as DE or IT."))
    for field, value, limit, label in (
        ("latitude", latitude, 90, N_("The latitude")),
        ("longitude", longitude, 180, N_("The longitude")),
    ):
        if value is None or value == "":
            values[field] = None
            continue
        try:
            if isinstance(value, bool):  # True is not a coordinate
                raise TypeError(value)
            number = float(value)
        except (TypeError, ValueError):
            chk.fail(field, Message(N_("{label} must be a number."), label=label))
            continue
        if not -limit <= number <= limit:  # also refuses NaN
            chk.fail(
                field,
                Message(
                    N_("{label} must be between -{limit} and {limit}."), label=label, limit=limit
                ),
            )
        values[field] = number
    return values


def create_organisation(
    session: Session,
    actor: Actor,
    *,
    name: str,
    kind: str = OrganisationKind.CITY,
    country: str = "",
    latitude=None,
    longitude=None,
) -> Organisation:  # noqa: ANN001
    _may_in_any_community(actor, "organisation.create", session)
    chk = Checker()
    values = _check_organisation(chk, name, kind, country, latitude, longitude)
    chk.raise_if_any()
    return records.create(session, actor, Organisation(**values), action="organisation.create")


def update_organisation(
    session: Session, actor: Actor, organisation_id: int, version: int, **fields
) -> Organisation:  # noqa: ANN003
    organisation = records.get_live(
        session, Organisation, organisation_id, for_update=True, label=N_("organisation")
    )
    _may_in_any_community(actor, "organisation.update", session)
    chk = Checker()
    current = organisation.model_dump()
    values = _check_organisation(
        chk,
        fields.get("name", current["name"]),
        fields.get("kind", current["kind"]),
        fields.get("country", current["country"]),
        fields.get("latitude", current["latitude"]),
        fields.get("longitude", current["longitude"]),
    )
    chk.raise_if_any()
    records.save(session, actor, organisation, version, values, action="organisation.update")
    return organisation


def organisations(session: Session, kind: str | None = None) -> list[Organisation]:
    stmt = select(Organisation).where(col(Organisation.deleted_at).is_(None))
    if kind:
        stmt = stmt.where(Organisation.kind == kind)
    return list(session.exec(stmt.order_by(Organisation.name)))


def check_organisation_id(
    session: Session, chk: Checker, value: Any, field: str = "organisation"
) -> int | None:
    """A person's organisation: none, or one that exists (a bad id is a field message, not a crash)."""
    if value is None or value == "":
        return None
    organisation = (
        session.get(Organisation, number) if (number := record_id(value)) is not None else None
    )
    if organisation is None or organisation.deleted_at is not None:
        chk.fail(field, N_("Choose an organisation that exists."))
        return None
    return organisation.id


def create_person(
    session: Session,
    actor: Actor,
    *,
    name: str,
    email: str = "",
    organisation_id: int | None = None,
) -> Person:
    """A person without an account: a volunteer, a guest expert, city staff."""
    _may_in_any_community(actor, "person.create", session)
    chk = Checker()
    name = chk.title("name", name, label=N_("The name"))
    email = chk.email("email", email)
    organisation_id = check_organisation_id(session, chk, organisation_id)
    chk.raise_if_any()
    return records.create(
        session,
        actor,
        Person(name=name, email=email, organisation_id=organisation_id),
        action="person.create",
    )


def update_person(
    session: Session,
    actor: Actor,
    person_id: int,
    version: int,
    *,
    name: str,
    email: str = "",
    organisation_id: int | None = None,
) -> Person:
    person = records.get_live(session, Person, person_id, for_update=True, label=N_("person"))
    if not (actor.person_id == person.id):
        _may_in_any_community(actor, "person.update", session)
    chk = Checker()
    changes = {
        "name": chk.title("name", name, label=N_("The name")),
        "email": chk.email("email", email),
        "organisation_id": check_organisation_id(session, chk, organisation_id),
    }
    chk.raise_if_any()
    records.save(session, actor, person, version, changes, action="person.update")
    return person


def delete_person(session: Session, actor: Actor, person_id: int) -> None:
    person = records.get_live(session, Person, person_id, for_update=True, label=N_("person"))
    authorize(actor, "person.delete")
    records.soft_delete(session, actor, person, action="person.delete")


def restore_person(session: Session, actor: Actor, person_id: int) -> Person:
    authorize(actor, "person.delete")
    person = records.get_deleted(session, Person, person_id)
    return records.restore(session, actor, person, action="person.restore")
