"""A community's key results: the figures its toolkit chapter shows, each computed in SQL.

Nothing here is typed in by anyone: the figures come from the workshops held,
their attendance, the cities taking part, the joint actions and the
self-assessment scores. Scores count only where a city's *current* score is
shared beyond the community (the rule of ``self_assessment``): a toolkit is
read by other cities, so a score a city kept to itself stays out of it, and
an older shared score is never passed off as the current one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from cop.actions import progress as action_progress
from cop.actions.models import Action, ActionStatus
from cop.communities.models import Community, Membership, Organisation, OrganisationKind, Person
from cop.communities.service import get_community
from cop.core import clock
from cop.core.db import memo
from cop.core.permissions import Actor
from cop.export import charts
from cop.export.key_results import KeyResults
from cop.map.chart import outline
from cop.practices.models import Practice, ReviewStatus, SelfAssessment, Standard
from cop.workshops.models import Attendance, Workshop, WorkshopKind, WorkshopStatus

HELD = (WorkshopStatus.HELD.value, WorkshopStatus.CLOSED.value)
DONE = ActionStatus.DONE.value
CLOSED_ACTION_STATUSES = (ActionStatus.DONE.value, ActionStatus.DROPPED.value)
T = TypeVar("T")


def _member_cities(community_id: int, *columns: Any) -> Any:
    """``columns`` of the cities whose people are live members of the community."""
    return (
        select(*columns)
        .select_from(Membership)
        .join(Person, col(Person.id) == Membership.person_id)
        .join(Organisation, col(Organisation.id) == Person.organisation_id)
        .where(
            Membership.community_id == community_id,
            col(Membership.deleted_at).is_(None),
            col(Person.deleted_at).is_(None),
            col(Organisation.kind) == OrganisationKind.CITY,
        )
    )


def _scalar(session: Session, stmt: SelectOfScalar[Any]) -> int:
    return int(session.exec(stmt).one() or 0)


def _workshop_figures(session: Session, community_id: int, results: KeyResults) -> None:
    live = sa.and_(col(Workshop.community_id) == community_id, col(Workshop.deleted_at).is_(None))
    held = sa.and_(live, col(Workshop.status).in_(HELD))
    row = session.exec(
        select(
            func.count().filter(held),
            func.count().filter(sa.and_(live, col(Workshop.status) == WorkshopStatus.PLANNED)),
            func.count().filter(sa.and_(held, col(Workshop.kind) == WorkshopKind.STUDY_VISIT)),
            func.count(func.distinct(Workshop.host_organisation_id)).filter(held),
        ).where(live)
    ).one()
    results.workshops_held, results.workshops_planned, results.study_visits, results.host_cities = (
        int(v or 0) for v in row
    )
    year = func.extract("year", col(Workshop.starts_at))
    results.workshops_by_year = [
        (int(y), int(n))
        for y, n in session.exec(
            select(year, func.count()).where(held).group_by(year).order_by(year)
        )
    ]
    visit = sa.case((col(Workshop.kind) == WorkshopKind.STUDY_VISIT, 1), else_=0)
    results.held_by_year = [
        (int(y), int(n) - int(v or 0), int(v or 0))
        for y, n, v in session.exec(
            select(year, func.count(), func.sum(visit)).where(held).group_by(year).order_by(year)
        )
    ]
    attended = sa.and_(
        held, col(Attendance.attended).is_(True), col(Attendance.deleted_at).is_(None)
    )
    who = func.coalesce(
        sa.cast(Attendance.person_id, sa.String),
        sa.literal("guest:") + func.lower(Attendance.guest_name),
    )
    people = session.exec(
        select(func.count(), func.count(func.distinct(who)))
        .select_from(Attendance)
        .join(Workshop, col(Workshop.id) == Attendance.workshop_id)
        .where(attended)
    ).one()
    results.attendances, results.participants = int(people[0] or 0), int(people[1] or 0)


def _city_figures(session: Session, community_id: int, results: KeyResults) -> None:
    results.city_places = [
        (name, lat, lon)
        for name, lat, lon in session.exec(
            _member_cities(
                community_id, Organisation.name, Organisation.latitude, Organisation.longitude
            )
            .distinct()
            .order_by(Organisation.name)
        )
    ]
    results.cities = _scalar(
        session,
        _member_cities(community_id, func.count(func.distinct(Person.organisation_id))),
    )


def _action_figures(session: Session, community_id: int, results: KeyResults) -> None:
    live = sa.and_(col(Action.community_id) == community_id, col(Action.deleted_at).is_(None))
    open_ = col(Action.status).not_in(CLOSED_ACTION_STATUSES)
    # A parent's percentage is its sub-actions' mean (a roll-up): averaging it beside them
    # would count the same work twice, so the average takes each sub-action instead.
    rolled_up = action_progress.rolled_up()
    row = session.exec(
        select(
            func.count(),
            func.count().filter(col(Action.status) == DONE),
            func.count().filter(sa.and_(open_, col(Action.due_date) < clock.today())),
            func.avg(sa.case((sa.and_(open_, ~rolled_up), Action.progress), else_=None)),
        ).where(live)
    ).one()
    results.actions, results.actions_done, results.actions_overdue = (int(v or 0) for v in row[:3])
    results.average_progress = float(row[3]) if row[3] is not None else None
    results.actions_by_status = [
        (str(status), int(n))
        for status, n in session.exec(
            select(Action.status, func.count())
            .where(live)
            .group_by(Action.status)
            .order_by(Action.status)
        )
    ]


def _practice_figures(session: Session, community_id: int, results: KeyResults) -> None:
    results.practices = _scalar(
        session,
        select(func.count()).where(
            Practice.community_id == community_id,
            col(Practice.deleted_at).is_(None),
            Practice.status == ReviewStatus.APPROVED,
        ),
    )


def _score_figures(session: Session, community_id: int, results: KeyResults) -> None:
    latest = (
        sa.select(
            col(SelfAssessment.standard_id),
            col(SelfAssessment.organisation_id),
            col(SelfAssessment.score),
            col(SelfAssessment.shared_beyond_community),
            func.row_number()
            .over(
                partition_by=(
                    col(SelfAssessment.standard_id),
                    col(SelfAssessment.organisation_id),
                ),
                order_by=(col(SelfAssessment.assessed_on).desc(), col(SelfAssessment.id).desc()),
            )
            .label("recency"),
        )
        .where(col(SelfAssessment.community_id) == community_id)
        .subquery()
    )
    current = sa.and_(
        latest.c.recency == 1,
        latest.c.shared_beyond_community.is_(True),
        col(Standard.deleted_at).is_(None),
        col(Standard.status) == ReviewStatus.APPROVED,
        col(Organisation.deleted_at).is_(None),
    )
    base = (
        sa.select(
            col(Standard.title),
            func.avg(latest.c.score),
            func.count(),
            col(Standard.position),
            col(Standard.id),
        )
        .select_from(latest)
        .join(Standard, col(Standard.id) == latest.c.standard_id)
        .join(Organisation, col(Organisation.id) == latest.c.organisation_id)
        .where(current)
        .group_by(col(Standard.id), col(Standard.title), col(Standard.position))
        .order_by(col(Standard.position), col(Standard.id))
    )
    rows = session.execute(base).all()
    results.scores_by_standard = [(title, float(mean), int(n)) for title, mean, n, _p, _i in rows]
    results.first_scores = _first_scores(
        session, community_id, latest, current, [r[4] for r in rows]
    )
    overall = session.exec(
        select(func.avg(latest.c.score))
        .select_from(latest)
        .join(Standard, col(Standard.id) == latest.c.standard_id)
        .join(Organisation, col(Organisation.id) == latest.c.organisation_id)
        .where(current)
    ).one()
    results.average_score = float(overall) if overall is not None else None


def _first_scores(
    session: Session,
    community_id: int,
    latest: sa.Subquery,
    current: sa.ColumnElement[bool],
    standard_ids: list[int],
) -> list[float | None]:
    """Where the same cities started: the mean of each one's first shared score, per standard
    (the progress the infographic draws next to today's mean)."""
    counted = set(
        session.exec(
            select(latest.c.standard_id, latest.c.organisation_id)
            .select_from(latest)
            .join(Standard, col(Standard.id) == latest.c.standard_id)
            .join(Organisation, col(Organisation.id) == latest.c.organisation_id)
            .where(current)
        ).all()
    )
    first = (
        sa.select(
            col(SelfAssessment.standard_id),
            col(SelfAssessment.organisation_id),
            col(SelfAssessment.score),
            func.row_number()
            .over(
                partition_by=(
                    col(SelfAssessment.standard_id),
                    col(SelfAssessment.organisation_id),
                ),
                order_by=(col(SelfAssessment.assessed_on), col(SelfAssessment.id)),
            )
            .label("seq"),
        )
        .where(
            col(SelfAssessment.community_id) == community_id,
            col(SelfAssessment.shared_beyond_community).is_(True),
        )
        .subquery()
    )
    started: dict[int, list[int]] = {}
    for standard_id, organisation_id, score in session.exec(
        select(first.c.standard_id, first.c.organisation_id, first.c.score).where(first.c.seq == 1)
    ):
        if (standard_id, organisation_id) in counted:
            started.setdefault(standard_id, []).append(score)
    return [sum(started[i]) / len(started[i]) if started.get(i) else None for i in standard_ids]


def key_results(session: Session, actor: Actor, community_id: int) -> KeyResults:
    """The community's key results, as far as the actor may read the community."""
    community = get_community(session, actor, community_id)  # the actor's right, checked each time
    return memo(session, ("key_results", community.id), lambda: _figures(session, community))


def _figures(session: Session, community: Community) -> KeyResults:
    assert community.id is not None  # get_community read it from the database
    results = KeyResults(community=community.name, community_id=community.id)
    _workshop_figures(session, community.id, results)
    _city_figures(session, community.id, results)
    _action_figures(session, community.id, results)
    _score_figures(session, community.id, results)
    _practice_figures(session, community.id, results)
    return results


# Drawn infographics by the figures they show: the draft page draws one on every run and each
# export of a draft another, and the same figures always give the same picture (drawing the
# SVG and its PNG was a seventh of an export's time). Keyed by every figure and the language,
# so a reader only ever gets the picture of the figures they were allowed to read.
DRAWN_KEPT = 32
_drawn: OrderedDict[tuple[str, str, str], Any] = OrderedDict()
_drawn_lock = threading.Lock()


def _drawn_once(kind: str, results: KeyResults, language: str, draw: Callable[[], T]) -> T:
    key = (kind, repr(results), language)
    with _drawn_lock:
        if key in _drawn:
            _drawn.move_to_end(key)
            return cast(T, _drawn[key])
    made = draw()
    with _drawn_lock:
        _drawn[key] = made
        while len(_drawn) > DRAWN_KEPT:
            _drawn.popitem(last=False)
    return made


def infographic(results: KeyResults, language: str) -> tuple[bytes, bytes, str]:
    """The infographic as PNG and SVG, with its text alternative, over the map page's outline."""

    def draw() -> tuple[bytes, bytes, str]:
        png, svg = charts.infographic(results, language, outline())
        return png, svg, charts.text_alternative(results, language)

    return _drawn_once("files", results, language, draw)


def cluster_of(community: Community) -> tuple[str, str]:
    """The community's name and cluster colour, for a cover page."""
    return community.name, charts.cluster_colour(community.id or community.name)


def infographic_for_screen(results: KeyResults, language: str) -> tuple[str, str]:
    """The SVG (no PNG: the page shows the SVG itself) and its text alternative."""
    return _drawn_once(
        "screen",
        results,
        language,
        lambda: (
            charts.infographic_svg(results, language, outline()),
            charts.text_alternative(results, language),
        ),
    )
