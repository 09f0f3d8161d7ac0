"""Communities, organisations, people, memberships, accounts, invitations and the own profile."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from cop.accounts import invitations, profile
from cop.accounts import service as accounts
from cop.accounts.models import Invitation, User
from cop.communities import onboarding, people
from cop.communities import service as communities
from cop.communities.models import Community, Membership, Organisation, Person
from cop.core import passwords
from cop.core.errors import ValidationError
from cop.core.permissions import SYSTEM

from .inputs import (
    CHOICE,
    EMAIL,
    LINE,
    LONG,
    NUMBER,
    ORGANISATION,
    PASSWORD,
    PERSON,
    TIME_ZONE,
    UPLOAD,
    USERNAME,
    in_a_file,
    sample,
)
from .rule import Target, as_id, as_number, attribute, trimmed
from .targets_workshops import csv_file
from .world import HostileWorld, serial


def _community(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Community:
        values = {"name": f"Community {serial()}", "slug": f"hostile-{serial()}", field: v}
        return communities.create_community(s, SYSTEM, **values)

    return call


def _rename(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Community:
        values = {"name": "Scratch community", field: v}
        return communities.rename_community(
            s, SYSTEM, w.scratch.id, w.version(s, Community, w.scratch.id), **values
        )

    return call


def _organisation(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Organisation:
        return people.create_organisation(
            s, w.facilitator, **{"name": f"Organisation {serial()}", field: v}
        )

    return call


def _update_organisation(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Organisation:
        version = w.version(s, Organisation, w.organisation)
        return people.update_organisation(s, w.facilitator, w.organisation, version, **{field: v})

    return call


def _person(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Person:
        return people.create_person(s, w.facilitator, **{"name": f"Person {serial()}", field: v})

    return call


def _update_person(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Person:
        values = {"name": "Guest Expert", "email": "", "organisation_id": None, field: v}
        return people.update_person(
            s, w.facilitator, w.person, w.version(s, Person, w.person), **values
        )

    return call


def _add_member(s: Session, w: HostileWorld, v: Any) -> Any:
    return communities.add_member(s, w.admin, w.scratch.id, v)  # type: ignore[arg-type]


def _add_member_as(s: Session, w: HostileWorld, v: Any) -> Any:
    person = people.create_person(s, SYSTEM, name=f"Person {serial()}")
    return communities.add_member(s, SYSTEM, w.scratch.id, person.id, v)  # type: ignore[arg-type]


def _change_role(s: Session, w: HostileWorld, v: Any) -> Any:
    membership = _add_member_as(s, w, "member")
    return communities.change_role(s, SYSTEM, membership.id, membership.version, v)


def _user(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> User:
        values = {
            "username": f"hostile{serial()}",
            "password": "a long enough passphrase",
            "name": f"User {serial()}",
            field: v,
        }
        return accounts.create_user(s, SYSTEM, **values)

    return call


def _user_person(name: str) -> Any:
    def read(s: Session, user: User) -> Any:
        return getattr(s.get(Person, s.get(User, user.id).person_id), name)  # type: ignore[union-attr]

    return read


def _invite(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> invitations.IssuedInvitation:
        # A picked person brings their own name: typing another next to a pick is refused.
        values = {field: v} if field == "person_id" else {"name": f"Invitee {serial()}", field: v}
        return invitations.invite(s, w.facilitator, community_id=w.community.id, **values)  # type: ignore[arg-type]

    return call


def _invitation(name: str) -> Any:
    def read(s: Session, issued: invitations.IssuedInvitation) -> Any:
        return getattr(s.get(Invitation, issued.invitation.id), name)

    return read


def _accept(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> User:
        issued = invitations.invite(s, w.facilitator, community_id=w.community.id, name="Invitee")  # type: ignore[arg-type]
        token = issued.link.removeprefix(invitations.LINK_PREFIX)
        values = {
            "username": f"invited{serial()}",
            "password": "a long enough passphrase",
            "name": "Invitee",
            field: v,
        }
        return invitations.accept_invitation(s, token, **values)

    return call


def _profile(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> profile.Profile:
        mine = profile.my_profile(s, w.profile_owner)
        values = {
            "name": mine.name,
            "email": mine.email,
            "language": mine.language,
            "time_zone": mine.time_zone,
            field: v,
        }
        return profile.update_own_profile(
            s,
            w.profile_owner,
            **values,
            person_version=mine.person_version,
            user_version=mine.user_version,
        )

    return call


def _own(name: str) -> Any:
    def read(s: Session, saved: profile.Profile) -> Any:
        return getattr(saved, name)

    return read


def _password_hash(s: Session, user: User) -> str:
    """A password is never read back; its hash must take the password as typed."""
    return s.get(User, user.id).password_hash  # type: ignore[union-attr]


class _Matches:
    """Equal to a bcrypt hash of the typed password, after the sign-in widget's normalising."""

    def __init__(self, typed: Any) -> None:
        self.typed = typed

    def __eq__(self, stored: object) -> bool:
        return isinstance(stored, str) and passwords.check_password(self.typed, stored)

    def __repr__(self) -> str:
        return f"hash of {self.typed!r}"


