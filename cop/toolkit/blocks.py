"""A chapter's sections turned into the document model, reading the community's records live.

Blocks built from records show only what the toolkit may publish: approved
standards, approved practices (the ones the section selected, in its order),
figures and series from ``key_results``, workshops that were held, the
community's joint actions (by city, never by person) and the insights
recorded when workshops were closed. While the chapter is a draft these
blocks follow the records; approval freezes them in a revision.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from cop.actions.models import Action, ActionStatus
from cop.communities.models import Community, Organisation, Person
from cop.core.i18n import translator
from cop.core.markdown import one_per_line
from cop.core.permissions import Actor
from cop.core.validation import zone_named
from cop.export.document import Block, Document, Figure, Heading, Paragraph, PracticeBox, Table
from cop.export.markdown import escape
from cop.practices.models import Practice, PracticeOrganisation, ReviewStatus, Standard
from cop.toolkit.key_results import HELD, cluster_of, infographic, key_results
from cop.toolkit.models import Chapter, Section, SectionKind, Toolkit
from cop.workshops.models import Attendance, Outcome, OutcomeKind, Workshop, WorkshopStatus

KIND_LABELS: dict[str, str] = {
    SectionKind.FREE_TEXT: "Free text",
    SectionKind.STANDARDS: "Standards",
    SectionKind.PRACTICES: "Practices",
    SectionKind.KEY_RESULTS: "Key results",
    SectionKind.WORKSHOP_TIMELINE: "Workshop timeline",
    SectionKind.ACTIONS_SUMMARY: "Actions summary",
    SectionKind.LESSONS_LEARNED: "Lessons learned",
}
DEFAULT_TITLES: dict[str, str] = {
    SectionKind.FREE_TEXT: "About this chapter",
    SectionKind.STANDARDS: "Standards",
    SectionKind.PRACTICES: "Practice examples",
    SectionKind.KEY_RESULTS: "Key results",
    SectionKind.WORKSHOP_TIMELINE: "Workshops and visits",
    SectionKind.ACTIONS_SUMMARY: "Joint actions",
    SectionKind.LESSONS_LEARNED: "Lessons learned",
}
PRACTICE_FIELDS = (
    ("summary", "Summary"),
    ("challenge", "Challenge"),
    ("goals", "Goals"),
    ("how_it_works", "How it works"),
    ("results", "Results"),
    ("evaluation", "Evaluation"),
    ("beneficiaries", "Beneficiaries"),
    ("volunteers_role", "The role of volunteers"),
    ("funding", "Funding"),
    ("contact", "Contact"),
)
STANDARD_FIELDS = (
    ("success_factors", "Key success factors"),
    ("guiding_questions", "Guiding questions"),
    ("indicators", "Indicators"),
)


def section_sources(sections: list[Section]) -> list[dict[str, Any]]:
    """What a revision keeps of its sections, so it can be restored as a draft.

    The section's id lets a restore bring back the same section, with its comments.
    """
    return [
        {"id": s.id, "kind": s.kind, "title": s.title, "body": s.body, "settings": dict(s.settings)}
        for s in sections
    ]


def _ids(value: Any) -> list[int]:
    return [int(v) for v in value if str(v).isdigit()] if isinstance(value, list) else []


def _standards(session: Session, community: Community, settings: dict[str, Any]) -> list[Block]:
    stmt = select(Standard).where(
        Standard.community_id == community.id,
        col(Standard.deleted_at).is_(None),
        Standard.status == ReviewStatus.APPROVED,
    )
    chosen = _ids(settings.get("standard_ids"))
    if chosen:
        stmt = stmt.where(col(Standard.id).in_(chosen))
    blocks: list[Block] = []
    for standard in session.exec(stmt.order_by(col(Standard.position), col(Standard.id))):
        blocks.append(Heading(3, standard.title))
        if standard.statement.strip():
            blocks.append(Paragraph(standard.statement))
        for name, label in STANDARD_FIELDS:
            text = getattr(standard, name)
            if text.strip():  # typed one per line: a list, not one run-on line
                blocks.append(Paragraph(f"**{label}**\n\n{one_per_line(text)}"))
    return blocks or [Paragraph("*No approved standards yet.*")]


def _period(practice: Practice) -> str:
    if practice.started_on and practice.ended_on:
        return f"{practice.started_on:%B %Y} to {practice.ended_on:%B %Y}"
    if practice.started_on:
        return f"since {practice.started_on:%B %Y}"
    return ""


def _practices(session: Session, community: Community, settings: dict[str, Any]) -> list[Block]:
    chosen = _ids(settings.get("practice_ids"))
    rows = session.exec(
        select(Practice, Organisation.name)
        .join(Organisation, col(Organisation.id) == Practice.organisation_id)
        .where(
            col(Practice.id).in_(chosen or [-1]),
            Practice.community_id == community.id,
            col(Practice.deleted_at).is_(None),
            Practice.status == ReviewStatus.APPROVED,
        )
    ).all()
    partners: dict[int, list[str]] = {}
    for practice_id, name in session.exec(
        select(PracticeOrganisation.practice_id, Organisation.name)
        .join(Organisation, col(Organisation.id) == PracticeOrganisation.organisation_id)
        .where(col(PracticeOrganisation.practice_id).in_([p.id for p, _ in rows] or [-1]))
        .order_by(Organisation.name)
    ):
        partners.setdefault(practice_id, []).append(name)
    by_id = {p.id: (p, city) for p, city in rows}
    blocks: list[Block] = []
    for practice_id in chosen:
        if practice_id not in by_id:
            continue
        practice, city = by_id[practice_id]
        facts = [
            ("City", city),
            ("Implemented with", ", ".join(partners.get(practice_id, []))),
            ("Period", _period(practice)),
            ("Regular service", "yes" if practice.is_regular_service else ""),
            ("People reached", f"{practice.people_reached:,}" if practice.people_reached else ""),
            ("Themes", ", ".join(practice.themes)),
            ("Target groups", ", ".join(practice.target_groups)),
        ]
        fields = [
            (label, getattr(practice, name))
            for name, label in PRACTICE_FIELDS
            if getattr(practice, name).strip()
        ]
        # Transferability in two labelled parts: how it continues to be funded, and what
        # another city would need (they were one unlabelled text).
        if practice.continuation_funding.strip():
            fields.append(("How it is funded from now on", practice.continuation_funding))
        if practice.transfer_needs.strip():
            fields.append(
                ("Transferability: what another city would need", practice.transfer_needs)
            )
        if practice.links:
            fields.append(("Links", "\n".join(f"- <{link}>" for link in practice.links)))
        blocks.append(PracticeBox(practice.title, [(k, v) for k, v in facts if v], fields))
    return blocks or [Paragraph("*No approved practices selected yet.*")]


def _key_results(
    session: Session,
    actor: Actor,
    community: Community,
    settings: dict[str, Any],
    with_charts: bool,
    language: str,
) -> list[Block]:
    """The figures as a table (the infographic's text alternative), then the infographic in the
    document's language."""
    assert community.id is not None  # the caller read it from the database
    results = key_results(session, actor, community.id)
    _ = translator(language)
    blocks: list[Block] = [
        Table([_("Figure"), _("Value")], [list(row) for row in results.figures(_, language)])
    ]
    if with_charts and settings.get("chart", True):
        png, svg, alt = infographic(results, language)
        blocks.append(
            Figure(_("Key results of {community}").format(community=community.name), alt, png, svg)
        )
    return blocks


def _timeline(session: Session, community: Community, settings: dict[str, Any]) -> list[Block]:
    statuses = list(HELD) + (
        [WorkshopStatus.PLANNED.value] if settings.get("include_planned") else []
    )
    attendees = (
        select(Attendance.workshop_id, func.count().label("n"))
        .where(col(Attendance.deleted_at).is_(None), col(Attendance.attended).is_(True))
        .group_by(col(Attendance.workshop_id))
        .subquery()
    )
    rows = session.execute(
        sa.select(
            col(Workshop.starts_at),
            col(Workshop.time_zone),
            col(Workshop.title),
            col(Workshop.kind),
            col(Workshop.format),
            col(Workshop.status),
            col(Organisation.name),
            attendees.c.n,
        )
        .join(Organisation, col(Organisation.id) == Workshop.host_organisation_id, isouter=True)
        .join(attendees, attendees.c.workshop_id == Workshop.id, isouter=True)
        .where(
            col(Workshop.community_id) == community.id,
            col(Workshop.deleted_at).is_(None),
            col(Workshop.status).in_(statuses),
        )
        .order_by(col(Workshop.starts_at), col(Workshop.id))
    ).all()
    if not rows:
        return [Paragraph("*No workshops held yet.*")]
    table = [
        [
            _local_day(starts, zone),
            title,
            kind.replace("_", " "),
            fmt.replace("_", " "),
            host or "",
            "planned" if status == WorkshopStatus.PLANNED else str(n or 0),
        ]
        for starts, zone, title, kind, fmt, status, host, n in rows
    ]
    return [Table(["Date", "Workshop or visit", "Kind", "Format", "Host", "Attendees"], table)]


def _local_day(instant: Any, zone: str) -> str:
    known = zone_named(zone)
    return instant.astimezone(known).date().isoformat() if known else instant.date().isoformat()


def _actions(session: Session, community: Community, settings: dict[str, Any]) -> list[Block]:
    live = sa.and_(col(Action.community_id) == community.id, col(Action.deleted_at).is_(None))
    leading, owners = aliased(Organisation), aliased(Organisation)
    rows = session.execute(
        sa.select(
            col(Action.title),
            func.coalesce(leading.name, owners.name),
            col(Action.status),
            col(Action.due_date),
            col(Action.progress),
        )
        .join(Person, col(Person.id) == Action.owner_person_id)
        .join(leading, col(Action.organisation_id) == leading.id, isouter=True)
        .join(owners, col(Person.organisation_id) == owners.id, isouter=True)
        .where(live)
        .order_by(col(Action.due_date), col(Action.id))
    ).all()
    if not rows:
        return [Paragraph("*No joint actions yet.*")]
    cities = len({city for _, city, *_ in rows if city})
    done = sum(1 for _, _, status, *_ in rows if status == ActionStatus.DONE)
    blocks: list[Block] = [
        Paragraph(
            f"Joint actions: {len(rows)}; cities and organisations leading them: {cities}; done: {done}."
        )
    ]
    if settings.get("list_actions", True):
        blocks.append(
            Table(
                ["Action", "City or organisation", "Status", "Due", "Progress"],
                [
                    [title, city or "", status.replace("_", " "), due.isoformat(), f"{progress} %"]
                    for title, city, status, due, progress in rows
                ],
            )
        )
    return blocks


def _lessons(session: Session, community: Community, settings: dict[str, Any]) -> list[Block]:
    if not settings.get("include_insights", True):
        return []
    rows = session.exec(
        select(Workshop.title, Outcome.text)
        .join(Workshop, col(Workshop.id) == Outcome.workshop_id)
        .where(
            Workshop.community_id == community.id,
            col(Workshop.deleted_at).is_(None),
            Workshop.status == WorkshopStatus.CLOSED,
            col(Outcome.deleted_at).is_(None),
            Outcome.kind == OutcomeKind.INSIGHT,
        )
        .order_by(col(Workshop.starts_at), col(Outcome.id))
    ).all()
    if not rows:
        return []
    items = "\n".join(
        f"- **{escape(' '.join(title.split()))}:** {' '.join(text.split())}" for title, text in rows
    )
    return [Paragraph("**Insights from the workshops**\n\n" + items)]


def record_blocks(
    session: Session,
    actor: Actor,
    community: Community,
    section: Section,
    *,
    with_charts: bool = True,
    language: str = "en",
) -> list[Block]:
    """What the community's records contribute to a section (nothing for free text).

    ``with_charts=False`` leaves out the infographic, which the pages draw
    themselves from the same figures.
    """
    settings = dict(section.settings or {})
    kind = section.kind
    if kind == SectionKind.STANDARDS:
        return _standards(session, community, settings)
    if kind == SectionKind.PRACTICES:
        return _practices(session, community, settings)
    if kind == SectionKind.KEY_RESULTS:
        return _key_results(session, actor, community, settings, with_charts, language)
    if kind == SectionKind.WORKSHOP_TIMELINE:
        return _timeline(session, community, settings)
    if kind == SectionKind.ACTIONS_SUMMARY:
        return _actions(session, community, settings)
    if kind == SectionKind.LESSONS_LEARNED:
        return _lessons(session, community, settings)
    return []


def section_blocks(
    session: Session,
    actor: Actor,
    community: Community,
    section: Section,
    *,
    with_charts: bool = True,
    language: str = "en",
) -> list[Block]:
    """The blocks of one section: its heading, the author's text, then what the records say."""
    blocks: list[Block] = [Heading(2, section.title)]
    if section.body.strip():
        blocks.append(Paragraph(section.body))
    return blocks + record_blocks(
        session, actor, community, section, with_charts=with_charts, language=language
    )


def chapter_blocks(
    session: Session,
    actor: Actor,
    chapter: Chapter,
    community: Community,
    sections: list[Section],
    language: str = "en",
) -> list[Block]:
    blocks: list[Block] = [Heading(1, chapter.title)]
    for section in sections:
        blocks += section_blocks(session, actor, community, section, language=language)
    return blocks


def chapter_document(
    session: Session,
    actor: Actor,
    toolkit: Toolkit,
    chapter: Chapter,
    community: Community,
    sections: list[Section],
) -> Document:
    """The chapter as it reads now (the draft), ready to render or to freeze."""
    return Document(
        title=toolkit.title,
        subtitle=f"{toolkit.year}",
        language=toolkit.language,
        licence=toolkit.licence,
        blocks=chapter_blocks(session, actor, chapter, community, sections, toolkit.language),
        clusters=[cluster_of(community)],
    ).number_anchors()
