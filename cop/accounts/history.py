"""How the history names accounts and invitations, and who did something (the person, not the username).

Registered through cop/registry.py; ``cop.core.history`` turns the audit events
into sentences with these nouns.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col

from cop.accounts.models import User
from cop.communities.models import Person
from cop.core.history import Kind, register, register_actor_names
from cop.core.i18n import N_


def people_of_users(session: Session, user_ids: set[int]) -> dict[int, str]:
    """Each account's person's name; an account without a person keeps its username."""
    rows = session.execute(
        sa.select(col(User.id), col(User.username), col(Person.name))
        .outerjoin(Person, col(Person.id) == col(User.person_id))
        .where(col(User.id).in_(user_ids))
    )
    return {user_id: name or username for user_id, username, name in rows}


register_actor_names(people_of_users)
register("user", Kind(noun=N_("the account “{title}”"), title="username"))
register("sign_in_policy", Kind(noun=N_("the sign-in settings"), title=""))
register("invitation", Kind(noun=N_("the invitation of {title}"), title="name"))
