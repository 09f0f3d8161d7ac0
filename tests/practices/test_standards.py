"""Standards and self-assessment: review, order, scoring rules, who sees which score, heatmap and trend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from cop.communities import people
from cop.core import clock
from cop.core.db import read_session, write_session
from cop.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from cop.core.permissions import SYSTEM, Actor, Role
from cop.practices import self_assessment as scores
from cop.practices import standards
from cop.practices.models import ReviewStatus, SelfAssessment, Standard
from tests import factories

HYPOTHESIS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
LINE = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=200)
    .map(str.strip)
    .filter(bool)
)
LONG = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300
)


@dataclass
class Cities:
    """A community with two member cities (a member each), a facilitator, an observer of city A and an outsider."""

    community_id: int
    a: int
    b: int
    member_a: Actor
    member_b: Actor
    observer_a: Actor
    facilitator: Actor
    outsider: Actor


@pytest.fixture
def cities(engine: Engine) -> Cities:
    community = factories.community(engine)
    a, b = factories.organisation(engine, "Amsterdam"), factories.organisation(engine, "Braga")
    return Cities(
        community.id,
        a,
        b,
        member_a=factories.actor(engine, Role.MEMBER, community.id, organisation_id=a),
        member_b=factories.actor(engine, Role.MEMBER, community.id, organisation_id=b),
        observer_a=factories.actor(engine, Role.OBSERVER, community.id, organisation_id=a),
        facilitator=factories.actor(engine, Role.FACILITATOR, community.id),
        outsider=factories.actor(engine, organisation_id=a),
    )


def new_standard(
    engine: Engine,
    actor: Actor,
    community_id: int,
    title: str = "Volunteers are trained",
    approve: bool = True,
) -> Standard:
    with write_session(engine) as s:
        standard = standards.create_standard(
            s, actor, community_id, title=title, statement="What good looks like"
        )
        if approve:
            standards.approve_standard(s, SYSTEM, standard.id, standard.version)
        return standard


def score(
    engine: Engine,
    actor: Actor,
    standard_id: int,
    city: int,
    value: Any,
    day: str,
    shared: bool = False,
) -> SelfAssessment:
    with write_session(engine) as s:
        return scores.record_score(s, actor, standard_id, city, value, "evidence", day, shared)


def test_standard_is_reviewed_like_practices(engine: Engine) -> None:
    w = factories.world(engine)
    st_ = new_standard(engine, w.member, w.community.id, approve=False)
    assert st_.status == ReviewStatus.DRAFT
    with write_session(engine) as s:
        standards.submit_standard(s, w.member, st_.id, 1)
        with pytest.raises(PermissionDenied):
            standards.approve_standard(s, w.member, st_.id, 2)
    with write_session(engine) as s:
        standards.send_back_standard(s, w.facilitator, st_.id, 2, note="Name an indicator")
        standards.submit_standard(s, w.member, st_.id, 3)
        standards.approve_standard(s, w.facilitator, st_.id, 4)
        standards.update_standard(
            s, w.member, st_.id, 5, indicators="Hours of training per volunteer"
        )
    with read_session(engine) as s:
        stored = s.get(Standard, st_.id)
        assert (stored.status, stored.indicators) == (
            ReviewStatus.IN_REVIEW,
            "Hours of training per volunteer",
        )


def test_observer_cannot_create_standard_and_outsider_of_private_community_gets_not_found(
    engine: Engine,
) -> None:
    w = factories.world(engine, visibility="private")
    with pytest.raises(PermissionDenied), write_session(engine) as s:
        standards.create_standard(s, w.observer, w.community.id, title="T", statement="S")
    st_ = new_standard(engine, w.facilitator, w.community.id)
    with read_session(engine) as s:
        with pytest.raises(NotFound):
            standards.list_standards(s, w.outsider, w.community.id)
        with pytest.raises(NotFound):
            standards.get_standard(s, w.outsider, st_.id)
        with pytest.raises(NotFound):
            scores.heatmap(s, w.outsider, w.community.id)


def test_reader_outside_a_workspace_community_sees_only_approved_standards(engine: Engine) -> None:
    w = factories.world(engine)
    new_standard(engine, w.member, w.community.id, "Draft one", approve=False)
    new_standard(engine, w.member, w.community.id, "Agreed one")
    with read_session(engine) as s:
        assert [x.title for x in standards.list_standards(s, w.outsider, w.community.id)] == [
            "Agreed one"
        ]
        assert [x.title for x in standards.list_standards(s, w.observer, w.community.id)] == [
            "Draft one",
            "Agreed one",
        ]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": ""}, "title", "must not be empty"),
        ({"statement": "  "}, "statement", "must not be empty"),
        ({"title": "x" * 201}, "title", "at most 200"),
    ],
)
def test_bad_standard_gets_a_field_message(
    engine: Engine, fields: dict[str, str], field: str, words: str
) -> None:
    w = factories.world(engine)
    with pytest.raises(ValidationError) as err, write_session(engine) as s:
        standards.create_standard(
            s, w.member, w.community.id, **{"title": "T", "statement": "S", **fields}
        )
    assert words in err.value.fields[field]


def test_standards_keep_their_order_and_move_by_swapping(engine: Engine) -> None:
    w = factories.world(engine)
    first, second, third = (
        new_standard(engine, w.facilitator, w.community.id, t) for t in ("One", "Two", "Three")
    )
    with write_session(engine) as s:
        standards.move_standard(s, w.facilitator, third.id, 2, "up")
    with read_session(engine) as s:
        assert [x.title for x in standards.list_standards(s, w.member, w.community.id)] == [
            "One",
            "Three",
            "Two",
        ]
    with write_session(engine) as s:
        standards.move_standard(s, w.facilitator, first.id, 2, "down")
    with read_session(engine) as s:
        assert [x.title for x in standards.list_standards(s, w.member, w.community.id)] == [
            "Three",
            "One",
            "Two",
        ]
    with pytest.raises(ConflictError), write_session(engine) as s:
        standards.move_standard(
            s, w.facilitator, third.id, 2, "up"
        )  # stale: it moved since version 2
    with pytest.raises(ValidationError) as err, write_session(engine) as s:
        standards.move_standard(s, w.facilitator, third.id, 4, "up")
    assert "already the first" in err.value.fields["direction"]
    with pytest.raises(PermissionDenied), write_session(engine) as s:
        standards.move_standard(s, w.member, second.id, 3, "up")


def test_deleted_standard_leaves_the_order_and_comes_back_in_place(engine: Engine) -> None:
    w = factories.world(engine)
    one, two = (
        new_standard(engine, w.facilitator, w.community.id, "One"),
        new_standard(engine, w.facilitator, w.community.id, "Two"),
    )
    with write_session(engine) as s:
        standards.delete_standard(s, w.facilitator, one.id)
        three = standards.create_standard(
            s, w.facilitator, w.community.id, title="Three", statement="S"
        )
    with read_session(engine) as s:
        assert [x.title for x in standards.list_standards(s, w.member, w.community.id)] == [
            "Two",
            "Three",
        ]
    with write_session(engine) as s:
        standards.restore_standard(s, w.facilitator, one.id)
    with read_session(engine) as s:
        assert [x.id for x in standards.list_standards(s, w.member, w.community.id)] == [
            one.id,
            two.id,
            three.id,
        ]


def test_member_scores_own_city_but_not_another(engine: Engine, cities: Cities) -> None:
    st_ = new_standard(engine, cities.facilitator, cities.community_id)
    row = score(engine, cities.member_a, st_.id, cities.a, 2, "2025-01-15")
    assert (row.score, row.organisation_id) == (2, cities.a)
    with pytest.raises(PermissionDenied):
        score(engine, cities.member_a, st_.id, cities.b, 3, "2025-01-15")
    with pytest.raises(PermissionDenied):
        score(engine, cities.observer_a, st_.id, cities.a, 3, "2025-01-15")
    with pytest.raises(PermissionDenied):
        score(engine, cities.outsider, st_.id, cities.a, 3, "2025-01-15")
    assert (
        score(engine, cities.facilitator, st_.id, cities.b, 1, "2025-01-15").organisation_id
        == cities.b
    )


@pytest.mark.parametrize(
    ("value", "day", "field", "words"),
    [
        (5, "2025-01-15", "score", "between 0 and 4"),
        (-1, "2025-01-15", "score", "between 0 and 4"),
        ("three", "2025-01-15", "score", "whole number"),
        (float("nan"), "2025-01-15", "score", "whole number"),
        (True, "2025-01-15", "score", "between 0 and 4"),
        (2, "2031-01-01", "assessed_on", "future"),
        (2, "15/01/2025", "assessed_on", "date like"),
    ],
)
def test_bad_score_gets_a_field_message(
    engine: Engine, cities: Cities, value: Any, day: str, field: str, words: str
) -> None:
    clock.freeze(clock.now().replace(year=2026, month=6, day=1))
    st_ = new_standard(engine, cities.facilitator, cities.community_id)
    with pytest.raises(ValidationError) as err:
        score(engine, cities.member_a, st_.id, cities.a, value, day)
    assert words in err.value.fields[field]
    with read_session(engine) as s:
        assert s.exec(select(func.count(SelfAssessment.id))).one() == 0


def test_facilitator_cannot_score_an_organisation_outside_the_community(
    engine: Engine, cities: Cities
) -> None:
    st_ = new_standard(engine, cities.facilitator, cities.community_id)
    stranger = factories.organisation(engine, "Nowhere")
    with pytest.raises(ValidationError) as err:
        score(engine, cities.facilitator, st_.id, stranger, 2, "2025-01-15")
    assert "organisation_id" in err.value.fields


def test_history_is_kept_and_the_trend_is_ordered_by_date(engine: Engine, cities: Cities) -> None:
    st_ = new_standard(engine, cities.facilitator, cities.community_id)
    for value, day in ((3, "2025-07-01"), (1, "2025-01-01"), (2, "2025-04-01")):
        score(engine, cities.member_a, st_.id, cities.a, value, day)
    with read_session(engine) as s:
        trend = scores.city_trend(s, cities.member_a, cities.community_id, cities.a)
    assert [(r.assessed_on, r.score) for r in trend] == [
        (date(2025, 1, 1), 1),
        (date(2025, 4, 1), 2),
        (date(2025, 7, 1), 3),
    ]
    assert trend[-1].label == "established"


def test_heatmap_shows_the_latest_score_per_city_and_standard(
    engine: Engine, cities: Cities
) -> None:
    one = new_standard(engine, cities.facilitator, cities.community_id, "One")
    two = new_standard(engine, cities.facilitator, cities.community_id, "Two")
    score(engine, cities.member_a, one.id, cities.a, 4, "2025-09-01")
    score(
        engine, cities.member_a, one.id, cities.a, 1, "2025-03-01"
    )  # entered later, assessed earlier
    score(engine, cities.member_a, one.id, cities.a, 2, "2025-06-01")
    score(engine, cities.member_a, two.id, cities.a, 0, "2025-06-01")
    score(
        engine, cities.member_a, two.id, cities.a, 3, "2025-06-01"
    )  # same day: the later entry counts
    score(engine, cities.member_b, one.id, cities.b, 2, "2025-06-01")
    with read_session(engine) as s:
        cells = {
            (r.city, r.position, r.standard): r.score
            for r in scores.heatmap(s, cities.facilitator, cities.community_id)
        }
    assert cells == {("Amsterdam", 1, "One"): 4, ("Amsterdam", 2, "Two"): 3, ("Braga", 1, "One"): 2}


def test_a_heatmap_cell_names_the_city_the_standard_and_its_current_score(
    engine: Engine, cities: Cities
) -> None:
    one = new_standard(engine, cities.facilitator, cities.community_id, "One")
    score(engine, cities.member_a, one.id, cities.a, 3, "2025-06-01", shared=True)
    with read_session(engine) as s:
        cells = scores.heatmap(s, cities.facilitator, cities.community_id)
    assert cells == [
        scores.HeatmapCell(
            organisation_id=cities.a,
            city="Amsterdam",
            standard_id=one.id,
            position=1,
            standard="One",
            score=3,
            label="established",
            assessed_on=date(2025, 6, 1),
            shared=True,
        )
    ]


def test_unshared_scores_stay_between_the_city_and_the_facilitators(
    engine: Engine, cities: Cities
) -> None:
    """Rule: facilitators see every score; people of the city (member or observer) see all of their
    city's; members of other cities and readers from outside see only shared scores."""
    st_ = new_standard(engine, cities.facilitator, cities.community_id)
    score(engine, cities.member_a, st_.id, cities.a, 1, "2025-01-01", shared=True)
    score(engine, cities.member_a, st_.id, cities.a, 3, "2025-06-01", shared=False)

    def seen(actor: Actor) -> tuple[list[int], list[int]]:
        with read_session(engine) as s:
            heat = [r.score for r in scores.heatmap(s, actor, cities.community_id)]
            trend = [r.score for r in scores.city_trend(s, actor, cities.community_id, cities.a)]
        return heat, trend

    assert seen(cities.facilitator) == ([3], [1, 3])
    assert seen(cities.member_a) == ([3], [1, 3])
    assert seen(cities.observer_a) == ([3], [1, 3])
    # The current score is unshared: no cell, and the older shared score is not shown as current.
    assert seen(cities.member_b) == ([], [1])
    assert seen(cities.outsider) == ([], [1])
    score(engine, cities.member_a, st_.id, cities.a, 4, "2025-09-01", shared=True)
    assert seen(cities.member_b) == ([4], [1, 4])
    assert seen(cities.outsider) == ([4], [1, 4])


