"""Practices: the review workflow, who may do what, field messages, browsing and round trips."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.backup.seed import SCALES, seed
from cop.core.audit import AuditEvent
from cop.core.db import read_session, write_session
from cop.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from cop.core.permissions import SYSTEM, Actor
from cop.practices import self_assessment, standards
from cop.practices import service as practices
from cop.practices.models import Practice, PracticeTag, ReviewStatus, SelfAssessment, Standard
from cop.practices.rules import LONG_TEXTS
from cop.workshops import service as workshops
from tests import factories

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HYPOTHESIS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Titles and tags are single lines kept as typed after trimming; long texts are kept verbatim
# (PostgreSQL cannot hold NUL, and lone surrogates are not text).
LINE = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=60)
    .map(str.strip)
    .filter(bool)
)
LONG = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300
)


@pytest.fixture
def w(engine: Engine) -> factories.World:
    return factories.world(engine)


@pytest.fixture
def city(engine: Engine) -> int:
    return factories.organisation(engine, "Düsseldorf")


def new_practice(
    engine: Engine, actor: Actor, community_id: int, city: int, **fields: Any
) -> Practice:
    fields.setdefault("title", "Neighbourhood welcome points")
    with write_session(engine) as s:
        return practices.create_practice(s, actor, community_id, organisation_id=city, **fields)


def status_of(engine: Engine, practice_id: int) -> tuple[str, int]:
    with read_session(engine) as s:
        p = s.get(Practice, practice_id)
        return p.status, p.version  # type: ignore[union-attr]


def test_member_drafts_and_submits_then_facilitator_approves(
    engine: Engine, w: factories.World, city: int
) -> None:
    p = new_practice(engine, w.member, w.community.id, city)
    assert p.status == ReviewStatus.DRAFT
    with write_session(engine) as s:
        practices.submit_practice(s, w.member, p.id, p.version)
    status, version = status_of(engine, p.id)
    assert status == ReviewStatus.IN_REVIEW
    with write_session(engine) as s:
        practices.approve_practice(s, w.facilitator, p.id, version)
    assert status_of(engine, p.id)[0] == ReviewStatus.APPROVED


def test_facilitator_sends_back_with_a_note_and_approval_clears_it(
    engine: Engine, w: factories.World, city: int
) -> None:
    p = new_practice(engine, w.member, w.community.id, city)
    with write_session(engine) as s:
        practices.submit_practice(s, w.member, p.id, 1)
        practices.send_back_practice(s, w.facilitator, p.id, 2, note="Add the results, please")
    with read_session(engine) as s:
        back = s.get(Practice, p.id)
        assert (back.status, back.review_note) == (ReviewStatus.DRAFT, "Add the results, please")
    with write_session(engine) as s:
        practices.submit_practice(s, w.member, p.id, 3)
        practices.approve_practice(s, w.facilitator, p.id, 4)
    with read_session(engine) as s:
        assert s.get(Practice, p.id).review_note == ""  # type: ignore[union-attr]


def test_submitting_twice_is_refused_with_a_status_message(
    engine: Engine, w: factories.World, city: int
) -> None:
    p = new_practice(engine, w.member, w.community.id, city)
    with write_session(engine) as s:
        practices.submit_practice(s, w.member, p.id, 1)
    with pytest.raises(ValidationError) as err, write_session(engine) as s:
        practices.submit_practice(s, w.member, p.id, 2)
    assert "in review" in err.value.fields["status"]


def test_member_cannot_approve_or_send_back(engine: Engine, w: factories.World, city: int) -> None:
    p = new_practice(engine, w.member, w.community.id, city)
    with write_session(engine) as s:
        practices.submit_practice(s, w.member, p.id, 1)
    for move in (practices.approve_practice, practices.send_back_practice):
        with pytest.raises(PermissionDenied), write_session(engine) as s:
            move(s, w.member, p.id, 2)
    assert status_of(engine, p.id)[0] == ReviewStatus.IN_REVIEW


def test_observer_and_outsider_cannot_create_practice(
    engine: Engine, w: factories.World, city: int
) -> None:
    for actor in (w.observer, w.outsider):
        with pytest.raises(PermissionDenied), write_session(engine) as s:
            practices.create_practice(s, actor, w.community.id, title="Mine", organisation_id=city)


def test_outsider_of_private_community_gets_not_found(engine: Engine, city: int) -> None:
    private = factories.world(engine, visibility="private")
    p = new_practice(engine, private.facilitator, private.community.id, city)
    with write_session(engine) as s:
        practices.approve_practice(s, private.facilitator, p.id, 1)
    with read_session(engine) as s:
        with pytest.raises(NotFound):
            practices.practice_detail(s, private.outsider, p.id)
        with pytest.raises(NotFound):
            practices.find_practices(s, private.outsider, community_id=private.community.id)
        assert practices.find_practices(s, private.outsider) == ([], 0)
        assert practices.find_practices(s, private.observer)[1] == 1
    with pytest.raises(NotFound), write_session(engine) as s:
        practices.create_practice(
            s, private.outsider, private.community.id, title="X", organisation_id=city
        )


def test_reader_outside_a_workspace_community_sees_only_approved_practices(
    engine: Engine, w: factories.World, city: int
) -> None:
    draft = new_practice(engine, w.member, w.community.id, city, title="Still a draft")
    approved = new_practice(
        engine, w.facilitator, w.community.id, city, title="Migrant-led city tours"
    )
    with write_session(engine) as s:
        practices.approve_practice(s, w.facilitator, approved.id, 1)
    with read_session(engine) as s:
        rows, total = practices.find_practices(s, w.outsider, community_id=w.community.id)
        assert (total, [r.title for r in rows]) == (1, ["Migrant-led city tours"])
        assert practices.find_practices(s, w.observer, community_id=w.community.id)[1] == 2
        with pytest.raises(NotFound):
            practices.practice_detail(s, w.outsider, draft.id)
        assert (
            practices.practice_detail(s, w.outsider, approved.id).practice.title
            == "Migrant-led city tours"
        )


def test_member_edit_of_approved_practice_goes_back_to_review(
    engine: Engine, w: factories.World, city: int
) -> None:
    p = new_practice(engine, w.member, w.community.id, city)
    with write_session(engine) as s:
        practices.approve_practice(s, w.facilitator, p.id, 1)
        practices.update_practice(s, w.facilitator, p.id, 2, results="Twelve welcome points")
    assert status_of(engine, p.id) == (ReviewStatus.APPROVED, 3)
    with write_session(engine) as s:
        practices.update_practice(s, w.member, p.id, 3, results="Fourteen welcome points")
    assert status_of(engine, p.id) == (ReviewStatus.IN_REVIEW, 4)


def test_saving_unchanged_practice_keeps_it_approved(
    engine: Engine, w: factories.World, city: int
) -> None:
    p = new_practice(engine, w.member, w.community.id, city, summary="Same")
    with write_session(engine) as s:
        practices.approve_practice(s, w.facilitator, p.id, 1)
        practices.update_practice(s, w.member, p.id, 2, summary="Same")
    assert status_of(engine, p.id) == (ReviewStatus.APPROVED, 2)


def test_stale_edit_is_refused_and_shows_the_other_change(
    engine: Engine, w: factories.World, city: int
) -> None:
    p = new_practice(engine, w.member, w.community.id, city)
    with write_session(engine) as s:
        practices.update_practice(s, w.facilitator, p.id, 1, goals="Theirs")
    with pytest.raises(ConflictError) as err, write_session(engine) as s:
        practices.update_practice(s, w.member, p.id, 1, goals="Mine")
    assert err.value.changed["goals"]["now"] == "Theirs"


def test_changing_only_the_implementers_is_a_new_version_and_audited(
    engine: Engine, w: factories.World, city: int
) -> None:
    ngo = factories.organisation(engine, "Caritas")
    p = new_practice(engine, w.member, w.community.id, city)
    with write_session(engine) as s:
        practices.update_practice(s, w.member, p.id, 1, implementer_ids=[ngo])
    with read_session(engine) as s:
        detail = practices.practice_detail(s, w.member, p.id)
        assert [o.name for o in detail.implementers] == ["Caritas"]
        assert detail.practice.version == 2
        event = s.exec(
            select(AuditEvent).where(
                AuditEvent.record_id == p.id, AuditEvent.action == "practice.update"
            )
        ).one()
        assert event.changes["implementer_ids"] == [[], [ngo]]
    with pytest.raises(ConflictError), write_session(engine) as s:
        practices.update_practice(s, w.member, p.id, 1, implementer_ids=[])


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": "   "}, "title", "must not be empty"),
        ({"links": ["javascript:alert(1)"]}, "links", "http"),
        ({"links": "https://ok.example\ndata:text/html,hi"}, "links", "Link 2"),
        ({"people_reached": -1}, "people_reached", "between 0"),
        ({"people_reached": float("nan")}, "people_reached", "whole number"),
        ({"people_reached": "many"}, "people_reached", "whole number"),
        ({"people_reached": 2.5}, "people_reached", "whole number"),
        ({"started_on": "2024-05-01", "ended_on": "2024-04-30"}, "ended_on", "before the start"),
        (
            {"started_on": "2024-05-01", "ended_on": "2024-06-01", "is_regular_service": True},
            "ended_on",
            "regular service",
        ),
        ({"ended_on": "2024-06-01"}, "started_on", "start date"),
        ({"started_on": "1900-01-01"}, "started_on", "between 1990-01-01"),
        ({"themes": ["x" * 61]}, "themes", "at most 60"),
        ({"summary": "\x00"}, "summary", "NUL"),
        ({"organisation_id": 999_999}, "organisation_id", "city"),
    ],
)
def test_bad_input_gets_a_field_message(
    engine: Engine, w: factories.World, city: int, fields: dict[str, Any], field: str, words: str
) -> None:
    fields = {"title": "Training for volunteers", "organisation_id": city, **fields}
    with pytest.raises(ValidationError) as err, write_session(engine) as s:
        practices.create_practice(s, w.member, w.community.id, **fields)
    assert words in err.value.fields[field]
    with read_session(engine) as s:
        assert s.exec(select(Practice)).first() is None


def test_people_reached_accepts_zero_whole_numbers_and_unknown(
    engine: Engine, w: factories.World, city: int
) -> None:
    for typed, stored in ((0, 0), ("1200", 1200), (35.0, 35), ("", None), (None, None)):
        p = new_practice(engine, w.member, w.community.id, city, people_reached=typed)
        assert p.people_reached == stored


def test_find_practices_filters_and_pages_in_sql(
    engine: Engine, w: factories.World, city: int
) -> None:
    other_city = factories.organisation(engine, "Gdańsk")
    new_practice(
        engine,
        w.member,
        w.community.id,
        city,
        title="Welcome points",
        themes="Welcome, Housing",
        target_groups=["Newcomers"],
        summary="100% local",
    )
    new_practice(
        engine,
        w.member,
        w.community.id,
        other_city,
        title="City tours",
        themes=["Culture"],
        target_groups=["Newcomers", "Youth"],
        how_it_works="Migrants guide the tours",
    )
    for n in range(3):
        new_practice(
            engine,
            w.member,
            w.community.id,
            other_city,
            title=f"Volunteer training {n}",
            themes=["Training"],
        )
    with read_session(engine) as s:

        def titles(**filters: Any) -> list[str]:
            return sorted(r.title for r in practices.find_practices(s, w.member, **filters)[0])

        assert titles(theme="welcome") == ["Welcome points"]
        assert titles(theme="WELCOME ") == ["Welcome points"]
        assert titles(target_group="newcomers") == ["City tours", "Welcome points"]
        assert titles(organisation_id=city) == ["Welcome points"]
        assert titles(text="MIGRANTS") == ["City tours"]
        assert titles(text="100%") == ["Welcome points"]
        assert titles(text="%") == ["Welcome points"]
        assert titles(text="_") == []
        assert titles(status="approved") == []
        page, total = practices.find_practices(
            s, w.member, community_id=w.community.id, limit=2, offset=2
        )
        assert (len(page), total) == (2, 5)
        assert practices.known_tags(s, w.member, "theme") == [
            "Culture",
            "Housing",
            "Training",
            "Welcome",
        ]


def test_practice_page_shows_everything_and_where_it_was_seen(
    engine: Engine, w: factories.World, city: int
) -> None:
    with write_session(engine) as s:
        visit = workshops.record_workshop(
            s,
            w.facilitator,
            community_id=w.community.id,
            title="Study visit to Düsseldorf",
            kind="study_visit",
            format="in_person",
            starts_at="2025-03-04T09:00",
            ends_at="2025-03-05T17:00",
            time_zone="Europe/Berlin",
            place="Rathaus",
        )
    p = new_practice(
        engine,
        w.member,
        w.community.id,
        city,
        workshop_ids=[visit.id],
        contact="Ana, ana@example.org",
        links=["https://example.org/welcome"],
        continues=True,
        transfer_needs="A room and two staff",
    )
    with write_session(engine) as s:
        image = practices.add_image(
            s,
            w.member,
            p.id,
            PNG,
            alt_text="Volunteers at a welcome point",
            credit="City of Düsseldorf",
        )
    with read_session(engine) as s:
        detail = practices.practice_detail(s, w.observer, p.id)
        assert [x["title"] for x in detail.workshops] == ["Study visit to Düsseldorf"]
        assert detail.city.name == "Düsseldorf"
        assert detail.images == [
            {
                "id": image.id,
                "version": 1,
                "content_type": "image/png",
                "alt_text": "Volunteers at a welcome point",
                "credit": "City of Düsseldorf",
                "size": len(PNG),
            }
        ]
        assert detail.practice.links == ["https://example.org/welcome"]
        assert (detail.practice.continues, detail.practice.transfer_needs) == (
            True,
            "A room and two staff",
        )
        assert practices.image_content(s, w.observer, image.id) == (
            "image/png",
            PNG,
            "Volunteers at a welcome point",
        )
    with write_session(engine) as s:
        practices.unlink_workshop(s, w.member, p.id, visit.id)
    with read_session(engine) as s:
        assert practices.practice_detail(s, w.member, p.id).workshops == []


def test_member_linking_where_it_was_seen_keeps_approval_but_new_implementers_reopen_it(
    engine: Engine, w: factories.World, city: int
) -> None:
    ngo = factories.organisation(engine, "Caritas")
    with write_session(engine) as s:
        visit = workshops.record_workshop(
            s,
            w.facilitator,
            community_id=w.community.id,
            title="City dialogue",
            kind="city_dialogue",
            format="in_person",
            starts_at="2025-05-06T10:00",
            ends_at="2025-05-06T12:00",
            time_zone="Europe/Berlin",
            place="Town hall",
        )
    p = new_practice(engine, w.member, w.community.id, city)
    with write_session(engine) as s:
        practices.approve_practice(s, w.facilitator, p.id, 1)
        practices.update_practice(s, w.member, p.id, 2, workshop_ids=[visit.id])
    assert status_of(engine, p.id) == (ReviewStatus.APPROVED, 3)
    with write_session(engine) as s:
        practices.update_practice(s, w.member, p.id, 3, implementer_ids=[ngo])
    assert status_of(engine, p.id)[0] == ReviewStatus.IN_REVIEW


def test_workshop_of_another_community_cannot_be_linked(
    engine: Engine, w: factories.World, city: int
) -> None:
    other = factories.world(engine)
    with write_session(engine) as s:
        visit = workshops.record_workshop(
            s,
            other.facilitator,
            community_id=other.community.id,
            title="Elsewhere",
            kind="workshop",
            format="online",
            starts_at="2025-03-04T09:00",
            ends_at="2025-03-04T11:00",
            time_zone="Europe/Rome",
            meeting_link="https://meet.example.org/x",
        )
    p = new_practice(engine, w.member, w.community.id, city)
    with pytest.raises(ValidationError) as err, write_session(engine) as s:
        practices.link_workshop(s, w.member, p.id, visit.id)
    assert "workshop_ids" in err.value.fields


def test_images_need_alt_text_and_a_real_image_type(
    engine: Engine, w: factories.World, city: int
) -> None:
    p = new_practice(engine, w.member, w.community.id, city)
    with pytest.raises(ValidationError) as err, write_session(engine) as s:
        practices.add_image(s, w.member, p.id, b"<svg onload=alert(1)>", alt_text=" ")
    assert set(err.value.fields) == {"image", "alt_text"}


def test_member_image_on_approved_practice_puts_it_back_in_review(
    engine: Engine, w: factories.World, city: int
) -> None:
    p = new_practice(engine, w.member, w.community.id, city)
    with write_session(engine) as s:
        practices.approve_practice(s, w.facilitator, p.id, 1)
        practices.add_image(s, w.member, p.id, PNG, alt_text="A tour group")
    assert status_of(engine, p.id)[0] == ReviewStatus.IN_REVIEW


def test_only_facilitators_delete_and_restore(
    engine: Engine, w: factories.World, city: int
) -> None:
    p = new_practice(engine, w.member, w.community.id, city)
    with pytest.raises(PermissionDenied), write_session(engine) as s:
        practices.delete_practice(s, w.member, p.id)
    with write_session(engine) as s:
        practices.delete_practice(s, w.facilitator, p.id)
    with read_session(engine) as s:
        assert practices.find_practices(s, w.member)[1] == 0
        with pytest.raises(NotFound):
            practices.practice_detail(s, w.member, p.id)
    with write_session(engine) as s:
        practices.restore_practice(s, w.facilitator, p.id)
    with read_session(engine) as s:
        assert practices.find_practices(s, w.member)[1] == 1


def test_ids_from_the_address_bar_are_checked(engine: Engine, w: factories.World) -> None:
    with read_session(engine) as s:
        for bad in ("abc", "1 OR 1=1", -5, None):
            with pytest.raises(NotFound):
                practices.practice_detail(s, w.member, bad)


@HYPOTHESIS
@given(
    title=LINE,
    texts=st.fixed_dictionaries({f: LONG for f in LONG_TEXTS}),
    theme=LINE,
    group=LINE,
    path=LINE,
)
def test_every_text_field_round_trips_verbatim(
    engine: Engine, title: str, texts: dict[str, str], theme: str, group: str, path: str
) -> None:
    city = factories.organisation(engine)
    community = factories.community(engine)
    link = "https://example.org/" + path.replace(" ", "%20")
    link = link if link.isprintable() else "https://example.org/"
    with write_session(engine) as s:
        p = practices.create_practice(
            s,
            SYSTEM,
            community.id,
            title=title,
            organisation_id=city,
            themes=[theme],
            target_groups=[group],
            links=[link],
            **texts,
        )
        image = practices.add_image(s, SYSTEM, p.id, PNG, alt_text=title, credit=theme)
    with read_session(engine) as s:
        stored = practices.practice_detail(s, SYSTEM, p.id)
        assert stored.practice.title == title
        assert {f: getattr(stored.practice, f) for f in LONG_TEXTS} == texts
        assert (stored.practice.themes, stored.practice.target_groups) == ([theme], [group])
        assert stored.practice.links == [link]
        assert stored.images[0]["alt_text"] == title and stored.images[0]["credit"] == theme
        assert practices.image_content(s, SYSTEM, image.id)[2] == title
        assert p.id in [
            r.id for r in practices.find_practices(s, SYSTEM, theme=theme, limit=200)[0]
        ]


def test_seeded_workspace_has_tagged_practices_standards_and_a_year_of_scores(
    engine: Engine,
) -> None:
    counts = seed(engine, "small", random_seed=3)
    assert counts["practice"] == SCALES["small"].practices
    with read_session(engine) as s:
        every = s.exec(select(Practice)).all()
        tags = {(t.practice_id, t.kind, t.value) for t in s.exec(select(PracticeTag))}
        assert tags == {(p.id, "theme", v) for p in every for v in p.themes} | {
            (p.id, "target_group", v) for p in every for v in p.target_groups
        }
        assert practices.find_practices(s, SYSTEM, limit=200)[1] == len(every)
        per_community = {
            c: [x.position for x in standards.list_standards(s, SYSTEM, c)]
            for c in {x.community_id for x in every}
        }
        assert all(
            positions == list(range(1, len(positions) + 1)) and 4 <= len(positions) <= 6
            for positions in per_community.values()
        )
        assert {r.score for r in s.exec(select(SelfAssessment))} <= set(range(5))
        scored = s.exec(
            select(Standard.community_id).join(
                SelfAssessment, SelfAssessment.standard_id == Standard.id
            )
        ).first()
        cells = self_assessment.heatmap(s, SYSTEM, scored)
        assert cells and all(
            len(
                {
                    d.assessed_on
                    for d in self_assessment.city_trend(s, SYSTEM, scored, c.organisation_id)
                }
            )
            == 4
            for c in cells
        )


def test_a_visit_lists_the_practices_seen_there_as_far_as_the_reader_may_read_them(
    engine: Engine, w: factories.World, city: int
) -> None:
    """Issue 17: the link practice -> workshop was one-way; the visit now names its practices."""
    from cop.practices import queries

    with write_session(engine) as s:
        visit = workshops.record_workshop(
            s,
            w.facilitator,
            community_id=w.community.id,
            title="Study visit to Düsseldorf",
            kind="study_visit",
            format="in_person",
            starts_at="2025-03-04T09:00",
            ends_at="2025-03-05T17:00",
            time_zone="Europe/Berlin",
            place="Rathaus",
        )
    seen = [
        new_practice(engine, w.member, w.community.id, city, title=t, workshop_ids=[visit.id])
        for t in ("Welcome points", "Buddy walks", "Removed again")
    ]
    new_practice(engine, w.member, w.community.id, city, title="Seen elsewhere")
    with write_session(engine) as s:
        practices.delete_practice(s, w.facilitator, seen[2].id)
    with read_session(engine) as s:
        shown = queries.practices_seen_at(s, w.observer, visit.id)
        assert [(p.title, p.city) for p in shown] == [
            ("Buddy walks", "Düsseldorf"),
            ("Welcome points", "Düsseldorf"),
        ]
        assert [p.id for p in shown] == [seen[1].id, seen[0].id]
        # Someone outside the community reads only approved practices: these are drafts.
        assert queries.practices_seen_at(s, w.outsider, visit.id) == []
