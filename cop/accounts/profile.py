"""Everyone's own profile: name, e-mail, language, time zone, and how notifications arrive by e-mail.

The name and e-mail live on the Person (shown wherever the person appears),
language and time zone on the account. The save is checked against the
version the form was drawn from, so an admin's correction made meanwhile is
not silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from cop.accounts import service as accounts
from cop.accounts.models import User
from cop.accounts.notifications import EMAIL_DELIVERY
from cop.communities.models import Person
from cop.core import records
from cop.core.errors import NotFound
from cop.core.i18n import N_
from cop.core.permissions import Actor, authorize
from cop.core.validation import Checker


@dataclass(frozen=True)
class Profile:
    name: str
    email: str
    language: str
    time_zone: str
    person_version: int
    user_version: int
    email_delivery: str = "weekly"


def _mine(session: Session, actor: Actor, *, for_update: bool = False) -> tuple[User, Person]:
    user = records.get_live(
        session, User, actor.user_id, for_update=for_update, label=N_("account")
    )
    if user.person_id is None:
        raise NotFound(N_("Your account has no profile; ask an admin to link it to a person."))
    person = records.get_live(
        session, Person, user.person_id, for_update=for_update, label=N_("person")
    )
    return user, person


def my_profile(session: Session, actor: Actor) -> Profile:
    user, person = _mine(session, actor)
    return Profile(
        person.name,
        person.email,
        user.language,
        user.time_zone,
        person.version,
        user.version,
        user.email_delivery,
    )


def update_own_profile(
    session: Session,
    actor: Actor,
    *,
    name: str,
    email: str,
    language: str,
    time_zone: str,
    person_version: int,
    user_version: int,
    email_delivery: str | None = None,
) -> Profile:
    """Save the signed-in person's own details; a stale form raises ConflictError.

    ``email_delivery`` (immediate, daily, weekly, off) is how notifications arrive
    by e-mail; None keeps the choice made before.
    """
    authorize(actor, "user.update_own_profile")
    user, person = _mine(session, actor, for_update=True)
    chk = Checker()
    name = chk.title("name", name, label=N_("Your name"))
    email = chk.email("email", email)
    chk.choice("language", language, set(accounts.LANGUAGES), label=N_("The language"))
    time_zone = accounts.check_time_zone(chk, time_zone)
    if email_delivery is None:
        email_delivery = user.email_delivery
    chk.choice(
        "email_delivery", email_delivery, set(EMAIL_DELIVERY), label=N_("E-mail notifications")
    )
    chk.raise_if_any()
    records.save(
        session,
        actor,
        person,
        person_version,
        {"name": name, "email": email},
        action="person.update_own_profile",
    )
    records.save(
        session,
        actor,
        user,
        user_version,
        {"language": language, "time_zone": time_zone, "email_delivery": email_delivery},
        action="user.update_own_profile",
    )
    return my_profile(session, actor)
