"""Every operation of cop.core.permissions x role x inside/outside the community x visibility, on the REAL services.

``REGISTRY`` maps each operation to a ``Case``: a callable that performs the
operation through its real service function (setting up whatever it acts on
with SYSTEM in the same transaction) and the operation's scope, which says how
the table is read for it. Every case runs in a transaction that is rolled back,
so one shared world per database serves all of them.

An operation of ``PERMISSIONS`` or ``SELF_SERVICE`` without an entry here
fails ``test_permission_matrix`` with its name: whoever adds an operation adds
its case.

Scopes:
    community      allowed to holders of one of the table's roles IN the community (and admins)
    read           as community, and also to everyone when the community's visibility is workspace
    any_community  shared records (organisations, people): a qualifying role in any community suffices
    workspace      no community: admins only
    self           self-service: every signed-in user, on their own behalf

A denial is PermissionDenied or NotFound; for ``read`` operations on a private
community it must be NotFound (the community does not exist for outsiders).

Ownership rules the services apply after the table (members change only the
actions they own or co-own, and score only their own city) are tried both
ways: in ``REGISTRY`` a member acts on what is theirs, so the table decides;
``OWNERSHIP_RULES`` has the same member try someone else's, which is refused.
"""

from __future__ import annotations

import csv
import io
import itertools
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cop.accessibility import service as accessibility
from cop.accounts import admin, invitations, notifications, oidc, personal_data, profile
from cop.accounts import service as accounts
from cop.accounts.models import Invitation, User
from cop.actions import io as action_io
from cop.actions import reminders
from cop.actions import service as actions
from cop.actions import updates as action_updates
from cop.actions.models import Action
from cop.backup import archive as portability
from cop.backup.seed import seed as seed_workspace
from cop.calendars import service as calendars
from cop.communities import onboarding, people
from cop.communities import service as communities
from cop.communities.models import Community, Membership, Organisation, Person
from cop.core import db, passwords
from cop.core.db import read_session, write_session
from cop.core.errors import NotFound, PermissionDenied
from cop.core.permissions import PERMISSIONS, SELF_SERVICE, SYSTEM, Actor, Role, Visibility
from cop.outbox import service as outbox
from cop.practices import self_assessment, standards
from cop.practices import service as practices
from cop.practices.models import Practice, ReviewStatus, Standard
from cop.publishing import service as publishing
from cop.toolkit import export as toolkit_export
from cop.toolkit import revisions as toolkit_revisions
from cop.toolkit import sections as toolkit_sections
from cop.toolkit import service as toolkit
from cop.toolkit.models import Chapter
from cop.workshops import attachments, attendance
from cop.workshops import io as workshop_io
from cop.workshops import service as workshops
from cop.workshops.models import Workshop, WorkshopStatus
from tests import factories
from tests.conftest import empty_postgres

Call = Callable[[Session, Actor, "MatrixWorld"], Any]
SCOPES = {"community", "read", "any_community", "workspace", "self"}
_unique = itertools.count(1)


@dataclass(frozen=True)
class Case:
    call: Call
    scope: str = "community"

    def __post_init__(self) -> None:
        assert self.scope in SCOPES, f"unknown scope {self.scope!r}"