def _onboard(column: str, **extra: str) -> Any:
    """One spreadsheet row, previewed then applied; row problems are the field messages."""

    def call(s: Session, w: HostileWorld, v: Any) -> Person:
        row = {
            "name": f"Imported Person {serial()}",
            "email": "",
            "organisation": "",
            "organisation_kind": "",
            "country": "",
            "role": "member",
            **extra,
            column: v,
        }
        data = csv_file(list(row), list(row.values()))
        plan = onboarding.preview_import(s, w.facilitator, w.community.id, "people.csv", data)  # type: ignore[arg-type]
        if plan.problems:
            raise ValidationError({p.field: p.message for p in plan.problems})
        onboarding.apply_import(s, w.facilitator, w.community.id, "people.csv", data)  # type: ignore[arg-type]
        planned = plan.rows[0]
        if (
            planned.person_id is not None
        ):  # someone already in the workspace (same e-mail): joined, not created
            return s.get(Person, planned.person_id)  # type: ignore[return-value]
        return s.exec(
            select(Person).where(Person.name == planned.name).order_by(col(Person.id).desc())
        ).first()  # type: ignore[return-value]

    return call


def _organisation_of(name: str) -> Any:
    def read(s: Session, person: Person) -> Any:
        organisation_id = s.get(Person, person.id).organisation_id  # type: ignore[union-attr]
        return (
            getattr(s.get(Organisation, organisation_id), name)
            if organisation_id is not None
            else None
        )

    return read


def _lower_or(default: str) -> Any:
    """Cells of closed lists: any case, surrounding spaces ignored, empty means the default."""

    def expect(value: Any) -> str:
        return str(value or "").strip().lower() or default

    return expect


def _membership_role(s: Session, person: Person) -> str:
    """The role of a person the import created: their one membership."""
    return s.exec(
        select(Membership.role).where(
            Membership.person_id == person.id, col(Membership.deleted_at).is_(None)
        )
    ).one()


def _named_or_none(value: Any) -> str | None:
    return str(value or "").strip() or None


def _lower(value: Any) -> str:
    return str(value).strip().lower()


def _upper(value: Any) -> str:
    return str(value).strip().upper()


# Membership, accounts and invitations may name anyone in the workspace, member or not.
ANY_PERSON = ("not-a-member", "member-elsewhere", "removed-member")

