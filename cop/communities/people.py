"""Organisations (cities, networks, NGOs, volunteer centres) and the people of the workspace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from babel import Locale
from sqlmodel import Session, col, func, select

from cop.communities.models import Community, Organisation, OrganisationKind, Person
from cop.core import records
from cop.core.errors import PermissionDenied
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize, is_allowed
from cop.core.validation import Checker, record_id

KINDS = [k.value for k in OrganisationKind]
KIND_LABELS = {
    OrganisationKind.CITY.value: N_("City"),
    OrganisationKind.NETWORK.value: N_("Network"),
    OrganisationKind.NGO.value: N_("NGO"),
    OrganisationKind.VOLUNTEER_CENTRE.value: N_("Volunteer centre"),
    OrganisationKind.OTHER.value: N_("Other"),
}


def _may_in_any_community(actor: Actor, operation: str, session: Session) -> Community | None:
    """Organisations and people are shared by communities: a facilitator of any community may add them."""
    if actor.is_admin:
        return None
    for community_id in actor.roles:
        community = session.get(Community, community_id)
        if community is not None and is_allowed(actor, operation, community):
            return community
    raise PermissionDenied(N_("You may not do this."))


# ISO 3166-1 alpha-2 codes as Babel's locale data knows them, without the regions it also
# lists under two letters (unknown, Eurozone, European Union, United Nations, pseudo-regions).
COUNTRY_CODES = frozenset(
    code
    for code in Locale("en").territories
    if isinstance(code, str)
    and len(code) == 2
    and code.isalpha()
    and code not in {"ZZ", "EU", "EZ", "QO", "UN", "XA", "XB"}
)


def country_problem(code: str) -> str | None:
    """Why ``code`` (upper-case, trimmed) is not a country code, or None when it is one or empty."""
    if not code:
        return None
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return N_("Use the two-letter country code, such as DE or IT.")
    if code not in COUNTRY_CODES:
        return Message(
            N_("{code} is not a country code: use the two letters, such as DE or IT."), code=code
        )
    return None


def _same_name(session: Session, name: str, own_id: int | None) -> bool:
    """Whether another live organisation has this name, whatever its case and outer spaces.

    Compared in Python (SQLite's lower() folds only ASCII, PostgreSQL's every letter), among
    the names of the same length, so "Città" and "CITTÀ" clash on both databases.
    """
    wanted = name.strip().lower()
    candidates = session.exec(
        select(Organisation.id, Organisation.name).where(
            col(Organisation.deleted_at).is_(None),
            func.length(func.trim(Organisation.name)) == len(wanted),
        )
    )
    return any(other.strip().lower() == wanted and oid != own_id for oid, other in candidates)


def _check_organisation(
    session: Session,
    chk: Checker,
    name: str,
    kind: str,
    country: str,
    latitude: Any,
    longitude: Any,
    own_id: int | None = None,
) -> dict[str, Any]:
    values = {
        "name": chk.title("name", name, label=N_("The name")),
        "kind": chk.choice("kind", kind, KINDS, label=N_("The kind")),
        "country": (chk.text("country", country, label=N_("The country")) or "").strip().upper(),
        "latitude": latitude,
        "longitude": longitude,
    }
    if "name" not in chk.errors and _same_name(session, values["name"], own_id):
        chk.fail(
            "name",
            Message(N_("An organisation called {name} already exists."), name=values["name"]),
        )
    if problem := country_problem(values["country"]):
        chk.fail("country", problem)
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
            # "50,9375" as German writes it is the same coordinate.
            number = float(value.strip().replace(",", ".") if isinstance(value, str) else value)
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
    latitude: Any = None,
    longitude: Any = None,
) -> Organisation:
    """A city, network, NGO or volunteer centre; its name is unique in the workspace."""
    _may_in_any_community(actor, "organisation.create", session)
    chk = Checker()
    values = _check_organisation(session, chk, name, kind, country, latitude, longitude)
    chk.raise_if_any()
    return records.create(session, actor, Organisation(**values), action="organisation.create")


def update_organisation(
    session: Session, actor: Actor, organisation_id: Any, version: int, **fields: Any
) -> Organisation:
    """Change the given fields; a stale ``version`` is refused with what changed meanwhile."""
    organisation = records.get_live(
        session, Organisation, organisation_id, for_update=True, label=N_("organisation")
    )
    _may_in_any_community(actor, "organisation.update", session)
    chk = Checker()
    current = organisation.model_dump()
    values = _check_organisation(
        session,
        chk,
        fields.get("name", current["name"]),
        fields.get("kind", current["kind"]),
        fields.get("country", current["country"]),
        fields.get("latitude", current["latitude"]),
        fields.get("longitude", current["longitude"]),
        own_id=organisation.id,
    )
    chk.raise_if_any()
    records.save(session, actor, organisation, version, values, action="organisation.update")
    return organisation


def may_manage_organisations(session: Session, actor: Actor) -> bool:
    """Whether the actor may add and edit organisations (admins, facilitators of any community)."""
    try:
        _may_in_any_community(actor, "organisation.create", session)
    except PermissionDenied:
        return False
    return True


@dataclass(frozen=True)
class OrganisationRow:
    """An organisation as the list shows it, with how many people belong to it."""

    id: int
    version: int
    name: str
    kind: str
    country: str
    latitude: float | None
    longitude: float | None
    people: int


def organisation_list(
    session: Session, actor: Actor, text: str | None = None
) -> list[OrganisationRow]:
    """Live organisations by name, those whose name holds ``text`` when given.

    Organisations are shared by all communities, so every signed-in user reads them.
    """
    chk = Checker()
    wanted = chk.search("text", text)
    chk.raise_if_any()
    members = (
        select(func.count())
        .where(Person.organisation_id == Organisation.id, col(Person.deleted_at).is_(None))
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(
            col(Organisation.id),
            col(Organisation.version),
            col(Organisation.name),
            col(Organisation.kind),
            col(Organisation.country),
            col(Organisation.latitude),
            col(Organisation.longitude),
            members,
        )
        .where(
            col(Organisation.deleted_at).is_(None),
            *([col(Organisation.name).icontains(wanted, autoescape=True)] if wanted else []),
        )
        .order_by(col(Organisation.name), col(Organisation.id))
    )
    return [OrganisationRow(*row) for row in rows]


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
