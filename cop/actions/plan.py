"""A city's action plan as a printable document: the same rows as the page, as PDF.

The plan becomes a ``Document`` (plain-text table cells, escaped by the HTML
renderer) and is printed by WeasyPrint through ``cop.export.pdf``, whose
fetcher refuses every URL, inside one of the server's export slots so a
large plan cannot starve other sessions.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from cop.actions.history import STATUSES as STATUS_LABELS
from cop.actions.progress import progress_text
from cop.actions.queries import ActionRow, CityPlan, city_plan
from cop.core import clock
from cop.core.i18n import DEFAULT_LANGUAGE, N_, format_day, translator
from cop.core.permissions import Actor
from cop.export import pdf
from cop.export.document import Document, Paragraph, Table
from cop.export.limiter import export_slot

COLUMNS = [
    N_("Action"),
    N_("Community"),
    N_("Owner"),
    N_("Status"),
    N_("Progress"),
    N_("Due"),
    N_("Latest update"),
]


def plan_rows(plan: CityPlan, language: str = DEFAULT_LANGUAGE) -> list[list[str]]:
    """The plan's table as plain text in the reader's language, one row per action (page and PDF)."""
    _ = translator(language)
    return [
        [
            row.title,
            row.community,
            row.owner,
            _(STATUS_LABELS.get(row.status, row.status)),
            progress_text(row.progress, row.progress_from, _),
            _due(row, language),
            row.latest_update.text if row.latest_update else "",
        ]
        for row in plan.rows
    ]


def _due(row: ActionRow, language: str) -> str:
    _ = translator(language)
    day = format_day(row.due_date, language)
    return _("{day} (overdue)").format(day=day) if row.overdue else day


def plan_summary(plan: CityPlan, language: str = DEFAULT_LANGUAGE) -> str:
    """One sentence in the reader's language: how many actions, how they stand, how many are overdue."""
    _ = translator(language)
    order = list(STATUS_LABELS)
    parts = [
        f"{n} {_(STATUS_LABELS.get(status, status))}"
        for status, n in sorted(
            plan.by_status.items(),
            key=lambda item: order.index(item[0]) if item[0] in order else len(order),
        )
    ]
    count = _("1 action") if plan.total == 1 else _("{n} actions").format(n=plan.total)
    text = (
        _("{count}: {statuses}; {overdue} overdue.") if parts else _("{count}; {overdue} overdue.")
    )
    text = text.format(count=count, statuses=", ".join(parts), overdue=plan.overdue)
    if plan.average_open_progress is not None:
        text += " " + _("Open actions are {percent} % done on average.").format(
            percent=f"{plan.average_open_progress:.0f}"
        )
    if plan.total > len(plan.rows):
        text += " " + _("The first {n} are listed.").format(n=len(plan.rows))
    return text


def city_plan_document(plan: CityPlan, language: str = DEFAULT_LANGUAGE) -> Document:
    """The printable plan, every label and date in the reader's language."""
    _ = translator(language)
    return Document(
        title=_("Action plan: {name}").format(name=plan.organisation.name),
        subtitle=_("As of {day}").format(day=format_day(clock.today(), language)),
        blocks=[
            Paragraph(plan_summary(plan, language)),
            Table([_(c) for c in COLUMNS], plan_rows(plan, language)),
        ],
    )


def city_plan_pdf(
    session: Session,
    actor: Actor,
    organisation_id: object,
    on_wait: Callable[[str], None] | None = None,
) -> bytes:
    """The plan of the organisation (what the actor may read) as an A4 PDF in the actor's language."""
    plan = city_plan(session, actor, organisation_id)
    document = city_plan_document(plan, actor.language or DEFAULT_LANGUAGE)
    with export_slot(on_wait):
        return pdf.render(document)
