"""A chapter's sections turned into the document model, reading the community's records live.

Blocks built from records show only what the toolkit may publish: approved
standards, approved practices (the ones the section selected, in its order),
figures and series from ``key_results``, workshops that were held, the
community's joint actions (by city, never by person) and the insights
recorded when workshops were closed. While the chapter is a draft these
blocks follow the records; approval freezes them in a revision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from cop.actions import progress as action_progress
from cop.actions.history import STATUSES as ACTION_STATUSES
from cop.actions.models import Action, ActionStatus
from cop.communities.models import Community, Organisation, Person
from cop.core.i18n import N_, translator
from cop.core.markdown import one_per_line
from cop.core.permissions import Actor
from cop.core.validation import zone_named
from cop.export.document import Block, Document, Figure, Heading, Paragraph, PracticeBox, Table
from cop.export.markdown import escape
from cop.practices.models import Practice, PracticeOrganisation, ReviewStatus, Standard
from cop.toolkit.key_results import HELD, cluster_of, infographic, key_results
from cop.toolkit.models import Chapter, Section, SectionKind, Toolkit
from cop.workshops.labels import FORMAT_LABELS as WORKSHOP_FORMATS
from cop.workshops.labels import KIND_LABELS as WORKSHOP_KINDS
from cop.workshops.models import Attendance, Outcome, OutcomeKind, Workshop, WorkshopStatus

Translate = Callable[[str], str]

KIND_LABELS: dict[str, str] = {
    SectionKind.FREE_TEXT: "Free text",
    SectionKind.STANDARDS: "Standards",
    SectionKind.PRACTICES: "Practices",
    SectionKind.KEY_RESULTS: "Key results",
    SectionKind.WORKSHOP_TIMELINE: "Workshop timeline",
    SectionKind.ACTIONS_SUMMARY: "Actions summary",
    SectionKind.LESSONS_LEARNED: "Lessons learned",
}
# A new section's title, in the edition's language (translated when the section is added).
DEFAULT_TITLES: dict[str, str] = {
    SectionKind.FREE_TEXT: N_("About this chapter"),
    SectionKind.STANDARDS: N_("Standards"),
    SectionKind.PRACTICES: N_("Practice examples"),
    SectionKind.KEY_RESULTS: N_("Key results"),
    SectionKind.WORKSHOP_TIMELINE: N_("Workshops and visits"),
    SectionKind.ACTIONS_SUMMARY: N_("Joint actions"),
    SectionKind.LESSONS_LEARNED: N_("Lessons learned"),
}
# Labels in English, written in the edition's language (``translator(toolkit.language)``): a
# German edition's documents read in German throughout, as their ``lang`` says.
PRACTICE_FIELDS = (
    ("summary", N_("Summary")),
    ("challenge", N_("Challenge")),
    ("goals", N_("Goals")),
    ("how_it_works", N_("How it works")),
    ("results", N_("Results")),
    ("evaluation", N_("Evaluation")),
    ("beneficiaries", N_("Beneficiaries")),
    ("volunteers_role", N_("The role of volunteers")),
    ("funding", N_("Funding")),
    ("contact", N_("Contact")),
)
STANDARD_FIELDS = (
    ("success_factors", N_("Key success factors")),
    ("guiding_questions", N_("Guiding questions")),
    ("indicators", N_("Indicators")),
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


def _standards(
    session: Session, community: Community, settings: dict[str, Any], _: Translate
) -> list[Block]:
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
                blocks.append(Paragraph(f"**{_(label)}**\n\n{one_per_line(text)}"))
    return blocks or [Paragraph("*" + _("No approved standards yet.") + "*")]


def _period(practice: Practice, _: Translate, language: str) -> str:
    def month(day: Any) -> str:
        return babel_date(day, "LLLL yyyy", locale=language)

    if practice.started_on and practice.ended_on:
        return _("{start} to {end}").format(
            start=month(practice.started_on), end=month(practice.ended_on)
        )
    if practice.started_on:
        return _("since {start}").format(start=month(practice.started_on))
    return ""


def _practices(
    session: Session, community: Community, settings: dict[str, Any], _: Translate, language: str
) -> list[Block]:
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
        reached = practice.people_reached
        facts = [
            (_("City"), city),
            (_("Implemented with"), ", ".join(partners.get(practice_id, []))),
            (_("Period"), _period(practice, _, language)),
            (_("Regular service"), _("yes") if practice.is_regular_service else ""),
            (_("People reached"), format_decimal(reached, locale=language) if reached else ""),
            (_("Themes"), ", ".join(practice.themes)),
            (_("Target groups"), ", ".join(practice.target_groups)),
        ]
        fields = [
            (_(label), getattr(practice, name))
            for name, label in PRACTICE_FIELDS
            if getattr(practice, name).strip()
        ]
        # Transferability in two labelled parts: how it continues to be funded, and what
        # another city would need (they were one unlabelled text).
        if practice.continuation_funding.strip():
            fields.append((_("How it is funded from now on"), practice.continuation_funding))
        if practice.transfer_needs.strip():
            fields.append(
                (_("Transferability: what another city would need"), practice.transfer_needs)
            )
        if practice.links:
            fields.append((_("Links"), "\n".join(f"- <{link}>" for link in practice.links)))
        blocks.append(PracticeBox(practice.title, [(k, v) for k, v in facts if v], fields))
    return blocks or [Paragraph("*" + _("No approved practices selected yet.") + "*")]


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


def _timeline(
    session: Session, community: Community, settings: dict[str, Any], _: Translate
) -> list[Block]:
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
        return [Paragraph("*" + _("No workshops held yet.") + "*")]
    table = [
        [
            _local_day(starts, zone),
            title,
            _(WORKSHOP_KINDS[kind]) if kind in WORKSHOP_KINDS else kind.replace("_", " "),
            _(WORKSHOP_FORMATS[fmt]) if fmt in WORKSHOP_FORMATS else fmt.replace("_", " "),
            host or "",
            _("planned") if status == WorkshopStatus.PLANNED else str(n or 0),
        ]
        for starts, zone, title, kind, fmt, status, host, n in rows
    ]
    columns = [_("Date"), _("Workshop or visit"), _("Kind"), _("Format"), _("Host"), _("Attendees")]
    return [Table(columns, table)]


def _local_day(instant: Any, zone: str) -> str:
    known = zone_named(zone)
    return instant.astimezone(known).date().isoformat() if known else instant.date().isoformat()


def _actions(
    session: Session, community: Community, settings: dict[str, Any], _: Translate
) -> list[Block]:
    live = sa.and_(col(Action.community_id) == community.id, col(Action.deleted_at).is_(None))
    leading, owners = aliased(Organisation), aliased(Organisation)
    rows = session.execute(
        sa.select(
            col(Action.title),
            func.coalesce(leading.name, owners.name),
            col(Action.status),
            col(Action.due_date),
            col(Action.progress),
            col(Action.id),
            col(Action.progress_mode),
        )
        .join(Person, col(Person.id) == Action.owner_person_id)
        .join(leading, col(Action.organisation_id) == leading.id, isouter=True)
        .join(owners, col(Person.organisation_id) == owners.id, isouter=True)
        .where(live)
        .order_by(col(Action.due_date), col(Action.id))
    ).all()
    if not rows:
        return [Paragraph("*" + _("No joint actions yet.") + "*")]
    cities = len({row[1] for row in rows if row[1]})
    done = sum(1 for row in rows if row[2] == ActionStatus.DONE)
    blocks: list[Block] = [
        Paragraph(
            _(
                "Joint actions: {count}; cities and organisations leading them: {cities}; "
                "done: {done}."
            ).format(count=len(rows), cities=cities, done=done)
        )
    ]
    if settings.get("list_actions", True):
        # A parent's roll-up says so ("10 % (from 3 sub-actions)"), as on every screen.
        sources = action_progress.progress_sources(session, [(row[5], row[6]) for row in rows])
        blocks.append(
            Table(
                [_("Action"), _("City or organisation"), _("Status"), _("Due"), _("Progress")],
                [
                    [
                        title,
                        city or "",
                        _(ACTION_STATUSES[status])
                        if status in ACTION_STATUSES
                        else status.replace("_", " "),
                        due.isoformat(),
                        action_progress.progress_text(progress, sources.get(action_id), _),
                    ]
                    for title, city, status, due, progress, action_id, _mode in rows
                ],
            )
        )
    return blocks


def _lessons(
    session: Session, community: Community, settings: dict[str, Any], _: Translate
) -> list[Block]:
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
    return [Paragraph("**" + _("Insights from the workshops") + "**\n\n" + items)]


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
    _ = translator(language)
    if kind == SectionKind.STANDARDS:
        return _standards(session, community, settings, _)
    if kind == SectionKind.PRACTICES:
        return _practices(session, community, settings, _, language)
    if kind == SectionKind.KEY_RESULTS:
        return _key_results(session, actor, community, settings, with_charts, language)
    if kind == SectionKind.WORKSHOP_TIMELINE:
        return _timeline(session, community, settings, _)
    if kind == SectionKind.ACTIONS_SUMMARY:
        return _actions(session, community, settings, _)
    if kind == SectionKind.LESSONS_LEARNED:
        return _lessons(session, community, settings, _)
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
