"""Demo step: practices, standards and a year of quarterly self-assessments.

Everything goes through the services, as the demo users where the YAML names
one: a member's practice is submitted by the member and approved by the
facilitator, a city's scores are recorded by its own member where the demo
has one. Practices are linked to the held or closed workshops their city
hosted in the community, so the "where it was seen" list is filled as soon
as the workshops step has run before this one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from cop.core import clock
from cop.core.demo_context import DemoContext
from cop.core.permissions import SYSTEM, Actor
from cop.practices import self_assessment as scores
from cop.practices import service as practices
from cop.practices import standards
from cop.practices.models import ReviewStatus
from cop.workshops.models import Workshop, WorkshopStatus

PRACTICE_FIELDS = (
    "title",
    "started_on",
    "ended_on",
    "is_regular_service",
    "themes",
    "target_groups",
    "people_reached",
    "summary",
    "challenge",
    "goals",
    "how_it_works",
    "results",
    "evaluation",
    "beneficiaries",
    "funding",
    "continues",
    "continuation_funding",
    "transfer_needs",
    "volunteers_role",
    "contact",
    "links",
)
QUARTERS = 4


def step(ctx: DemoContext) -> None:
    for spec in ctx.data.get("practices", []):
        _practice(ctx, spec)
    for slug, specs in ctx.data.get("standards", {}).items():
        ids = [_standard(ctx, ctx.communities[slug], spec) for spec in specs]
        _a_year_of_scores(ctx, slug, ids)


def _actor(ctx, username: str | None) -> Actor:  # noqa: ANN001
    return ctx.actors[username] if username else SYSTEM


def _practice(ctx, spec: dict[str, Any]) -> None:  # noqa: ANN001
    session, community_id = ctx.session, ctx.communities[spec["community"]]
    city = ctx.organisations[spec["city"]]
    author = _actor(ctx, spec.get("author"))
    hosted = list(
        session.exec(
            select(Workshop.id)
            .where(
                Workshop.community_id == community_id,
                Workshop.host_organisation_id == city,
                col(Workshop.status).in_([WorkshopStatus.HELD, WorkshopStatus.CLOSED]),
                col(Workshop.deleted_at).is_(None),
            )
            .order_by(col(Workshop.starts_at))
        )
    )
    practice = practices.create_practice(
        session,
        author,
        community_id,
        organisation_id=city,
        implementer_ids=[ctx.organisations[key] for key in spec.get("implementers", [])],
        workshop_ids=hosted,
        **{field: spec[field] for field in PRACTICE_FIELDS if field in spec},
    )
    assert practice.id is not None  # create_practice flushed it
    status = spec.get("status", ReviewStatus.DRAFT)
    if status in (ReviewStatus.IN_REVIEW, ReviewStatus.APPROVED):
        practices.submit_practice(session, author, practice.id, practice.version)
    if status == ReviewStatus.APPROVED:
        practices.approve_practice(
            session, ctx.actors["facilitator"], practice.id, practice.version
        )
    ctx.extra.setdefault("practices", {})[practice.title] = practice.id


def _standard(ctx, community_id: int, spec: dict[str, Any]) -> int:  # noqa: ANN001
    facilitator = ctx.actors["facilitator"]
    standard = standards.create_standard(ctx.session, facilitator, community_id, **spec)
    assert standard.id is not None  # create_standard flushed it
    standards.approve_standard(ctx.session, facilitator, standard.id, standard.version)
    ctx.extra.setdefault("standards", {})[standard.title] = standard.id
    return standard.id


def _a_year_of_scores(ctx, slug: str, standard_ids: list[int]) -> None:  # noqa: ANN001
    """Quarterly scores over the last year that mostly rise, different for each city and standard."""
    settings = ctx.data.get("self_assessment", {})
    unshared = set(settings.get("unshared_cities", []))
    evidence = settings.get("evidence", {})
    city_keys = next(spec["cities"] for spec in ctx.data["communities"] if spec["slug"] == slug)
    today = clock.today()
    for c, key in enumerate(city_keys):
        city = ctx.organisations[key]
        recorder = next(
            (
                a
                for a in ctx.actors.values()
                if a.organisation_id == city and a.role_in(ctx.communities[slug]) == "member"
            ),
            ctx.actors["facilitator"],
        )
        for s, standard_id in enumerate(standard_ids):
            start = (c + s) % 3
            for q in range(QUARTERS):
                value = min(4, start + (q + c + s) // 3)
                scores.record_score(
                    ctx.session,
                    recorder,
                    standard_id,
                    city,
                    value,
                    evidence.get(value, ""),
                    today - timedelta(days=91 * (QUARTERS - 1 - q)),
                    key not in unshared,
                )
