"""Who may do what: one table, one function, deny by default.

``PERMISSIONS`` maps each service operation to the community roles allowed to
perform it. Admins may do everything. Operations that concern the workspace
rather than one community (creating accounts, say) have no community and are
therefore admin-only unless listed in ``SELF_SERVICE``. Reading follows
community visibility: a workspace community is readable by every signed-in
user, a private one only by its members. Every later capability adds its
operations here; the permission-matrix test fails for an operation missing
from this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from cop.core.errors import PermissionDenied
from cop.core.i18n import N_
from cop.core.messages import Message


class Role(StrEnum):
    FACILITATOR = "facilitator"
    MEMBER = "member"
    OBSERVER = "observer"


class Visibility(StrEnum):
    WORKSPACE = "workspace"  # every signed-in user may read
    PRIVATE = "private"  # members only


class Community(Protocol):
    """What a permission check reads of a community (the table lives in cop.communities)."""

    id: int | None
    name: str
    visibility: str
    deleted_at: datetime | None


F, M = Role.FACILITATOR, Role.MEMBER
EVERY_ROLE = frozenset({F, M, Role.OBSERVER})
CONTRIBUTORS = frozenset({F, M})
FACILITATORS = frozenset({F})
ADMIN_ONLY: frozenset[Role] = frozenset()

PERMISSIONS: dict[str, frozenset[Role]] = {
    # communities
    "community.read": EVERY_ROLE,
    "community.create": ADMIN_ONLY,
    "community.rename": FACILITATORS,
    "community.archive": ADMIN_ONLY,
    "community.set_visibility": ADMIN_ONLY,
    # organisations and people
    "organisation.create": FACILITATORS,
    "organisation.update": FACILITATORS,
    "person.create": FACILITATORS,
    "person.update": FACILITATORS,
    "person.delete": ADMIN_ONLY,
    # memberships
    "membership.add": FACILITATORS,
    "membership.change_role": FACILITATORS,
    "membership.remove": FACILITATORS,
    # accounts (workspace-wide)
    "user.create": ADMIN_ONLY,
    "user.list": ADMIN_ONLY,
    "user.deactivate": ADMIN_ONLY,
    "user.reactivate": ADMIN_ONLY,
    "user.reset_password": ADMIN_ONLY,
    "user.unlock": ADMIN_ONLY,
    # how people sign in: the password form, e-mail domains for the identity provider
    "sign_in.configure": ADMIN_ONLY,
    # invitations: facilitators invite into their own community, admins anywhere
    "invitation.create": FACILITATORS,
    "invitation.list": FACILITATORS,
    "invitation.revoke": FACILITATORS,
    # personal data and onboarding
    "person.anonymise": ADMIN_ONLY,
    "import.people": FACILITATORS,
    "audit.read": FACILITATORS,
    "backup.create": ADMIN_ONLY,
    "backup.restore": ADMIN_ONLY,
    "seed.run": ADMIN_ONLY,
    # notifications sent by operator jobs (cop notify ...)
    "notification.send_overdue": ADMIN_ONLY,
    "notification.send_digest": ADMIN_ONLY,
    # the outbox: admins see e-mail that did not go and send it again
    "outbox.list": ADMIN_ONLY,
    "outbox.retry": ADMIN_ONLY,
    # workshops (reading them is community.read); a closed one is read-only until reopened
    "workshop.create": CONTRIBUTORS,
    "workshop.update": CONTRIBUTORS,
    "workshop.delete": CONTRIBUTORS,
    "workshop.attend": CONTRIBUTORS,
    "workshop.attach": CONTRIBUTORS,
    "workshop.close": CONTRIBUTORS,
    "workshop.reopen": FACILITATORS,
    "workshop.import": FACILITATORS,
    "attendance.export": FACILITATORS,
    # joint actions: members change only the actions they own or co-own (checked in the
    # service after this table), facilitators any action of their community
    "action.create": CONTRIBUTORS,
    "action.update": CONTRIBUTORS,
    "action.post_update": CONTRIBUTORS,
    "action.move": CONTRIBUTORS,
    "action.delete": FACILITATORS,
    "action.restore": FACILITATORS,
    "action.export": EVERY_ROLE,
    "action.import": FACILITATORS,
    # practices: members draft and submit, facilitators approve, send back and delete
    "practice.create": CONTRIBUTORS,
    "practice.update": CONTRIBUTORS,
    "practice.submit": CONTRIBUTORS,
    "practice.approve": FACILITATORS,
    "practice.delete": FACILITATORS,
    # standards: reviewed like practices; facilitators keep the order
    "standard.create": CONTRIBUTORS,
    "standard.update": CONTRIBUTORS,
    "standard.submit": CONTRIBUTORS,
    "standard.approve": FACILITATORS,
    "standard.reorder": FACILITATORS,
    "standard.delete": FACILITATORS,
    # self-assessment: members score their own city, facilitators any city of the community
    "score.record": CONTRIBUTORS,
    # toolkit: admins make editions and order chapters; members draft and submit,
    # facilitators approve and restore; observers export approved revisions only
    "toolkit.create": ADMIN_ONLY,
    "toolkit.update": ADMIN_ONLY,
    "chapter.edit": CONTRIBUTORS,
    "chapter.submit": CONTRIBUTORS,
    "chapter.comment": CONTRIBUTORS,
    "chapter.approve": FACILITATORS,
    "chapter.restore": FACILITATORS,
    "chapter.export": EVERY_ROLE,
    # the published website: admins publish the edition, facilitators their own chapter
    "toolkit.publish": ADMIN_ONLY,
    "chapter.publish": FACILITATORS,
}

# Workspace-level operations any signed-in user may perform on their own behalf.
SELF_SERVICE: frozenset[str] = frozenset(
    {
        "user.change_own_password",
        "user.update_own_profile",
        "person.export_own",
        "notification.read_own",
        "calendar.subscribe_own",
        "accessibility_feedback.send",  # open to anyone, signed in or not (issue 23)
    }
)


@dataclass(frozen=True)
class Actor:
    """The signed-in user as the services see them, re-read from the database each run."""

    user_id: int
    username: str
    name: str
    is_admin: bool = False
    person_id: int | None = None
    organisation_id: int | None = None
    language: str = "en"
    time_zone: str = "Europe/Brussels"
    roles: dict[int, Role] = field(default_factory=dict)  # community id -> role

    def role_in(self, community_id: int | None) -> Role | None:
        return self.roles.get(community_id) if community_id is not None else None


SYSTEM = Actor(user_id=0, username="system", name="System", is_admin=True)
"""Used by the CLI's operator commands and the demo loader: the shell is already trusted."""


def can_read(actor: Actor, community: Community) -> bool:
    if actor.is_admin or community.id in actor.roles:
        return True
    return community.visibility == Visibility.WORKSPACE and community.deleted_at is None


def is_allowed(actor: Actor, operation: str, community: Community | None = None) -> bool:
    """True when ``actor`` may perform ``operation`` (in ``community``, if it has one)."""
    if operation not in PERMISSIONS and operation not in SELF_SERVICE:
        return False  # unknown operations are denied, even to admins
    if actor.is_admin:
        return True
    if operation in SELF_SERVICE:
        return True
    if community is None:
        return False
    if operation == "community.read":
        return can_read(actor, community)
    role = actor.role_in(community.id)
    return role is not None and role in PERMISSIONS[operation]


def authorize(actor: Actor, operation: str, community: Community | None = None) -> None:
    """Raise PermissionDenied unless ``actor`` may perform ``operation``."""
    if not is_allowed(actor, operation, community):
        if community is None:
            raise PermissionDenied(N_("You may not do this."))
        raise PermissionDenied(
            Message(N_("You may not do this in {community}."), community=community.name)
        )
