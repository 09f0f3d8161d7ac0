"""Cities scoring themselves against their community's standards, and who sees which score.

Scores run from 0 (not started) to 4 (embedded). Every score is a new row, so
the history shows progress; the latest row per city and standard (by the
assessment date, then by entry) is the city's current score.

Who records: members (and facilitators) hold ``score.record``; a member
scores only their own city (``actor.organisation_id``); facilitators and
admins score any city of the community (an organisation of one of its
members).

Who sees a score:
- admins and the community's facilitators see every score;
- anyone in the community (member or observer) sees every score of their own
  city, shared or not;
- everyone else who may read the community (members of its other cities, and
  readers from outside a workspace-visible community) sees only scores the
  city marked ``shared_beyond_community``.
So an unshared score stays between the city and the facilitators. The
heatmap shows a cell only when the city's *current* score is visible to the
viewer: an older shared score is never passed off as the current one. A
city's trend lists every score the viewer may see, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cop.communities.models import Community, Membership, Organisation, OrganisationKind, Person
from cop.communities.service import get_community
from cop.core import clock
from cop.core.audit import record_event, snapshot
from cop.core.errors import NotFound, PermissionDenied
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize
from cop.core.validation import Checker, record_id
from cop.practices import review as review_status
from cop.practices.models import SelfAssessment, Standard
from cop.practices.rules import check_flag
from cop.practices.standards import get_standard, readable_standards

SCORE_LABELS: dict[int, str] = {
    0: "not started",
    1: "planning",
    2: "piloting",
    3: "established",
    4: "embedded",
}


@dataclass(frozen=True, slots=True)
class HeatmapCell:
    """One city's current score against one standard, so the heatmap reads fields the type checker knows."""

    organisation_id: int
    city: str
    standard_id: int
    position: int
    standard: str
    score: int
    label: str
    assessed_on: date
    shared: bool


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One score of one city against one standard on a day: a point of its progress line."""

    id: int
    standard_id: int
    position: int
    standard: str
    score: int
    label: str
    assessed_on: date
    evidence: str
    shared: bool


def community_cities(session: Session, community_id: int) -> list[Organisation]:
    """The cities its members work for: the ones that assess themselves (partners' NGOs do not)."""
    return list(
        session.exec(
            select(Organisation)
            .where(
                col(Organisation.deleted_at).is_(None),
                Organisation.kind == OrganisationKind.CITY,
                col(Organisation.id).in_(
                    select(Person.organisation_id)
                    .join(Membership, col(Membership.person_id) == Person.id)
                    .where(
                        Membership.community_id == community_id,
                        col(Membership.deleted_at).is_(None),
                        col(Person.deleted_at).is_(None),
                    )
                ),
            )
            .order_by(Organisation.name)
        )
    )


def cities(session: Session, actor: Actor, community_id: int) -> list[Organisation]:
    """The community's cities, for pickers and the heatmap's rows."""
    community = get_community(session, actor, community_id)
    assert community.id is not None  # read from the database
    return community_cities(session, community.id)


def visible_scores(
    actor: Actor, community: Community, shared: Any, organisation_id: Any
) -> sa.ColumnElement[bool]:
    """The SQL rule of the module docstring, over any score columns (a table's or a subquery's)."""
    if review_status.reviews(actor, community):
        return sa.true()
    if actor.role_in(community.id) is not None and actor.organisation_id is not None:
        return sa.or_(shared.is_(True), organisation_id == actor.organisation_id)
    return shared.is_(True)


def record_score(
    session: Session,
    actor: Actor,
    standard_id: int,
    organisation_id: int,
    score: Any,
    evidence: str = "",
    assessed_on: date | str | None = None,
    shared: bool = False,
) -> SelfAssessment:
    """A city's new score against a standard; earlier scores stay as its history.

    ``assessed_on`` defaults to today and may not lie in the future.
    """
    standard, community = get_standard(session, actor, standard_id)
    authorize(actor, "score.record", community)
    if not review_status.reviews(actor, community) and str(organisation_id) != str(
        actor.organisation_id
    ):
        raise PermissionDenied(
            N_("Members score only their own city; a facilitator can record other cities' scores.")
        )
    chk = Checker()
    assert community.id is not None and standard.id is not None  # both read from the database
    city_ids = {o.id for o in community_cities(session, community.id)}
    city_id = record_id(organisation_id)
    if city_id is None or city_id not in city_ids:
        chk.fail(
            "organisation_id",
            Message(N_("Choose a city that takes part in {community}."), community=community.name),
        )
    value = chk.count("score", score, label=N_("The score"), minimum=0, maximum=4)
    evidence = chk.long_text("evidence", evidence, label=N_("The evidence"))
    day = chk.day(
        "assessed_on",
        clock.today() if assessed_on is None else assessed_on,
        label=N_("The date of the assessment"),
    )
    if day is not None and day > clock.today():
        chk.fail("assessed_on", N_("The date of the assessment cannot be in the future."))
    is_shared = check_flag(chk, "shared", shared, N_("Shared beyond the community"))
    chk.raise_if_any()
    assert city_id is not None and day is not None  # else raise_if_any raised
    row = SelfAssessment(
        community_id=community.id,
        standard_id=standard.id,
        organisation_id=city_id,
        score=value,
        evidence=evidence,
        assessed_on=day,
        shared_beyond_community=bool(is_shared),
        created_by_id=actor.user_id or None,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor,
        "score.record",
        row,
        community_id=community.id,
        changes={k: [None, v] for k, v in snapshot(row).items() if v not in (None, "")},
    )
    return row


def _live_standards(actor: Actor, community: Community) -> sa.ColumnElement[bool]:
    return sa.and_(col(Standard.community_id) == community.id, readable_standards(actor))


def heatmap(session: Session, actor: Actor, community_id: int) -> list[HeatmapCell]:
    """The current score of every city x standard the actor may see, computed in SQL.

    One cell per city and standard with a visible current score.
    """
    community = get_community(session, actor, community_id)
    latest = (
        sa.select(
            col(SelfAssessment.standard_id),
            col(SelfAssessment.organisation_id),
            col(SelfAssessment.score),
            col(SelfAssessment.assessed_on),
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
        .where(col(SelfAssessment.community_id) == community.id)
        .subquery()
    )
    stmt = (
        sa.select(
            latest.c.organisation_id,
            col(Organisation.name),
            col(Standard.id),
            col(Standard.position),
            col(Standard.title),
            latest.c.score,
            latest.c.assessed_on,
            latest.c.shared_beyond_community,
        )
        .join(Standard, col(Standard.id) == latest.c.standard_id)
        .join(Community, col(Community.id) == Standard.community_id)
        .join(Organisation, col(Organisation.id) == latest.c.organisation_id)
        .where(
            latest.c.recency == 1,
            _live_standards(actor, community),
            col(Organisation.deleted_at).is_(None),
            visible_scores(
                actor, community, latest.c.shared_beyond_community, latest.c.organisation_id
            ),
        )
        .order_by(col(Organisation.name), col(Organisation.id), col(Standard.position))
    )
    return [
        HeatmapCell(
            organisation_id=oid,
            city=city,
            standard_id=sid,
            position=pos,
            standard=title,
            score=score,
            label=SCORE_LABELS[score],
            assessed_on=day,
            shared=shared,
        )
        for oid, city, sid, pos, title, score, day, shared in session.execute(stmt)
    ]


def city_trend(
    session: Session, actor: Actor, community_id: int, organisation_id: int
) -> list[TrendPoint]:
    """Every score of one city the actor may see, oldest first, for its progress line."""
    community = get_community(session, actor, community_id)
    if not str(organisation_id).isdigit():
        raise NotFound(
            Message(
                N_("There is no {label} with id {id}."),
                label=N_("city"),
                id=str(organisation_id)[:40],
            )
        )
    stmt = (
        sa.select(
            col(SelfAssessment.id),
            col(SelfAssessment.standard_id),
            col(Standard.position),
            col(Standard.title),
            col(SelfAssessment.score),
            col(SelfAssessment.assessed_on),
            col(SelfAssessment.evidence),
            col(SelfAssessment.shared_beyond_community),
        )
        .join(Standard, col(Standard.id) == SelfAssessment.standard_id)
        .join(Community, col(Community.id) == Standard.community_id)
        .where(
            col(SelfAssessment.community_id) == community.id,
            col(SelfAssessment.organisation_id) == int(organisation_id),
            _live_standards(actor, community),
            visible_scores(
                actor,
                community,
                SelfAssessment.shared_beyond_community,
                SelfAssessment.organisation_id,
            ),
        )
        .order_by(col(SelfAssessment.assessed_on), col(SelfAssessment.id))
    )
    return [
        TrendPoint(
            id=rid,
            standard_id=sid,
            position=pos,
            standard=title,
            score=score,
            label=SCORE_LABELS[score],
            assessed_on=day,
            evidence=evidence,
            shared=shared,
        )
        for rid, sid, pos, title, score, day, evidence, shared in session.execute(stmt)
    ]
