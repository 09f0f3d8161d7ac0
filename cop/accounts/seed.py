"""Seed step of the core: organisations, communities, people, memberships and some accounts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cop.accounts.models import User
from cop.communities.models import Community, Membership, Organisation, OrganisationKind, Person
from cop.core import passwords
from cop.core.db import table_of
from cop.core.permissions import Role, Visibility
from cop.core.seed_context import SeedContext
from cop.core.seed_names import (
    BRUSSELS,
    CITIES,
    NETWORKS,
    NGO_PATTERNS,
    THEMES,
    TIME_ZONES,
    TOPICS,
    City,
    ascii_handle,
    person_name,
)
from cop.core.validation import slugify

_VOLUNTEER_CENTRES = ("Volunteer Centre", "Freiwilligenagentur", "Centre du bénévolat")


@dataclass(frozen=True)
class Seeded:
    """What later parts of this step need to know about a person."""

    name: str
    country: str
    created_at: datetime


def step(ctx: SeedContext) -> None:
    countries = organisations(ctx)
    community_created = communities(ctx)
    seeded = people(ctx, countries)
    facilitators = memberships(ctx, seeded, community_created)
    accounts(ctx, seeded, facilitators)


def organisations(ctx: SeedContext) -> dict[int, str]:
    """City administrations, local NGOs and European networks; returns id -> country."""
    n = ctx.scale.organisations
    n_networks = min(len(NETWORKS), n // 50)
    cities = ctx.rng.sample(CITIES, min(len(CITIES), max(1, n // 4)))
    n_ngos = n - len(cities) - n_networks
    ngo_slots = [(pattern, city) for pattern in NGO_PATTERNS for city in cities]
    ngos = ctx.rng.sample(ngo_slots, min(n_ngos, len(ngo_slots)))

    rows: list[dict[str, Any]] = []
    for city in cities:
        rows.append(_organisation(ctx, city.municipality, OrganisationKind.CITY, city, 0.0))
    for pattern, city in ngos:
        kind = (
            OrganisationKind.VOLUNTEER_CENTRE
            if pattern.startswith(_VOLUNTEER_CENTRES)
            else OrganisationKind.NGO
        )
        rows.append(_organisation(ctx, pattern.format(c=city.name), kind, city, 0.03))
    brussels = City("Brussels", "BE", *BRUSSELS, "", "en")
    for name in NETWORKS[:n_networks]:
        rows.append(_organisation(ctx, name, OrganisationKind.NETWORK, brussels, 0.01))
    ids = ctx.new_ids(table_of(Organisation), len(rows))
    for organisation_id, row in zip(ids, rows, strict=True):
        row["id"] = organisation_id
    ctx.insert(table_of(Organisation), rows)
    return {row["id"]: row["country"] for row in rows}


def _organisation(
    ctx: SeedContext, name: str, kind: str, city: City, jitter: float
) -> dict[str, Any]:
    return {
        **ctx.stamps(ctx.moment(1_200, -900)),
        "name": name,
        "kind": str(kind),
        "country": city.country,
        "latitude": round(city.latitude + ctx.rng.uniform(-jitter, jitter), 5),
        "longitude": round(city.longitude + ctx.rng.uniform(-jitter, jitter), 5),
    }


def communities(ctx: SeedContext) -> dict[int, datetime]:
    """Thematic communities named in their members' languages, a few private or archived.

    Returns community id -> when it was created.
    """
    n = ctx.scale.communities
    slots = ctx.rng.sample([(topic, city) for topic in TOPICS for city in CITIES], n)
    ids = ctx.new_ids(table_of(Community), n)
    rows = []
    for community_id, (topic, city) in zip(ids, slots, strict=True):
        created_at = ctx.moment(1_100, -400)
        theme = ctx.rng.choice(THEMES)
        archived = ctx.rng.random() < 0.05
        rows.append(
            {
                **ctx.stamps(created_at),
                "id": community_id,
                "slug": f"{slugify(f'{topic} {city.name}')[:56].strip('-')}-{community_id}",
                "name": f"{topic} · {city.name}",
                "theme": theme,
                "description": f"{theme}: cities and partners around {city.name} compare what works and "
                "plan joint actions.",
                "visibility": str(
                    Visibility.PRIVATE if ctx.rng.random() < 0.15 else Visibility.WORKSPACE
                ),
                "archived_at": created_at + timedelta(days=300) if archived else None,
            }
        )
    ctx.insert(table_of(Community), rows)
    return {row["id"]: row["created_at"] for row in rows}


def people(ctx: SeedContext, countries: dict[int, str]) -> dict[int, Seeded]:
    """People of the organisations."""
    organisation_ids = list(countries)
    ids = ctx.new_ids(table_of(Person), ctx.scale.people)
    rows, seeded = [], {}
    for person_id in ids:
        name = person_name(ctx.rng)
        organisation_id = ctx.rng.choice(organisation_ids)
        created_at = ctx.moment(900, -30)
        seeded[person_id] = Seeded(name, countries[organisation_id], created_at)
        rows.append(
            {
                **ctx.stamps(created_at),
                "id": person_id,
                "name": name,
                # example.org is reserved for examples: no seeded address can reach anyone.
                "email": f"{ascii_handle(name, 'person')}.{person_id}@example.org",
                "organisation_id": organisation_id,
                "anonymised_at": None,
            }
        )
    ctx.insert(table_of(Person), rows)
    return seeded


def memberships(
    ctx: SeedContext, seeded: dict[int, Seeded], community_created: dict[int, datetime]
) -> set[int]:
    """Each person in one to three communities; every community gets a facilitator.

    Returns the ids of the people who facilitate somewhere.
    """
    roles, weights = [str(Role.FACILITATOR), str(Role.MEMBER), str(Role.OBSERVER)], [4, 81, 15]
    community_ids = list(community_created)
    by_pair: dict[tuple[int, int], dict[str, Any]] = {}
    for person_id, person in seeded.items():
        k = min(ctx.rng.choice((1, 1, 1, 2, 2, 3)), len(community_ids))
        for community_id in ctx.rng.sample(community_ids, k):
            role = ctx.rng.choices(roles, weights)[0]
            joined = max(person.created_at, community_created[community_id]) + timedelta(
                days=ctx.rng.uniform(0, 30)
            )
            by_pair[person_id, community_id] = {
                **ctx.stamps(min(joined, ctx.now)),
                "person_id": person_id,
                "community_id": community_id,
                "role": role,
            }
            ctx.members.setdefault(community_id, []).append((person_id, role))
    for community_id, members in ctx.members.items():
        if not any(role == Role.FACILITATOR for _, role in members):
            first_person = members[0][0]
            members[0] = (first_person, str(Role.FACILITATOR))
            by_pair[first_person, community_id]["role"] = str(Role.FACILITATOR)
    rows = list(by_pair.values())
    for membership_id, row in zip(ctx.new_ids(table_of(Membership), len(rows)), rows, strict=True):
        row["id"] = membership_id
    ctx.insert(table_of(Membership), rows)
    return {row["person_id"] for row in rows if row["role"] == Role.FACILITATOR}


def accounts(ctx: SeedContext, seeded: dict[int, Seeded], facilitators: set[int]) -> None:
    """Accounts for every facilitator and a share of the others.

    They all carry the hash of one random password that is never shown, so no
    seeded account can sign in until an administrator sets a password;
    benchmarks act through the test seam instead.
    """
    others = [p for p in seeded if p not in facilitators]
    chosen = sorted(
        facilitators | set(ctx.rng.sample(others, int(len(others) * ctx.scale.accounts_share)))
    )
    password_hash = passwords.hash_password(secrets.token_urlsafe(32))
    rows = []
    for user_id, person_id in zip(ctx.new_ids(table_of(User), len(chosen)), chosen, strict=True):
        person = seeded[person_id]
        created_at = min(person.created_at + timedelta(days=ctx.rng.uniform(0, 20)), ctx.now)
        country = person.country
        rows.append(
            {
                **ctx.stamps(created_at),
                "id": user_id,
                "username": f"{ascii_handle(person.name, 'person')[:24].strip('.')}.{person_id}",
                "password_hash": password_hash,
                "person_id": person_id,
                "is_admin": False,
                "active": True,
                "language": "de" if country in {"DE", "AT", "CH"} else "en",
                "time_zone": TIME_ZONES.get(country, "Europe/Brussels"),
                "must_change_password": False,
                "failed_logins": 0,
                "first_failed_login_at": None,
                "locked_until": None,
                "sessions_valid_after": created_at,
                "last_login_at": None,
            }
        )
    ctx.insert(table_of(User), rows)