@dataclass
class MatrixWorld:
    """The community the operations target (workspace or private) and what each case builds in it.

    Every inside actor works for ``home_city_id``; ``other_person_id`` (no
    account, a member of both target communities) works for ``other_city_id``
    and owns the actions that are not the acting member's own.
    """

    community_id: int
    visibility: str
    engine: Engine
    scratch: Path  # backups and scratch databases are written here
    template: Path  # an empty migrated SQLite database: what seed and restore need as their target
    archive: Path  # a backup of the whole world, for restore
    home_city_id: int
    other_city_id: int
    other_person_id: int
    actors: dict[str, Actor] = field(default_factory=dict)

    def community(self, s: Session) -> Community:
        community = s.get(Community, self.community_id)
        assert community is not None
        return community

    # Things an operation acts on, made by SYSTEM in the case's own (rolled back) transaction.
    def person(self, s: Session) -> Person:
        return people.create_person(s, SYSTEM, name=f"Target person {next(_unique)}")

    def organisation(self, s: Session) -> Organisation:
        return people.create_organisation(s, SYSTEM, name=f"Target city {next(_unique)}")

    def membership(self, s: Session) -> Membership:
        return communities.add_member(s, SYSTEM, self.community_id, self.person(s).id, "member")  # type: ignore[arg-type]

    def user(self, s: Session) -> User:
        return accounts.create_user(
            s,
            SYSTEM,
            username=f"target{next(_unique)}",
            password=factories.PASSWORD,
            name="Target user",
        )

    def invitation(self, s: Session) -> Invitation:
        return invitations.invite(
            s, SYSTEM, community_id=self.community_id, name="Invited person"
        ).invitation

    def workshop(self, s: Session, status: str = WorkshopStatus.PLANNED) -> Workshop:
        workshop = workshops.record_workshop(
            s,
            SYSTEM,
            community_id=self.community_id,
            title=f"Target workshop {next(_unique)}",
            kind="workshop",
            format="in_person",
            place="Town hall",
            starts_at=datetime(2026, 3, 10, 10),
            ends_at=datetime(2026, 3, 10, 16),
            time_zone="Europe/Berlin",
        )
        if status != WorkshopStatus.PLANNED:
            workshops.mark_held(s, SYSTEM, workshop.id, workshop.version)  # type: ignore[arg-type]
        if status == WorkshopStatus.CLOSED:
            workshops.close_workshop(
                s, SYSTEM, workshop.id, workshop.version, minutes="What was said."
            )  # type: ignore[arg-type]
        return workshop

    def owner_for(self, actor: Actor) -> int:
        """Members change only the actions they own or co-own: theirs when they are one, someone else's otherwise.

        So members are tried on their own actions (the table's case) while
        facilitators and admins are tried on somebody else's.
        """
        if actor.role_in(self.community_id) == Role.MEMBER:
            return actor.person_id  # type: ignore[return-value]
        return self.other_person_id

    def action(self, s: Session, owner_person_id: int, *, deleted: bool = False) -> Action:
        action = actions.create_action(
            s,
            SYSTEM,
            community_id=self.community_id,
            title=f"Target action {next(_unique)}",
            owner_person_id=owner_person_id,
            due_date=date(2026, 6, 30),
        )
        if deleted:
            actions.delete_action(s, SYSTEM, action.id)
        return action

    def practice(self, s: Session, status: str = ReviewStatus.DRAFT) -> Practice:
        practice = practices.create_practice(
            s,
            SYSTEM,
            self.community_id,
            title=f"Target practice {next(_unique)}",
            organisation_id=self.home_city_id,
        )
        if status == ReviewStatus.IN_REVIEW:
            practices.submit_practice(s, SYSTEM, practice.id, practice.version)  # type: ignore[arg-type]
        return practice

    def standard(self, s: Session, status: str = ReviewStatus.DRAFT) -> Standard:
        standard = standards.create_standard(
            s,
            SYSTEM,
            self.community_id,
            title=f"Target standard {next(_unique)}",
            statement="Volunteers are welcomed and trained.",
        )
        if status == ReviewStatus.IN_REVIEW:
            standards.submit_standard(s, SYSTEM, standard.id, standard.version)  # type: ignore[arg-type]
        return standard

    def scored_city(self, actor: Actor) -> int:
        """Members score only their own city; facilitators and admins are tried on another city of the community."""
        return (
            self.home_city_id
            if actor.role_in(self.community_id) == Role.MEMBER
            else self.other_city_id
        )


def _own_profile(s: Session, a: Actor, w: MatrixWorld) -> Any:
    mine = profile.my_profile(s, a)
    return profile.update_own_profile(
        s,
        a,
        name=mine.name,
        email="me@example.org",
        language=mine.language,
        time_zone=mine.time_zone,
        person_version=mine.person_version,
        user_version=mine.user_version,
    )


PAST_WORKSHOP_CSV = (
    b"title,kind,format,starts_at,ends_at,time_zone,place,status,minutes\n"
    b"Imported visit,study_visit,in_person,2020-05-04 09:00,2020-05-04 17:00,Europe/Lisbon,Town hall,closed,Notes.\n"
)


