"""A city's action plan as a printable document: the same rows as the page, as PDF.

The plan becomes a ``Document`` (plain-text table cells, escaped by the HTML
renderer) and is printed by WeasyPrint through ``cop.export.pdf``, whose
fetcher refuses every URL, inside one of the server's export slots so a
large plan cannot starve other sessions.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from cop.actions.queries import ActionRow, CityPlan, city_plan
from cop.core import clock
from cop.core.permissions import Actor
from cop.export import pdf
from cop.export.document import Document, Paragraph, Table
from cop.export.limiter import export_slot

STATUS_LABELS = {
    "idea": "Idea",
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}
COLUMNS = ["Action", "Community", "Owner", "Status", "Progress", "Due", "Latest update"]


def _progress(row: ActionRow) -> str:
    """A roll-up says what it comes from, as on the page ("10 % (from 3 sub-actions)")."""
    source = row.progress_from
    if source is None:
        return f"{row.progress} %"
    driver, n = source
    return f"{row.progress} % (from {n} {driver if n != 1 else driver[:-1]})"


def plan_rows(plan: CityPlan) -> list[list[str]]:
    """The plan's table as plain text, one row per action (shared by the page's print layout)."""
    return [
        [
            row.title,
            row.community,
            row.owner,
            STATUS_LABELS.get(row.status, row.status),
            _progress(row),
            row.due_date.isoformat() + (" (overdue)" if row.overdue else ""),
            row.latest_update.text if row.latest_update else "",
        ]
        for row in plan.rows
    ]


def plan_summary(plan: CityPlan) -> str:
    """One sentence: how many actions, how they stand, how many are overdue."""
    parts = [
        f"{n} {STATUS_LABELS.get(status, status).lower()}"
        for status, n in sorted(
            plan.by_status.items(),
            key=lambda item: list(STATUS_LABELS).index(item[0]) if item[0] in STATUS_LABELS else 99,
        )
    ]
    text = (
        f"{plan.total} actions"
        + (f": {', '.join(parts)}" if parts else "")
        + f"; {plan.overdue} overdue."
    )
    if plan.average_open_progress is not None:
        text += f" Open actions are {plan.average_open_progress:.0f} % done on average."
    if plan.total > len(plan.rows):
        text += f" The first {len(plan.rows):,} are listed."
    return text


def city_plan_document(plan: CityPlan) -> Document:
    return Document(
        title=f"Action plan: {plan.organisation.name}",
        subtitle=f"As of {clock.today().isoformat()}",
        blocks=[
            Paragraph(plan_summary(plan)),
            Table(COLUMNS, plan_rows(plan)),
        ],
    )


def city_plan_pdf(
    session: Session,
    actor: Actor,
    organisation_id: object,
    on_wait: Callable[[str], None] | None = None,
) -> bytes:
    """The plan of the organisation (what the actor may read) as an A4 PDF."""
    document = city_plan_document(city_plan(session, actor, organisation_id))
    with export_slot(on_wait):
        return pdf.render(document)
