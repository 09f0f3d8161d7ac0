"""Seed step of practices, standards and self-assessments.

``scale.practices`` practices spread over the communities, each run by one of
the community's member cities (any city when a community has none), tagged,
with implementing organisations and, where the workshops step left held or
closed workshops, linked to one of them. Every community gets 4-6 standards
and each of its member cities a year of quarterly scores against each, with
the mostly rising progress real self-assessments show.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from cop.communities.models import Membership, Organisation, OrganisationKind, Person
from cop.core.db import table_of
from cop.core.seed_context import SeedContext
from cop.core.tags import tag_key
from cop.practices.models import (
    Practice,
    PracticeOrganisation,
    PracticeTag,
    PracticeWorkshop,
    ReviewStatus,
    SelfAssessment,
    Standard,
    TagKind,
)
from cop.workshops.models import Workshop, WorkshopStatus

# (title, themes, target groups, how it works); {c} is the city's name.
PRACTICES: list[tuple[str, list[str], list[str], str]] = [
    (
        "Neighbourhood welcome points in {c}",
        ["Welcoming culture", "Neighbourhoods"],
        ["Newcomers"],
        "Volunteers staff welcome points in district libraries; a local contact person of the city district answers questions the volunteers cannot.",
    ),
    (
        "Migrant-led city tours",
        ["Volunteering by migrants", "Culture"],
        ["Newcomers", "Residents"],
        "Newcomers train as volunteer guides and show residents and other newcomers their own {c}.",
    ),
    (
        "Training for volunteers working with refugees",
        ["Volunteer management"],
        ["Volunteers"],
        "A four-evening course on asylum law, intercultural communication and self-care, run with the volunteer centre.",
    ),
    (
        "Buddy programme for newcomers",
        ["Mentoring"],
        ["Newcomers", "Families"],
        "Residents and newcomers meet in pairs for six months; coordinators match them by interests and languages.",
    ),
    (
        "Language café ☕",
        ["Language", "Welcoming culture"],
        ["Adults", "Newcomers"],
        "Weekly conversation tables with volunteer hosts; no registration, children welcome.",
    ),
    (
        "Sport für alle ⚽",
        ["Sport", "Youth"],
        ["Young migrants", "Unaccompanied minors"],
        "Sports clubs open free training slots; volunteer coaches are paired with a youth worker.",
    ),
    (
        "Welcome guide written by newcomers",
        ["Information"],
        ["Newcomers"],
        "A guide to {c} written and translated by newcomers, printed and online, updated twice a year.",
    ),
    (
        "Women's circle",
        ["Empowerment"],
        ["Women"],
        "Migrant women meet weekly with childcare provided; they choose the topics themselves.",
    ),
    (
        "Mentoring into work",
        ["Employment", "Mentoring"],
        ["Job seekers"],
        "Retired professionals mentor newcomers through job applications and first months at work.",
    ),
    (
        "مجموعات الحوار – dialogue groups",
        ["Dialogue"],
        ["Residents", "Newcomers"],
        "Bilingual facilitators lead monthly dialogue evenings on life in the neighbourhood.",
    ),
    (
        "Recognition of volunteers' skills",
        ["Volunteer management", "Employment"],
        ["Volunteers"],
        "Volunteers receive a city certificate describing the skills they used, accepted by local employers.",
    ),
    (
        "Intercultural festival 🎉",
        ["Culture", "Neighbourhoods"],
        ["Residents", "Families"],
        "Each summer residents' groups and migrant associations run the festival together with city staff.",
    ),
]
# (title, statement, success factors, guiding questions, indicators)
STANDARDS: list[tuple[str, str, str, str, str]] = [
    (
        "Newcomers are welcomed from their first week",
        "The city and volunteers reach every newcomer with information and a personal contact within a week.",
        "- A single contact point\n- Volunteers trained for first contacts",
        "Who meets newcomers first?",
        "Share of newcomers contacted within 7 days",
    ),
    (
        "Volunteers are trained and supported",
        "Volunteers working with migrants receive training, supervision and recognition.",
        "- Regular training\n- A named coordinator",
        "How do volunteers get help when stuck?",
        "Volunteers trained per year",
    ),
    (
        "Migrants volunteer themselves",
        "Volunteering is open to migrants and refugees, who take roles of responsibility.",
        "- Low-threshold entry\n- Roles that use languages",
        "Which roles do migrants hold?",
        "Share of volunteers with a migrant background",
    ),
    (
        "City and volunteers plan together",
        "City departments and volunteer groups plan neighbourhood work together and share data.",
        "- Joint planning meetings\n- Agreed roles",
        "Where do volunteers shape city plans?",
        "Joint plans agreed per year",
    ),
    (
        "Young migrants have mentors",
        "Every young migrant who wants a mentor gets one within a month.",
        "- Matching by interests\n- Mentor supervision",
        "How long is the waiting list?",
        "Average days from request to match",
    ),
    (
        "Results are evaluated and shared",
        "Practices are evaluated with the people they serve and results are published.",
        "- Simple indicators\n- Feedback from participants",
        "Who reads the evaluations?",
        "Practices with a published evaluation",
    ),
    (
        "Residents meet newcomers as neighbours",
        "Neighbourhoods offer regular occasions where residents and newcomers meet as equals.",
        "- Places without consumption pressure\n- Local hosts",
        "Where do people meet?",
        "Regular meeting places per district",
    ),
]
STATUS_WEIGHTS = ([ReviewStatus.APPROVED, ReviewStatus.IN_REVIEW, ReviewStatus.DRAFT], [60, 15, 25])


def step(ctx: SeedContext) -> None:
    cities_of = _member_cities(ctx)
    practices(ctx, cities_of)
    standards_and_scores(ctx, cities_of)


def _member_cities(ctx: SeedContext) -> dict[int, list[int]]:
    """Community id -> the city organisations of its members, in id order."""
    rows = ctx.conn.execute(
        sa.select(col(Membership.community_id), col(Person.organisation_id))
        .join(Person, col(Person.id) == Membership.person_id)
        .join(Organisation, col(Organisation.id) == Person.organisation_id)
        .where(col(Organisation.kind) == OrganisationKind.CITY.value)
        .distinct()
        .order_by(col(Membership.community_id), col(Person.organisation_id))
    )
    cities: dict[int, list[int]] = defaultdict(list)
    for community_id, organisation_id in rows:
        assert organisation_id is not None  # joined to its organisation
        cities[community_id].append(organisation_id)
    return cities


def _by_id(ctx: SeedContext, stmt: sa.Select) -> dict[int, Any]:
    return dict(ctx.conn.execute(stmt).all())


def practices(ctx: SeedContext, cities_of: dict[int, list[int]]) -> None:
    names = _by_id(ctx, sa.select(col(Organisation.id), col(Organisation.name)))
    all_cities = _by_id(
        ctx,
        sa.select(col(Organisation.id), col(Organisation.kind)).where(
            col(Organisation.kind) == OrganisationKind.CITY.value
        ),
    )
    partners = [o for o in names if o not in all_cities]
    held = (
        sa.select(col(Workshop.community_id), col(Workshop.id))
        .where(col(Workshop.status).in_([WorkshopStatus.HELD.value, WorkshopStatus.CLOSED.value]))
        .order_by(col(Workshop.id))
    )
    workshops_of: dict[int, list[int]] = defaultdict(list)
    for community_id, workshop_id in ctx.conn.execute(held):
        assert workshop_id is not None  # a primary key
        workshops_of[community_id].append(workshop_id)
    community_ids = sorted(ctx.ids.get("community", []))
    rows: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    implementers: list[dict[str, Any]] = []
    seen: list[dict[str, Any]] = []
    for practice_id in ctx.new_ids(table_of(Practice), ctx.scale.practices):
        community_id = ctx.rng.choice(community_ids)
        city = ctx.rng.choice(cities_of.get(community_id) or sorted(all_cities))
        title, themes, groups, how = ctx.rng.choice(PRACTICES)
        created_at = ctx.moment(700)
        started = (created_at - timedelta(days=ctx.rng.randint(30, 2_000))).date()
        ended = (
            started + timedelta(days=ctx.rng.randint(90, 900)) if ctx.rng.random() < 0.25 else None
        )
        c = names[city]
        rows.append(
            {
                **ctx.stamps(created_at),
                "id": practice_id,
                "community_id": community_id,
                "organisation_id": city,
                "title": title.format(c=c),
                "started_on": started,
                "ended_on": ended if ended and ended <= ctx.now.date() else None,
                "is_regular_service": ended is None and ctx.rng.random() < 0.4,
                "summary": f"{title.format(c=c)}: how {c} and its volunteers do it.",
                "challenge": f"Newcomers in {c} found few places to meet residents and ask everyday questions.",
                "goals": "Make newcomers feel at home sooner and give residents a way to help.",
                "how_it_works": how.format(c=c),
                "results": f"{ctx.rng.randint(5, 400)} volunteers took part.",
                "evaluation": "Participants' feedback is collected every six months.",
                "beneficiaries": ", ".join(groups),
                "people_reached": ctx.rng.randint(0, 5_000),
                "funding": "City budget with a contribution from a foundation.",
                "continues": ctx.rng.random() < 0.8,
                "continuation_funding": "Municipal budget line.",
                "transfer_needs": "A coordinator at half time, rooms, and a partner organisation of volunteers.",
                "volunteers_role": "Volunteers run the activities; city staff coordinate and train them.",
                "contact": f"Integration office, {c}",
                "links": [],
                "themes": themes,
                "target_groups": groups,
                "status": ctx.rng.choices(*STATUS_WEIGHTS)[0].value,
                "review_note": "",
            }
        )
        for kind, values in ((TagKind.THEME, themes), (TagKind.TARGET_GROUP, groups)):
            tags.extend(
                {"practice_id": practice_id, "kind": kind.value, "key": tag_key(v), "value": v}
                for v in values
            )
        for partner in sorted(
            set(ctx.rng.sample(partners, min(len(partners), ctx.rng.randint(0, 2))))
        ):
            implementers.append({"practice_id": practice_id, "organisation_id": partner})
        if workshops_of.get(community_id) and ctx.rng.random() < 0.3:
            seen.append(
                {
                    "practice_id": practice_id,
                    "workshop_id": ctx.rng.choice(workshops_of[community_id]),
                }
            )
    ctx.insert(table_of(Practice), rows)
    ctx.insert(table_of(PracticeTag), tags)
    ctx.insert(table_of(PracticeOrganisation), implementers)
    ctx.insert(table_of(PracticeWorkshop), seen)


def standards_and_scores(ctx: SeedContext, cities_of: dict[int, list[int]]) -> None:
    """4-6 standards per community; quarterly scores over the last year for each member city."""
    today = ctx.now.date()
    quarters = [today - timedelta(days=91 * q) for q in (3, 2, 1, 0)]
    standard_rows, score_rows = [], []
    for community_id in sorted(ctx.ids.get("community", [])):
        chosen = ctx.rng.sample(STANDARDS, ctx.rng.randint(4, 6))
        ids = ctx.new_ids(table_of(Standard), len(chosen))
        for position, (
            standard_id,
            (title, statement, factors, questions, indicators),
        ) in enumerate(zip(ids, chosen, strict=True), 1):
            standard_rows.append(
                {
                    **ctx.stamps(ctx.moment(500, -400)),
                    "id": standard_id,
                    "community_id": community_id,
                    "position": position,
                    "title": title,
                    "statement": statement,
                    "success_factors": factors,
                    "guiding_questions": questions,
                    "indicators": indicators,
                    "status": (
                        ReviewStatus.APPROVED if ctx.rng.random() < 0.85 else ReviewStatus.DRAFT
                    ).value,
                    "review_note": "",
                }
            )
        for city in cities_of.get(community_id, []):
            shared = ctx.rng.random() < 0.7
            for standard_id in ids:
                score_rows.extend(
                    _a_year_of_scores(ctx, community_id, standard_id, city, shared, quarters)
                )
    ctx.insert(table_of(Standard), standard_rows)
    for row, score_id in zip(
        score_rows, ctx.new_ids(table_of(SelfAssessment), len(score_rows)), strict=True
    ):
        row["id"] = score_id
    ctx.insert(table_of(SelfAssessment), score_rows)


def _a_year_of_scores(
    ctx: SeedContext,
    community_id: int,
    standard_id: int,
    city: int,
    shared: bool,
    quarters: list[date],
) -> list[dict[str, Any]]:
    score = ctx.rng.randint(0, 2)
    rows = []
    for day in quarters:
        score = min(4, score + (1 if ctx.rng.random() < 0.35 else 0))
        rows.append(
            {
                "community_id": community_id,
                "standard_id": standard_id,
                "organisation_id": city,
                "score": score,
                "evidence": f"Reviewed with partners on {day.isoformat()}.",
                "assessed_on": day,
                "shared_beyond_community": shared,
                "created_at": ctx.now - timedelta(days=(ctx.now.date() - day).days),
                "created_by_id": None,
            }
        )
    return rows
