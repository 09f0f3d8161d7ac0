"""A community's key results: the figures its toolkit chapter shows, each computed in SQL.

Nothing here is typed in by anyone: the figures come from the workshops held,
their attendance, the cities taking part, the joint actions and the
self-assessment scores. Scores count only where a city's *current* score is
shared beyond the community (the rule of ``self_assessment``): a toolkit is
read by other cities, so a score a city kept to itself stays out of it, and
an older shared score is never passed off as the current one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cop.actions.models import Action, ActionStatus
from cop.communities.models import Membership, Organisation, OrganisationKind, Person
from cop.communities.service import get_community
from cop.core import clock
from cop.core.permissions import Actor
from cop.practices.models import ReviewStatus, SelfAssessment, Standard
from cop.workshops.models import Attendance, Workshop, WorkshopKind, WorkshopStatus

HELD = (WorkshopStatus.HELD.value, WorkshopStatus.CLOSED.value)
DONE = ActionStatus.DONE.value
CLOSED_ACTION_STATUSES = (ActionStatus.DONE.value, ActionStatus.DROPPED.value)


@dataclass
class KeyResults:
    """The figures of one community, and the series its infographic draws."""

    community: str
    workshops_held: int = 0
    workshops_planned: int = 0
    study_visits: int = 0
    attendances: int = 0
    participants: int = 0
    cities: int = 0
    host_cities: int = 0
    actions: int = 0
    actions_done: int = 0
    actions_overdue: int = 0
    average_progress: float | None = None
    average_score: float | None = None
    workshops_by_year: list[tuple[int, int]] = field(default_factory=list)
    actions_by_status: list[tuple[str, int]] = field(default_factory=list)
    scores_by_standard: list[tuple[str, float, int]] = field(default_factory=list)  # title, mean, cities

    def figures(self) -> list[tuple[str, str]]:
        """Label and value of each figure, as the chapter's table shows them."""
        rows = [
            ("Workshops and visits held", f"{self.workshops_held:,}"),
            ("Study visits among them", f"{self.study_visits:,}"),
            ("Workshops planned", f"{self.workshops_planned:,}"),
            ("Attendances", f"{self.attendances:,}"),
            ("Different participants", f"{self.participants:,}"),
            ("Cities taking part", f"{self.cities:,}"),
            ("Cities that hosted", f"{self.host_cities:,}"),
            ("Joint actions", f"{self.actions:,}"),
            ("Actions done", f"{self.actions_done:,}"),
            ("Actions overdue", f"{self.actions_overdue:,}"),
        ]
        if self.average_progress is not None:
            rows.append(("Average progress of open actions", f"{self.average_progress:.0f} %"))
        if self.average_score is not None:
            rows.append(("Average self-assessment score (0-4, shared scores)", f"{self.average_score:.1f}"))
        return rows


def _scalar(session: Session, stmt: sa.Select) -> int:
    return int(session.exec(stmt).one() or 0)  # type: ignore[call-overload]


def _workshop_figures(session: Session, community_id: int, results: KeyResults) -> None:
    live = sa.and_(Workshop.community_id == community_id, col(Workshop.deleted_at).is_(None))
    held = sa.and_(live, col(Workshop.status).in_(HELD))
    row = session.exec(
        select(
            func.count().filter(held),
            func.count().filter(sa.and_(live, Workshop.status == WorkshopStatus.PLANNED)),
            func.count().filter(sa.and_(held, Workshop.kind == WorkshopKind.STUDY_VISIT)),
            func.count(func.distinct(Workshop.host_organisation_id)).filter(held),
        ).where(live)
    ).one()
    results.workshops_held, results.workshops_planned, results.study_visits, results.host_cities = (
        int(v or 0) for v in row
    )
    year = func.extract("year", Workshop.starts_at)
    results.workshops_by_year = [
        (int(y), int(n)) for y, n in session.exec(
            select(year, func.count()).where(held).group_by(year).order_by(year)
        )
    ]
    attended = sa.and_(held, Attendance.attended.is_(True), col(Attendance.deleted_at).is_(None))  # type: ignore[attr-defined]
    who = func.coalesce(
        sa.cast(Attendance.person_id, sa.String), sa.literal("guest:") + func.lower(Attendance.guest_name)
    )
    row = session.exec(
        select(func.count(), func.count(func.distinct(who)))
        .select_from(Attendance)
        .join(Workshop, col(Workshop.id) == Attendance.workshop_id)
        .where(attended)
    ).one()
    results.attendances, results.participants = int(row[0] or 0), int(row[1] or 0)