def _import_workshops(s: Session, a: Actor, w: MatrixWorld) -> workshop_io.ImportReport:
    report = workshop_io.import_workshops_csv(
        s, a, w.community_id, PAST_WORKSHOP_CSV, dry_run=False
    )
    assert report.created, f"the import wrote nothing: {report.errors}"
    return report


def _import_actions(s: Session, a: Actor, w: MatrixWorld) -> action_io.Preview:
    """Export the community's actions, rename one in the file, import it.

    The import reports a refusal on the row (so a file that mixes communities
    says which rows were refused); here that is read as the typed error the
    matrix expects: not allowed to import -> PermissionDenied, an action the
    actor may not read -> NotFound. Any other problem fails the case.
    """
    w.action(s, w.owner_for(a))
    exported = action_io.export_actions_csv(s, SYSTEM, w.community_id).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    rows[0]["title"] = "Renamed by import"
    edited = io.StringIO()
    writer = csv.DictWriter(edited, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    preview = action_io.apply_actions_import(s, a, edited.getvalue().encode())
    if preview.applied:
        return preview
    problems = preview.problems()
    if any(f == "id" and m.startswith("You may not import") for _line, f, m in problems):
        raise PermissionDenied(str(problems))
    if any(f == "id" and m.startswith("There is no action") for _line, f, m in problems):
        raise NotFound(str(problems))
    raise AssertionError(f"the import was refused for another reason: {problems}")


def _in_empty_database(w: MatrixWorld, work: Callable[[Engine], Any]) -> Any:
    """Run ``work`` on a fresh, empty SQLite database: seed and restore only fill an empty one."""
    path = w.scratch / f"empty-{next(_unique)}.db"
    shutil.copy(w.template, path)
    url = f"sqlite:///{path}"
    try:
        return work(db.get_engine(url))
    finally:
        db._engines.pop(url).dispose()
        path.unlink()


REGISTRY: dict[str, Case] = {
    # communities
    "community.read": Case(lambda s, a, w: communities.get_community(s, a, w.community_id), "read"),
    "community.create": Case(
        lambda s, a, w: communities.create_community(
            s, a, name="A new community", slug=f"new-{next(_unique)}"
        ),
        "workspace",
    ),
    "community.rename": Case(
        lambda s, a, w: communities.rename_community(
            s, a, w.community_id, w.community(s).version, name="Renamed"
        )
    ),
    "community.archive": Case(
        lambda s, a, w: communities.archive_community(s, a, w.community_id, w.community(s).version)
    ),
    "community.set_visibility": Case(
        lambda s, a, w: communities.set_visibility(
            s,
            a,
            w.community_id,
            w.community(s).version,
            Visibility.PRIVATE if w.visibility == Visibility.WORKSPACE else Visibility.WORKSPACE,
        )
    ),
    # organisations and people (shared by every community)
    "organisation.create": Case(
        lambda s, a, w: people.create_organisation(s, a, name="New city"), "any_community"
    ),
    "organisation.update": Case(
        lambda s, a, w: (
            lambda o: people.update_organisation(s, a, o.id, o.version, name="Renamed city")
        )(w.organisation(s)),
        "any_community",
    ),
    "person.create": Case(
        lambda s, a, w: people.create_person(s, a, name="New person"), "any_community"
    ),
    "person.update": Case(
        lambda s, a, w: (
            lambda p: people.update_person(s, a, p.id, p.version, name="Renamed person")
        )(w.person(s)),
        "any_community",
    ),
    "person.delete": Case(lambda s, a, w: people.delete_person(s, a, w.person(s).id), "workspace"),
    # memberships
    "membership.add": Case(
        lambda s, a, w: communities.add_member(s, a, w.community_id, w.person(s).id, "member")
    ),
    "membership.change_role": Case(
        lambda s, a, w: (lambda m: communities.change_role(s, a, m.id, m.version, "observer"))(
            w.membership(s)
        )
    ),
    "membership.remove": Case(lambda s, a, w: communities.remove_member(s, a, w.membership(s).id)),
    # accounts and the admin console
    "user.create": Case(
        lambda s, a, w: accounts.create_user(
            s, a, username=f"new{next(_unique)}", password=factories.PASSWORD, name="New user"
        ),
        "workspace",
    ),
    "user.list": Case(lambda s, a, w: admin.list_users(s, a), "workspace"),
    "user.deactivate": Case(lambda s, a, w: admin.deactivate_user(s, a, w.user(s).id), "workspace"),
    "user.reactivate": Case(lambda s, a, w: admin.reactivate_user(s, a, w.user(s).id), "workspace"),
    "user.reset_password": Case(
        lambda s, a, w: admin.reset_password(s, a, w.user(s).id), "workspace"
    ),
    "user.unlock": Case(lambda s, a, w: admin.unlock_user(s, a, w.user(s).id), "workspace"),
    "user.change_own_password": Case(
        lambda s, a, w: accounts.change_own_password(
            s, a, factories.PASSWORD, "another long passphrase"
        ),
        "self",
    ),
    "user.update_own_profile": Case(_own_profile, "self"),
    "audit.read": Case(lambda s, a, w: admin.audit_log(s, a, community_id=w.community_id)),
    # invitations
    "invitation.create": Case(
        lambda s, a, w: invitations.invite(s, a, community_id=w.community_id, name="Someone")
    ),
    "invitation.list": Case(lambda s, a, w: invitations.list_invitations(s, a, w.community_id)),
    "invitation.revoke": Case(
        lambda s, a, w: invitations.revoke_invitation(s, a, w.invitation(s).id)
    ),
    # personal data and onboarding
    "person.anonymise": Case(
        lambda s, a, w: personal_data.anonymise_person(s, a, w.person(s).id), "workspace"
    ),
    "person.export_own": Case(lambda s, a, w: personal_data.export_own_data(s, a), "self"),
    "import.people": Case(
        lambda s, a, w: onboarding.apply_import(
            s,
            a,
            w.community_id,
            "people.csv",
            b"name,email\nImported Person,imported@example.org\n",
        )
    ),
    # toolkit (chapter.export: an earlier revision; the latest one is published to every reader)
    "toolkit.create": Case(
        lambda s, a, w: toolkit.create_toolkit(s, a, title="Edition", year=2021), "workspace"
    ),
    "toolkit.update": Case(
        lambda s, a, w: (
            lambda t: toolkit.update_toolkit(s, a, t.id, t.version, title="Renamed edition")
        )(toolkit.create_toolkit(s, SYSTEM, title="E", year=2021)),
        "workspace",
    ),
    "toolkit.publish": Case(
        lambda s, a, w: publishing.plan_publication(s, a, _chapter(s, w, approvals=1).toolkit_id),
        "workspace",
    ),
    "chapter.publish": Case(
        lambda s, a, w: (
            lambda c: publishing.plan_publication(s, a, c.toolkit_id, chapter_id=c.id)
        )(_chapter(s, w, approvals=1))
    ),
    "chapter.edit": Case(
        lambda s, a, w: toolkit_sections.add_section(
            s, a, _chapter(s, w).id, "free_text", title="T"
        )
    ),
    "chapter.submit": Case(
        lambda s, a, w: (lambda c: toolkit.submit_chapter(s, a, c.id, c.version))(_chapter(s, w))
    ),
    "chapter.comment": Case(
        lambda s, a, w: toolkit_sections.add_comment(
            s, a, toolkit.live_sections(s, _chapter(s, w).id)[0].id, "A remark"
        )
    ),  # type: ignore[arg-type]
    "chapter.approve": Case(
        lambda s, a, w: (lambda c: toolkit.approve_chapter(s, a, c.id, c.version))(
            _chapter(s, w, submitted=True)
        )
    ),
    "chapter.restore": Case(
        lambda s, a, w: (lambda c: toolkit_revisions.restore_revision(s, a, c.id, c.version, 1))(
            _chapter(s, w, approvals=1)
        )
    ),
    "chapter.export": Case(
        lambda s, a, w: toolkit_export.chapter_export_document(
            s, a, _chapter(s, w, approvals=2).id, revision=1
        )
    ),
    # workshops (a closed workshop is read-only: every change but reopen targets an open one)
    "workshop.create": Case(
        lambda s, a, w: workshops.record_workshop(
            s,
            a,
            community_id=w.community_id,
            title="Study visit",
            kind="study_visit",
            format="hybrid",
            place="Town hall",
            meeting_link="https://meet.example.org/visit",
            starts_at=datetime(2026, 5, 4, 9),
            ends_at=datetime(2026, 5, 4, 17),
            time_zone="Europe/Lisbon",
        )
    ),
    "workshop.update": Case(
        lambda s, a, w: (
            lambda ws: workshops.update_workshop(s, a, ws.id, ws.version, title="Renamed workshop")
        )(w.workshop(s))
    ),
    "workshop.delete": Case(lambda s, a, w: workshops.delete_workshop(s, a, w.workshop(s).id)),
    "workshop.attend": Case(
        lambda s, a, w: attendance.add_guest(
            s,
            a,
            w.workshop(s, WorkshopStatus.HELD).id,
            name="Guest expert",
            organisation="Volunteer centre",
        )
    ),
    "workshop.attach": Case(
        lambda s, a, w: attachments.add_attachment(
            s,
            a,
            w.workshop(s, WorkshopStatus.HELD).id,
            filename="notes.md",
            content=b"# Notes\n\nWhat we saw.\n",
        )
    ),
    "workshop.close": Case(
        lambda s, a, w: (
            lambda ws: workshops.close_workshop(
                s, a, ws.id, ws.version, minutes="Agreed next steps."
            )
        )(w.workshop(s, WorkshopStatus.HELD))
    ),
    "workshop.reopen": Case(
        lambda s, a, w: (lambda ws: workshops.reopen_workshop(s, a, ws.id, ws.version))(
            w.workshop(s, WorkshopStatus.CLOSED)
        )
    ),
    "workshop.import": Case(_import_workshops),
    "attendance.export": Case(
        lambda s, a, w: workshop_io.export_attendance_csv(
            s, a, w.workshop(s, WorkshopStatus.HELD).id
        )
    ),
    # joint actions: update, post_update and move on the acting member's own action (see owner_for)
    "action.create": Case(
        lambda s, a, w: actions.create_action(
            s,
            a,
            community_id=w.community_id,
            title="Mentoring scheme",
            owner_person_id=w.owner_for(a),
            due_date=date(2026, 9, 30),
        )
    ),
    "action.update": Case(
        lambda s, a, w: (
            lambda x: actions.update_action(s, a, x.id, x.version, title="Renamed action")
        )(w.action(s, w.owner_for(a)))
    ),
    "action.post_update": Case(
        lambda s, a, w: action_updates.post_update(
            s,
            a,
            w.action(s, w.owner_for(a)).id,
            text="First volunteers recruited.",
            new_status="in_progress",
        )
    ),
    "action.move": Case(
        lambda s, a, w: (lambda x: actions.move_action(s, a, x.id, x.version, "in_progress"))(
            w.action(s, w.owner_for(a))
        )
    ),
    "action.delete": Case(
        lambda s, a, w: actions.delete_action(s, a, w.action(s, w.owner_for(a)).id)
    ),
    "action.restore": Case(
        lambda s, a, w: actions.restore_action(s, a, w.action(s, w.owner_for(a), deleted=True).id)
    ),
    "action.export": Case(
        lambda s, a, w: (
            w.action(s, w.owner_for(a)),
            action_io.export_actions_csv(s, a, w.community_id),
        )
    ),
    "action.import": Case(_import_actions),
    # practices and standards (drafts; approval of one in review)
    "practice.create": Case(
        lambda s, a, w: practices.create_practice(
            s, a, w.community_id, title="Buddy scheme", organisation_id=w.home_city_id
        )
    ),
    "practice.update": Case(
        lambda s, a, w: (
            lambda p: practices.update_practice(s, a, p.id, p.version, title="Renamed practice")
        )(w.practice(s))
    ),
    "practice.submit": Case(
        lambda s, a, w: (lambda p: practices.submit_practice(s, a, p.id, p.version))(w.practice(s))
    ),
    "practice.approve": Case(
        lambda s, a, w: (lambda p: practices.approve_practice(s, a, p.id, p.version))(
            w.practice(s, ReviewStatus.IN_REVIEW)
        )
    ),
    "practice.delete": Case(lambda s, a, w: practices.delete_practice(s, a, w.practice(s).id)),
    "standard.create": Case(
        lambda s, a, w: standards.create_standard(
            s, a, w.community_id, title="Recognition", statement="Volunteers' work is recognised."
        )
    ),
    "standard.update": Case(
        lambda s, a, w: (
            lambda x: standards.update_standard(s, a, x.id, x.version, title="Renamed standard")
        )(w.standard(s))
    ),
    "standard.submit": Case(
        lambda s, a, w: (lambda x: standards.submit_standard(s, a, x.id, x.version))(w.standard(s))
    ),
    "standard.approve": Case(
        lambda s, a, w: (lambda x: standards.approve_standard(s, a, x.id, x.version))(
            w.standard(s, ReviewStatus.IN_REVIEW)
        )
    ),
    "standard.reorder": Case(
        lambda s, a, w: (
            lambda first, second: standards.move_standard(s, a, second.id, second.version, "up")
        )(w.standard(s), w.standard(s))
    ),
    "standard.delete": Case(lambda s, a, w: standards.delete_standard(s, a, w.standard(s).id)),
    # self-assessment: members score their own city, facilitators another one (see scored_city)
    "score.record": Case(
        lambda s, a, w: self_assessment.record_score(
            s, a, w.standard(s).id, w.scored_city(a), 2, evidence="Training twice a year."
        )
    ),
    # notifications: the own inbox, and the operator jobs
    "calendar.subscribe_own": Case(lambda s, a, w: calendars.new_feed_address(s, a), "self"),
    # the accessibility statement's feedback: anyone, signed in or not (issue 23)
    "accessibility_feedback.send": Case(
        lambda s, a, w: accessibility.send_feedback(s, a, message="Focus is hard to see."), "self"
    ),
    "notification.read_own": Case(lambda s, a, w: notifications.mark_read(s, a), "self"),
    "notification.send_overdue": Case(lambda s, a, w: reminders.overdue_actions(s, a), "workspace"),
    "notification.send_digest": Case(
        lambda s, a, w: notifications.weekly_digest(s, a), "workspace"
    ),
    # the outbox: admins see e-mail that failed and send it again
    "outbox.list": Case(lambda s, a, w: outbox.outbox_summary(s, a), "workspace"),
    "outbox.retry": Case(lambda s, a, w: outbox.retry_now(s, a, _queued_email(s)), "workspace"),
    # how people sign in (the password form stays on: switching it off needs a linked account)
    "sign_in.configure": Case(
        lambda s, a, w: oidc.update_policy(
            s, a, oidc.policy(s).version, password_form=True, domains="", provider_configured=True
        ),
        "workspace",
    ),
    # whole-workspace operations: they take the engine, not the case's session
    "backup.create": Case(
        lambda s, a, w: portability.backup(
            w.engine, w.scratch / f"backup-{next(_unique)}.zip", actor=a
        ),
        "workspace",
    ),
    "backup.restore": Case(
        lambda s, a, w: _in_empty_database(
            w, lambda target: portability.restore(target, w.archive, actor=a)
        ),
        "workspace",
    ),
    "seed.run": Case(
        lambda s, a, w: _in_empty_database(
            w, lambda target: seed_workspace(target, "small", actor=a)
        ),
        "workspace",
    ),
}


def _chapter(s: Session, w: MatrixWorld, *, submitted: bool = False, approvals: int = 0) -> Chapter:
    """A chapter of the target community with one section, made by SYSTEM (submitted or approved n times)."""
    edition = toolkit.create_toolkit(s, SYSTEM, title=f"Edition {next(_unique)}", year=2021)
    chapter = toolkit.add_chapter(s, SYSTEM, edition.id, w.community_id)
    section = toolkit_sections.add_section(
        s, SYSTEM, chapter.id, "free_text", title="Text", body="Words."
    )
    for number in range(approvals):
        if number:
            toolkit_sections.update_section(
                s, SYSTEM, section.id, section.version, body=f"Words {number}."
            )
        toolkit.submit_chapter(s, SYSTEM, chapter.id, chapter.version)
        toolkit.approve_chapter(s, SYSTEM, chapter.id, chapter.version)
    if submitted:
        toolkit.submit_chapter(s, SYSTEM, chapter.id, chapter.version)
    return chapter


ALL_OPERATIONS = sorted(set(PERMISSIONS) | set(SELF_SERVICE))
WHO = ["admin", "facilitator", "member", "observer", "outsider"]
WHERE = ["inside", "outside"]


def expected_allowed(operation: str, scope: str, who: str, where: str, visibility: str) -> bool:
    """The table's answer, read for this operation's scope."""
    if who == "admin" or scope == "self":
        return True
    if scope == "workspace" or who == "outsider":
        return scope == "read" and visibility == Visibility.WORKSPACE
    holds = Role(who) in PERMISSIONS[operation]
    if scope == "any_community":
        return holds
    if where == "inside" and holds:
        return True
    return scope == "read" and visibility == Visibility.WORKSPACE


# --- one world per database, built once for the module ------------------------------------------


@dataclass
class Worlds:
    engine: Engine
    by_visibility: dict[str, MatrixWorld]


def _load(engine: Engine, user_id: int) -> Actor:
    with read_session(engine) as s:
        actor = accounts.load_actor(s, user_id)
    assert actor is not None
    return actor


def _build(engine: Engine, scratch: Path, template: Path) -> Worlds:
    """Two target communities (workspace, private) sharing their inside actors, and one elsewhere; then a backup."""
    open_one = factories.community(engine, visibility=Visibility.WORKSPACE)
    private_one = factories.community(engine, visibility=Visibility.PRIVATE)
    elsewhere = factories.community(engine)
    home_city, other_city = factories.organisation(engine), factories.organisation(engine)
    with write_session(engine) as s:
        other = people.create_person(
            s, SYSTEM, name="Other city's coordinator", organisation_id=other_city
        )
        for target in (open_one, private_one):
            communities.add_member(s, SYSTEM, target.id, other.id, Role.MEMBER)  # type: ignore[arg-type]
    actors: dict[str, Actor] = {
        "admin": factories.actor(engine, admin=True),
        "outsider": factories.actor(engine),
    }
    for role in (Role.FACILITATOR, Role.MEMBER, Role.OBSERVER):
        inside = factories.actor(engine, role, open_one.id, organisation_id=home_city)
        with write_session(engine) as s:
            communities.add_member(s, SYSTEM, private_one.id, inside.person_id, role)  # type: ignore[arg-type]
        actors[f"{role}-inside"] = _load(engine, inside.user_id)
        actors[f"{role}-outside"] = factories.actor(engine, role, elsewhere.id)
    archive = scratch / "world.zip"
    portability.backup(engine, archive)
    shared = {
        "engine": engine,
        "scratch": scratch,
        "template": template,
        "archive": archive,
        "home_city_id": home_city,
        "other_city_id": other_city,
        "other_person_id": other.id,
        "actors": actors,
    }
    return Worlds(
        engine,
        {
            Visibility.WORKSPACE: MatrixWorld(open_one.id, Visibility.WORKSPACE, **shared),  # type: ignore[arg-type]
            Visibility.PRIVATE: MatrixWorld(private_one.id, Visibility.PRIVATE, **shared),  # type: ignore[arg-type]
        },
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def worlds(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[Worlds]:
    scratch = tmp_path_factory.mktemp("matrix")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "BCRYPT_COST", 4)
        if request.param == "sqlite":
            path = scratch / "cop.db"
            shutil.copy(sqlite_template, path)
            url = f"sqlite:///{path}"
        else:
            url = request.getfixturevalue("pg_url")
            empty_postgres(db.get_engine(url))
        engine = db.get_engine(url)
        built = _build(engine, scratch, sqlite_template)
    yield built
    if request.param == "sqlite":
        db._engines.pop(url, None)
        engine.dispose()


def _attempt(engine: Engine, case: Case, actor: Actor, world: MatrixWorld) -> BaseException | None:
    """Run the operation in a transaction that is always rolled back; the exception, if any."""
    with Session(engine.execution_options(cop_write=True), expire_on_commit=False) as s:
        try:
            case.call(s, actor, world)
            s.flush()
        except Exception as exc:  # noqa: BLE001 - every outcome is compared with the table below
            return exc
        finally:
            s.rollback()
    return None


@pytest.mark.parametrize("visibility", [Visibility.WORKSPACE, Visibility.PRIVATE])
@pytest.mark.parametrize("operation", ALL_OPERATIONS)
def test_permission_matrix(worlds: Worlds, operation: str, visibility: str) -> None:
    case = REGISTRY.get(operation)
    if case is None:
        pytest.fail(
            f"operation {operation!r} of cop.core.permissions has no entry in REGISTRY of "
            "tests/core/test_permission_matrix.py: add a Case that performs it through its real service function"
        )
    world = worlds.by_visibility[visibility]
    mismatches = []
    for who in WHO:
        for where in ["inside"] if who in {"admin", "outsider"} else WHERE:
            actor = world.actors[who if who in {"admin", "outsider"} else f"{who}-{where}"]
            allowed = expected_allowed(operation, case.scope, who, where, visibility)
            outcome = _attempt(worlds.engine, case, actor, world)
            label = f"{who} ({'no role' if who in {'admin', 'outsider'} else where}), {visibility} community"
            if allowed and outcome is not None:
                mismatches.append(
                    f"{label}: expected success, got {type(outcome).__name__}: {outcome}"
                )
            elif not allowed and not isinstance(outcome, PermissionDenied | NotFound):
                got = "success" if outcome is None else f"{type(outcome).__name__}: {outcome}"
                mismatches.append(f"{label}: expected PermissionDenied or NotFound, got {got}")
            elif (
                not allowed
                and case.scope == "read"
                and visibility == Visibility.PRIVATE
                and not isinstance(outcome, NotFound)
            ):
                mismatches.append(
                    f"{label}: a private community must not exist for them (NotFound), "
                    f"got {type(outcome).__name__}"
                )
    assert not mismatches, f"{operation}:\n  " + "\n  ".join(mismatches)


OWNERSHIP_RULES: dict[str, Call] = {
    "action.update": lambda s, a, w: (
        lambda x: actions.update_action(s, a, x.id, x.version, title="Taken over")
    )(w.action(s, w.other_person_id)),
    "action.post_update": lambda s, a, w: action_updates.post_update(
        s, a, w.action(s, w.other_person_id).id, text="Done!", new_status="done"
    ),
    "action.move": lambda s, a, w: (lambda x: actions.move_action(s, a, x.id, x.version, "done"))(
        w.action(s, w.other_person_id)
    ),
    "score.record": lambda s, a, w: self_assessment.record_score(
        s, a, w.standard(s).id, w.other_city_id, 4
    ),
}


@pytest.mark.parametrize("operation", sorted(OWNERSHIP_RULES))
def test_a_member_holding_the_operation_still_acts_only_on_what_is_theirs(
    worlds: Worlds, operation: str
) -> None:
    """The rules applied after the table: actions of other owners, another city's score."""
    world = worlds.by_visibility[Visibility.WORKSPACE]
    outcome = _attempt(
        worlds.engine, Case(OWNERSHIP_RULES[operation]), world.actors["member-inside"], world
    )
    assert isinstance(outcome, PermissionDenied), (
        f"{operation}: expected PermissionDenied, got {outcome!r}"
    )


def test_every_registry_entry_names_a_real_operation() -> None:
    assert set(REGISTRY) - set(ALL_OPERATIONS) == set()


def test_ids_from_query_parameters_are_checked_like_any_other_input(worlds: Worlds) -> None:
    """Made-up, foreign or malformed ids are refused, never looked up past the authorisation."""
    world = worlds.by_visibility[Visibility.PRIVATE]
    outsider = world.actors["outsider"]
    with read_session(worlds.engine) as s:
        biggest = s.exec(select(sa.func.max(Community.id))).one()
        for bad in (world.community_id, biggest + 1000, "1 OR 1=1", "../1", -1, "", None):  # type: ignore[operator]
            with pytest.raises(NotFound):
                communities.get_community(s, outsider, bad)  # type: ignore[arg-type]
            with pytest.raises((NotFound, PermissionDenied)):
                admin.audit_log(s, outsider, community_id=bad)  # type: ignore[arg-type]


def _queued_email(s: Session) -> int:
    """An e-mail waiting in the outbox, written by the case's rolled-back transaction."""
    message = outbox.enqueue(
        s, to="lena@example.org", subject="Minutes", body_text="The minutes.", kind="test"
    )
    s.flush()
    return message.id  # type: ignore[return-value]
