"""The demo workspace has the shape of the VALUES project it is modelled on.

Read from the demo as ``cop demo load`` leaves it (the session's demo copy): sixteen
member cities across Europe with the networks, four communities, two and a half years
of workshops and visits with Düsseldorf's three-day virtual visit, an action plan per
city, six to ten practices and five to eight standards per community, a year of
self-assessments, and the edition, in English and German, approved and online.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from sqlmodel import col, func, select

from cop.accounts.models import User
from cop.actions.models import Action
from cop.communities.models import Community, Organisation, Person
from cop.core.db import read_session
from cop.practices.models import Practice, PracticeWorkshop, SelfAssessment, Standard
from cop.publishing import service as publishing
from cop.toolkit.models import Chapter, Toolkit
from cop.workshops.models import Attendance, Workshop

# Mainland Europe and its islands, from Lisbon to Helsinki, Athens to the North Cape.
EUROPE_LAT, EUROPE_LON = (34.0, 72.0), (-25.0, 45.0)


def test_the_demo_has_sixteen_member_cities_across_europe_and_the_three_networks(
    demo_db: str,
) -> None:
    with read_session() as s:
        orgs = s.exec(select(Organisation)).all()
    cities = [o for o in orgs if o.kind == "city"]
    assert len(cities) == 16
    for city in cities:
        assert city.latitude is not None and city.longitude is not None, city.name
        assert EUROPE_LAT[0] < city.latitude < EUROPE_LAT[1], city.name
        assert EUROPE_LON[0] < city.longitude < EUROPE_LON[1], city.name
    assert {"Düsseldorf", "Oslo", "Amsterdam", "Thessaloniki"} <= {c.name for c in cities}
    names = {o.name for o in orgs}
    assert {"Eurocities", "MigrationWork CIC"} <= names
    assert any(n.startswith("CEV") for n in names)


def test_four_communities_each_with_six_to_ten_practices_and_five_to_eight_standards(
    demo_db: str,
) -> None:
    with read_session() as s:
        communities = s.exec(select(Community)).all()
        assert len(communities) == 4
        for community in communities:
            practices = s.exec(
                select(func.count()).where(Practice.community_id == community.id)
            ).one()
            standards = s.exec(
                select(func.count()).where(Standard.community_id == community.id)
            ).one()
            assert 6 <= practices <= 10, (community.slug, practices)
            assert 5 <= standards <= 8, (community.slug, standards)
        # A year of quarterly self-assessments.
        days = s.exec(select(SelfAssessment.assessed_on).distinct()).all()
        assert len(days) == 4 and max(days) - min(days) >= timedelta(days=270)


def test_two_and_a_half_years_of_workshops_hosted_in_turn_and_an_action_plan_per_city(
    demo_db: str,
) -> None:
    with read_session() as s:
        workshops = s.exec(select(Workshop)).all()
        cities = s.exec(select(Organisation).where(Organisation.kind == "city")).all()
        leading = set(s.exec(select(Action.organisation_id)).all())
    starts = [w.starts_at for w in workshops]
    assert max(starts) - min(starts) >= timedelta(days=900)  # two and a half years
    hosts = {w.host_organisation_id for w in workshops}
    assert {c.id for c in cities} <= hosts  # every city hosts at least once
    assert {c.id for c in cities} <= leading  # and leads actions of its plan


def test_dusseldorf_hosted_a_three_day_virtual_visit_for_oslo_amsterdam_and_thessaloniki(
    demo_db: str,
) -> None:
    with read_session() as s:
        dusseldorf = s.exec(select(Organisation).where(Organisation.name == "Düsseldorf")).one()
        visit = s.exec(
            select(Workshop).where(
                Workshop.host_organisation_id == dusseldorf.id,
                Workshop.kind == "study_visit",
                Workshop.format == "online",
            )
        ).one()
        came = set(
            s.exec(
                select(Organisation.name)
                .join(Person, col(Person.organisation_id) == Organisation.id)
                .join(Attendance, col(Attendance.person_id) == Person.id)
                .where(Attendance.workshop_id == visit.id)
            ).all()
        )
        seen = s.exec(
            select(Practice.title)
            .join(PracticeWorkshop, col(PracticeWorkshop.practice_id) == Practice.id)
            .where(PracticeWorkshop.workshop_id == visit.id)
        ).all()
    assert "city cooperation with volunteers" in visit.title
    assert visit.status == "closed"
    assert (visit.ends_at.date() - visit.starts_at.date()).days == 2  # three days
    assert came == {"Düsseldorf", "Oslo", "Amsterdam", "Thessaloniki"}
    assert any("Welcome Points" in title for title in seen), seen


def test_the_edition_is_approved_in_english_and_german_and_online_on_first_start(
    demo_db: str,
) -> None:
    with read_session() as s:
        editions = s.exec(select(Toolkit).order_by(col(Toolkit.language))).all()
        assert [e.language for e in editions] == ["de", "en"]
        chapters = s.exec(select(Chapter)).all()
        assert len(chapters) == 8 and all(c.approved_number >= 1 for c in chapters)
        sites = {
            e.language: zipfile.ZipFile(io.BytesIO(publishing.site_archive(s, e.id) or b""))
            for e in editions
        }
        assert s.exec(select(User.username).order_by(col(User.username))).all() == [
            "admin",
            "facilitator",
            "member",
            "observer",
        ]
    for language, site in sites.items():
        html = "\n".join(
            site.read(n).decode("utf-8") for n in site.namelist() if n.endswith(".html")
        )
        titles = [c.title for c in chapters if c.toolkit_id == _edition(editions, language)]
        for title in titles:
            assert title in html, (language, title)
        assert "Welcome Points in Düsseldorf&#x27;s neighbourhoods" in html or (
            "Welcome Points in Düsseldorf's neighbourhoods" in html
        )
    german = "\n".join(
        sites["de"].read(n).decode("utf-8") for n in sites["de"].namelist() if n.endswith(".html")
    )
    assert "Zusammenarbeit von Stadt und Freiwilligen im Quartier" in german


def _edition(editions: list[Toolkit], language: str) -> int | None:
    return next(e.id for e in editions if e.language == language)