TARGETS: list[Target] = [
    Target("create_community", "name", LINE, _community("name"), attribute("name"), trimmed),
    Target("create_community", "slug", LINE, _community("slug"), attribute("slug"), _lower),
    Target("create_community", "theme", LINE, _community("theme"), attribute("theme"), trimmed),
    Target(
        "create_community", "description", LONG, _community("description"), attribute("description")
    ),
    Target(
        "create_community", "visibility", CHOICE, _community("visibility"), attribute("visibility")
    ),
    Target("rename_community", "name", sample(LINE), _rename("name"), attribute("name"), trimmed),
    Target(
        "rename_community", "theme", sample(LINE), _rename("theme"), attribute("theme"), trimmed
    ),
    Target(
        "rename_community",
        "description",
        sample(LONG),
        _rename("description"),
        attribute("description"),
    ),
    Target("create_organisation", "name", LINE, _organisation("name"), attribute("name"), trimmed),
    Target("create_organisation", "kind", CHOICE, _organisation("kind"), attribute("kind")),
    Target(
        "create_organisation",
        "country",
        LINE,
        _organisation("country"),
        attribute("country"),
        _upper,
    ),
    Target(
        "create_organisation",
        "latitude",
        NUMBER,
        _organisation("latitude"),
        attribute("latitude"),
        as_number,
    ),
    Target(
        "create_organisation",
        "longitude",
        NUMBER,
        _organisation("longitude"),
        attribute("longitude"),
        as_number,
    ),
    Target(
        "update_organisation",
        "name",
        sample(LINE),
        _update_organisation("name"),
        attribute("name"),
        trimmed,
    ),
    Target(
        "update_organisation",
        "country",
        sample(LINE),
        _update_organisation("country"),
        attribute("country"),
        _upper,
    ),
    Target(
        "update_organisation",
        "latitude",
        NUMBER,
        _update_organisation("latitude"),
        attribute("latitude"),
        as_number,
    ),
    Target("create_person", "name", LINE, _person("name"), attribute("name"), trimmed),
    Target("create_person", "email", EMAIL, _person("email"), attribute("email"), trimmed),
    Target(
        "create_person",
        "organisation",
        ORGANISATION,
        _person("organisation_id"),
        attribute("organisation_id"),
        as_id,
    ),
    Target(
        "update_person", "name", sample(LINE), _update_person("name"), attribute("name"), trimmed
    ),
    Target("update_person", "email", EMAIL, _update_person("email"), attribute("email"), trimmed),
    Target(
        "update_person",
        "organisation",
        ORGANISATION,
        _update_person("organisation_id"),
        attribute("organisation_id"),
        as_id,
    ),
    Target(
        "add_member", "person", PERSON, _add_member, attribute("person_id"), as_id, allow=ANY_PERSON
    ),
    Target("add_member", "role", CHOICE, _add_member_as, attribute("role")),
    Target("change_role", "role", CHOICE, _change_role, attribute("role")),
    Target("create_user", "username", USERNAME, _user("username"), attribute("username"), _lower),
    Target("create_user", "password", PASSWORD, _user("password"), _password_hash, _Matches),
    Target("create_user", "name", LINE, _user("name"), _user_person("name"), trimmed),
    Target("create_user", "email", EMAIL, _user("email"), _user_person("email"), trimmed),
    Target("create_user", "language", CHOICE, _user("language"), attribute("language")),
    Target(
        "create_user", "time_zone", TIME_ZONE, _user("time_zone"), attribute("time_zone"), trimmed
    ),
    Target(
        "create_user",
        "organisation",
        ORGANISATION,
        _user("organisation_id"),
        _user_person("organisation_id"),
        as_id,
    ),
    Target(
        "create_user",
        "person",
        PERSON,
        _user("person_id"),
        attribute("person_id"),
        as_id,
        allow=ANY_PERSON,
    ),
    Target("invite", "name", LINE, _invite("name"), _invitation("name"), trimmed),
    Target("invite", "email", EMAIL, _invite("email"), _invitation("email"), trimmed),
    Target("invite", "role", CHOICE, _invite("role"), _invitation("role")),
    Target(
        "invite",
        "person",
        PERSON,
        _invite("person_id"),
        _invitation("person_id"),
        as_id,
        allow=ANY_PERSON,
    ),
    Target(
        "accept_invitation",
        "username",
        USERNAME,
        _accept("username"),
        attribute("username"),
        _lower,
    ),
    Target(
        "accept_invitation", "password", PASSWORD, _accept("password"), _password_hash, _Matches
    ),
    Target("accept_invitation", "name", LINE, _accept("name"), _user_person("name"), trimmed),
    Target("update_own_profile", "name", sample(LINE), _profile("name"), _own("name"), trimmed),
    Target("update_own_profile", "email", EMAIL, _profile("email"), _own("email"), trimmed),
    Target("update_own_profile", "language", CHOICE, _profile("language"), _own("language")),
    Target(
        "update_own_profile",
        "time_zone",
        TIME_ZONE,
        _profile("time_zone"),
        _own("time_zone"),
        trimmed,
    ),
    Target(
        "import_people",
        "name",
        in_a_file(LINE),
        _onboard("name"),
        attribute("name"),
        trimmed,
        also=("file",),
    ),
    Target(
        "import_people",
        "email",
        in_a_file(EMAIL),
        _onboard("email"),
        attribute("email"),
        trimmed,
        also=("file",),
    ),
    Target(
        "import_people",
        "organisation",
        in_a_file(LINE),
        _onboard("organisation"),
        _organisation_of("name"),
        _named_or_none,
        also=("file",),
    ),
    Target(
        "import_people",
        "organisation_kind",
        in_a_file(CHOICE),
        _onboard("organisation_kind", organisation="New NGO"),
        _organisation_of("kind"),
        _lower_or("other"),
        also=("file",),
    ),
    Target(
        "import_people",
        "country",
        in_a_file(LINE),
        _onboard("country", organisation="Another NGO"),
        _organisation_of("country"),
        _upper,
        also=("file",),
    ),
    Target(
        "import_people",
        "role",
        in_a_file(CHOICE),
        _onboard("role"),
        _membership_role,
        _lower_or("member"),
        also=("file",),
    ),
    Target(
        "import_people",
        "file",
        UPLOAD,
        lambda s, w, v: onboarding.apply_import(s, w.facilitator, w.community.id, "people.csv", v),
        attribute("name"),
    ),
]