def _city_figures(session: Session, community_id: int, results: KeyResults) -> None:
    results.cities = _scalar(session, (
        select(func.count(func.distinct(Person.organisation_id)))
        .select_from(Membership)
        .join(Person, col(Person.id) == Membership.person_id)
        .join(Organisation, col(Organisation.id) == Person.organisation_id)
        .where(Membership.community_id == community_id, col(Membership.deleted_at).is_(None),
               col(Person.deleted_at).is_(None), Organisation.kind == OrganisationKind.CITY)
    ))


def _action_figures(session: Session, community_id: int, results: KeyResults) -> None:
    live = sa.and_(Action.community_id == community_id, col(Action.deleted_at).is_(None))
    open_ = col(Action.status).not_in(CLOSED_ACTION_STATUSES)
    row = session.exec(
        select(
            func.count(),
            func.count().filter(Action.status == DONE),
            func.count().filter(sa.and_(open_, col(Action.due_date) < clock.today())),
            func.avg(sa.case((open_, Action.progress), else_=None)),
        ).where(live)
    ).one()
    results.actions, results.actions_done, results.actions_overdue = (int(v or 0) for v in row[:3])
    results.average_progress = float(row[3]) if row[3] is not None else None
    results.actions_by_status = [
        (str(status), int(n)) for status, n in session.exec(
            select(Action.status, func.count()).where(live).group_by(Action.status).order_by(Action.status)
        )
    ]


def _score_figures(session: Session, community_id: int, results: KeyResults) -> None:
    latest = (
        select(
            SelfAssessment.standard_id, SelfAssessment.organisation_id, SelfAssessment.score,
            SelfAssessment.shared_beyond_community,
            func.row_number().over(
                partition_by=(SelfAssessment.standard_id, SelfAssessment.organisation_id),
                order_by=(col(SelfAssessment.assessed_on).desc(), col(SelfAssessment.id).desc()),
            ).label("recency"),
        )
        .where(SelfAssessment.community_id == community_id)
        .subquery()
    )
    current = sa.and_(
        latest.c.recency == 1, latest.c.shared_beyond_community.is_(True),
        col(Standard.deleted_at).is_(None), Standard.status == ReviewStatus.APPROVED,
        col(Organisation.deleted_at).is_(None),
    )
    base = (
        select(Standard.title, func.avg(latest.c.score), func.count(), Standard.position, Standard.id)
        .select_from(latest)
        .join(Standard, col(Standard.id) == latest.c.standard_id)
        .join(Organisation, col(Organisation.id) == latest.c.organisation_id)
        .where(current)
        .group_by(Standard.id, Standard.title, Standard.position)
        .order_by(Standard.position, Standard.id)
    )
    results.scores_by_standard = [(title, float(mean), int(n)) for title, mean, n, _p, _i in session.exec(base)]
    overall = session.exec(
        select(func.avg(latest.c.score))
        .select_from(latest)
        .join(Standard, col(Standard.id) == latest.c.standard_id)
        .join(Organisation, col(Organisation.id) == latest.c.organisation_id)
        .where(current)
    ).one()
    results.average_score = float(overall) if overall is not None else None


def key_results(session: Session, actor: Actor, community_id: int) -> KeyResults:
    """The community's key results, as far as the actor may read the community."""
    community = get_community(session, actor, community_id)
    results = KeyResults(community=community.name)
    _workshop_figures(session, community.id, results)  # type: ignore[arg-type]
    _city_figures(session, community.id, results)  # type: ignore[arg-type]
    _action_figures(session, community.id, results)  # type: ignore[arg-type]
    _score_figures(session, community.id, results)  # type: ignore[arg-type]
    return results
