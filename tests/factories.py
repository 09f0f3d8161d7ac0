"""Small builders for test data, all going through the real services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cop.accounts import service as accounts
from cop.actions import service as actions
from cop.actions import updates as action_updates
from cop.actions.models import Action
from cop.communities import people
from cop.communities import service as communities
from cop.communities.models import Community
from cop.core.db import read_session, write_session
from cop.core.permissions import SYSTEM, Actor, Role
from cop.workshops import service as workshops
from cop.workshops.models import Workshop

_counter = itertools.count(1)
PASSWORD = "a long enough passphrase"


def community(
    engine: Engine, *, visibility: str = "workspace", name: str | None = None
) -> Community:
    n = next(_counter)
    with write_session(engine) as s:
        return communities.create_community(
            s, SYSTEM, name=name or f"Community {n}", slug=f"community-{n}", visibility=visibility
        )


def organisation(engine: Engine, name: str | None = None) -> int:
    with write_session(engine) as s:
        return people.create_organisation(s, SYSTEM, name=name or f"City {next(_counter)}").id  # type: ignore[return-value]


def actor(
    engine: Engine,
    role: Role | str | None = None,
    community_id: int | None = None,
    *,
    admin: bool = False,
    organisation_id: int | None = None,
) -> Actor:
    """A signed-in user with ``role`` in ``community_id`` (or none), re-read like the app does."""
    n = next(_counter)
    with write_session(engine) as s:
        user = accounts.create_user(
            s,
            SYSTEM,
            username=f"user{n}",
            password=PASSWORD,
            name=f"User {n}",
            is_admin=admin,
            organisation_id=organisation_id,
        )
        if role is not None and community_id is not None:
            communities.add_member(s, SYSTEM, community_id, user.person_id, str(role))  # type: ignore[arg-type]
        user_id = user.id
    with read_session(engine) as s:
        loaded = accounts.load_actor(s, user_id)
    assert loaded is not None
    return loaded


@dataclass
class World:
    """One community with a facilitator, a member and an observer, plus an outsider and an admin."""

    community: Community
    facilitator: Actor
    member: Actor
    observer: Actor
    outsider: Actor
    admin: Actor

    def by_role(self, role: str) -> Actor:
        return getattr(self, role)


def world(engine: Engine, visibility: str = "workspace") -> World:
    c = community(engine, visibility=visibility)
    return World(
        community=c,
        facilitator=actor(engine, Role.FACILITATOR, c.id),
        member=actor(engine, Role.MEMBER, c.id),
        observer=actor(engine, Role.OBSERVER, c.id),
        outsider=actor(engine),
        admin=actor(engine, admin=True),
    )


def workshop(engine: Engine, actor: Actor, community_id: int, **fields: Any) -> Workshop:
    """A planned in-person workshop on 10 March 2026, 10:00-16:00 Berlin time, unless ``fields`` say otherwise."""
    values: dict[str, Any] = {
        "title": f"Workshop {next(_counter)}",
        "kind": "workshop",
        "format": "in_person",
        "place": "Town hall",
        "starts_at": datetime(2026, 3, 10, 10, 0),
        "ends_at": datetime(2026, 3, 10, 16, 0),
        "time_zone": "Europe/Berlin",
    }
    values.update(fields)
    with write_session(engine) as s:
        return workshops.record_workshop(s, actor, community_id=community_id, **values)


def draft_and_approved_practice(engine: Engine, world: World, title: str) -> tuple[int, int]:
    """Two practices of ``world``'s community by its facilitator: "<title> draft" stays a draft,
    "<title> approved" is submitted and approved; their ids."""
    from cop.practices import service as practices

    city = organisation(engine)
    with write_session(engine) as s:
        draft, approved = (
            practices.create_practice(
                s,
                world.facilitator,
                world.community.id,  # type: ignore[arg-type]
                title=f"{title} {state}",
                organisation_id=city,
            )
            for state in ("draft", "approved")
        )
        practices.submit_practice(s, world.facilitator, approved.id, approved.version)
        practices.approve_practice(s, world.facilitator, approved.id, approved.version)
        return draft.id, approved.id  # type: ignore[return-value]


ZAGREB = "Zagreb buddy programme in two districts"  # a demo action with no sub-actions


def sub_actions(
    session: Session,
    actor: Actor,
    parent: Action,
    *,
    title: str,
    posted: int | None = None,
    count: int = 3,
    owner_person_id: int | None = None,
    due_date: Any = "2027-06-30",
) -> list[Action]:
    """``count`` planned sub-actions of ``parent`` ("``title`` 0", "``title`` 1", ...), after
    ``posted`` % was posted on it: issue 17 item 14's case, where the parent's progress becomes
    their roll-up (10 %) while its updates still say what was posted."""
    if posted is not None:
        action_updates.post_update(session, actor, parent.id, text="Most done", new_progress=posted)
    return [
        actions.create_action(
            session,
            actor,
            community_id=parent.community_id,
            title=f"{title} {n}",
            owner_person_id=owner_person_id or parent.owner_person_id,
            due_date=due_date,
            parent_id=parent.id,
        )
        for n in range(count)
    ]


def zagreb_split_after_65_posted(engine: Engine | None = None) -> Action:
    """The demo's Zagreb action: 65 % posted, then three sub-actions ("Zagreb district step 0..2")."""
    with write_session(engine) as session:
        zagreb = session.exec(select(Action).where(Action.title == ZAGREB)).one()
        sub_actions(session, SYSTEM, zagreb, title="Zagreb district step", posted=65)
    return zagreb
