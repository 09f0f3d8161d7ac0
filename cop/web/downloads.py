"""The files a download link can fetch, each built by the same service the page uses.

A kind names one export and how it is built from the link's parameters; every builder
opens its own short database session and calls its capability's service, which checks
the permissions (and takes an export slot where building takes seconds). What a link
may ask for is this table, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cop.accounts import personal_data
from cop.accounts import service as accounts
from cop.actions import io as action_io
from cop.actions import plan as action_plan
from cop.communities import service as communities
from cop.communities.models import Organisation
from cop.core import clock
from cop.core.db import read_session, write_session
from cop.core.permissions import Actor
from cop.core.validation import record_id
from cop.export.document import slug
from cop.toolkit import export as toolkit_export
from cop.workshops import attachments
from cop.workshops import io as workshop_io

CSV = "text/csv; charset=utf-8"

# The list filters a workshop link carries (those of ``workshops.queries.find_workshops``).
WORKSHOP_FILTERS = (
    "community_id",
    "text",
    "kind",
    "format",
    "status",
    "host_organisation_id",
    "date_from",
    "date_to",
    "sort",
    "descending",
)


@dataclass(frozen=True)
class DownloadFile:
    name: str
    mime: str
    data: bytes


Builder = Callable[[Actor, dict[str, Any]], DownloadFile]


def _filters(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k in WORKSHOP_FILTERS}


def workshops_csv(actor: Actor, params: dict[str, Any]) -> DownloadFile:
    """The workshop list as its filters show it, as CSV."""
    with read_session() as session:
        data = workshop_io.export_workshops_csv(session, actor, **_filters(params))
    return DownloadFile("workshops.csv", CSV, data)


def workshops_ics(actor: Actor, params: dict[str, Any]) -> DownloadFile:
    """The workshop list as its filters show it, for a calendar."""
    with read_session() as session:
        data = workshop_io.export_workshops_ics(session, actor, **_filters(params))
    return DownloadFile("workshops.ics", "text/calendar; charset=utf-8", data)


def actions_csv(actor: Actor, params: dict[str, Any]) -> DownloadFile:
    """Every live action of one community, as CSV (facilitators)."""
    community_id = params.get("community_id", "")
    with read_session() as session:
        data = action_io.export_actions_csv(session, actor, community_id)
        community = communities.get_community(session, actor, community_id)
    return DownloadFile(f"actions-{community.slug}.csv", CSV, data)


def city_plan_pdf(actor: Actor, params: dict[str, Any]) -> DownloadFile:
    """One organisation's action plan as PDF (in an export slot)."""
    with read_session() as session:
        data = action_plan.city_plan_pdf(session, actor, params.get("organisation_id"))
        organisation = session.get(Organisation, record_id(params.get("organisation_id")))
        name = organisation.name if organisation is not None else "organisation"  # found above
    return DownloadFile(f"action-plan-{slug(name)}.pdf", "application/pdf", data)


def chapter_file(actor: Actor, params: dict[str, Any]) -> DownloadFile:
    """One chapter (its draft or a revision) as Markdown, HTML, DOCX or PDF."""
    built = toolkit_export.export_chapter(
        actor,
        params.get("chapter_id"),
        str(params.get("format")),
        revision=params.get("revision"),
        draft=bool(params.get("draft")),
    )
    return DownloadFile(built.filename, built.mime, built.data)


def own_data(actor: Actor, params: dict[str, Any]) -> DownloadFile:
    """Everything the workspace holds about the person, as JSON (the export is audited)."""
    with write_session() as session:
        data = personal_data.export_own_data_json(session, actor)
    return DownloadFile(
        f"my-data-{clock.today().isoformat()}.json", "application/json", data.encode("utf-8")
    )


def attendance_csv(actor: Actor, params: dict[str, Any]) -> DownloadFile:
    """One workshop's attendance list (facilitators; the export is audited)."""
    workshop_id = params.get("workshop_id", "")
    with write_session() as session:
        data = workshop_io.export_attendance_csv(session, actor, workshop_id)
    return DownloadFile(f"attendance-{workshop_id}.csv", CSV, data)


def attachment(actor: Actor, params: dict[str, Any]) -> DownloadFile:
    """A workshop's attachment as it was uploaded, to those who may read the workshop."""
    with read_session() as session:
        name, content_type, data = attachments.attachment_download(
            session, actor, params.get("attachment_id", 0)
        )
    return DownloadFile(name, content_type, data)


KINDS: dict[str, Builder] = {
    "workshops.csv": workshops_csv,
    "workshops.ics": workshops_ics,
    "actions.csv": actions_csv,
    "city-plan.pdf": city_plan_pdf,
    "chapter": chapter_file,
    "my-data.json": own_data,
    "attendance.csv": attendance_csv,
    "attachment": attachment,
}


def actor_for(account_id: int, issued_at: datetime) -> Actor | None:
    """The link's account, read afresh: None when it may no longer download (see the gate)."""
    with read_session() as session:
        return accounts.actor_issued_at(session, account_id, issued_at)