def test_scores_of_a_deleted_standard_leave_the_heatmap(engine: Engine, cities: Cities) -> None:
    st_ = new_standard(engine, cities.facilitator, cities.community_id)
    score(engine, cities.member_a, st_.id, cities.a, 2, "2025-01-01")
    with write_session(engine) as s:
        standards.delete_standard(s, cities.facilitator, st_.id)
    with read_session(engine) as s:
        assert scores.heatmap(s, cities.facilitator, cities.community_id) == []


def test_cities_of_a_community_are_the_cities_its_members_work_for(
    engine: Engine, cities: Cities
) -> None:
    with write_session(engine) as s:
        ngo = people.create_organisation(s, SYSTEM, name="Caritas", kind="ngo").id
    partner = factories.actor(engine, Role.MEMBER, cities.community_id, organisation_id=ngo)
    with read_session(engine) as s:
        assert [o.name for o in scores.cities(s, cities.member_b, cities.community_id)] == [
            "Amsterdam",
            "Braga",
        ]
    st_ = new_standard(engine, cities.facilitator, cities.community_id)
    with pytest.raises(ValidationError) as err:
        score(engine, partner, st_.id, ngo, 2, "2025-01-15")
    assert "organisation_id" in err.value.fields


@HYPOTHESIS
@given(
    title=LINE,
    statement=LONG.filter(str.strip),
    factors=LONG,
    questions=LONG,
    indicators=LONG,
    evidence=LONG,
)
def test_standard_and_evidence_texts_round_trip_verbatim(
    engine: Engine,
    title: str,
    statement: str,
    factors: str,
    questions: str,
    indicators: str,
    evidence: str,
) -> None:
    community = factories.community(engine)
    city = factories.organisation(engine)
    facilitator = factories.actor(engine, Role.FACILITATOR, community.id, organisation_id=city)
    with write_session(engine) as s:
        st_ = standards.create_standard(
            s,
            facilitator,
            community.id,
            title=title,
            statement=statement,
            success_factors=factors,
            guiding_questions=questions,
            indicators=indicators,
        )
        scores.record_score(s, facilitator, st_.id, city, 2, evidence, "2025-01-01", False)
    with read_session(engine) as s:
        stored = standards.get_standard(s, facilitator, st_.id)[0]
        assert (
            stored.title,
            stored.statement,
            stored.success_factors,
            stored.guiding_questions,
            stored.indicators,
        ) == (title, statement, factors, questions, indicators)
        assert scores.city_trend(s, facilitator, community.id, city)[0].evidence == evidence
