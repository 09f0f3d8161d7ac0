"""Demo step: organisations, communities, people, accounts and memberships."""

from __future__ import annotations

from sqlmodel import select

from cop.accounts import service as accounts
from cop.accounts.models import User
from cop.accounts.service import load_actor
from cop.communities import people
from cop.communities import service as communities
from cop.communities.models import Person
from cop.core.demo_context import DemoContext
from cop.core.permissions import SYSTEM


def step(ctx: DemoContext) -> None:
    data, session = ctx.data, ctx.session
    for org in data["organisations"]:
        created = people.create_organisation(
            session,
            SYSTEM,
            name=org["name"],
            kind=org["kind"],
            country=org["country"],
            latitude=org.get("latitude"),
            longitude=org.get("longitude"),
        )
        assert created.id is not None  # create_organisation flushed it
        ctx.organisations[org["key"]] = created.id
    for spec in data["communities"]:
        community = communities.create_community(
            session,
            SYSTEM,
            name=spec["name"],
            slug=spec["slug"],
            theme=spec.get("theme", ""),
            description=spec.get("description", ""),
            visibility=spec.get("visibility", "workspace"),
        )
        assert community.id is not None  # create_community flushed it
        ctx.communities[spec["slug"]] = community.id
    # A person joins their city's first community, or the one their entry names (a city
    # may belong to two communities).
    city_community: dict[str, str] = {}
    for spec in data["communities"]:
        for city in spec["cities"]:
            city_community.setdefault(city, spec["slug"])
    for spec in data["people"]:
        person = people.create_person(
            session,
            SYSTEM,
            name=spec["name"],
            email=spec.get("email", ""),
            organisation_id=ctx.organisations[spec["organisation"]],
        )
        assert person.id is not None  # create_person flushed it
        ctx.people[spec["name"]] = person.id
        role = spec.get("role", "member")
        communities.add_member(
            session,
            SYSTEM,
            ctx.communities[spec.get("community") or city_community[spec["organisation"]]],
            person.id,
            role,
        )
    for spec in data["accounts"]:
        user = accounts.create_user(
            session,
            SYSTEM,
            username=spec["username"],
            password=data["password"],
            name=spec["name"],
            email=spec.get("email", ""),
            is_admin=spec.get("admin", False),
            organisation_id=ctx.organisations.get(spec.get("organisation", "")),
            person_id=ctx.people.get(spec.get("person", "")),
        )
        account_person = session.get(Person, user.person_id)
        # create_user made the account's person or linked it to the one named
        assert account_person is not None and account_person.id is not None
        ctx.people.setdefault(account_person.name, account_person.id)
        for membership in spec.get("memberships", []):
            community_id = ctx.communities[membership["community"]]
            existing = [
                m
                for m in communities.members(session, SYSTEM, community_id)
                if m.person_id == account_person.id
            ]
            if existing:
                communities.change_role(
                    session,
                    SYSTEM,
                    existing[0].membership_id,
                    existing[0].membership_version,
                    membership["role"],
                )
            else:
                communities.add_member(
                    session, SYSTEM, community_id, account_person.id, membership["role"]
                )
        session.flush()
    for username in (u["username"] for u in data["accounts"]):
        user = session.exec(select(User).where(User.username == username)).one()
        actor = load_actor(session, user.id)
        assert actor is not None  # load_actor is None only for inactive or unknown accounts
        ctx.actors[username] = actor
