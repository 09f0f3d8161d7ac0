"""Publishing the toolkit website: who may, what goes online, and what is served.

An admin publishes the edition (every chapter at its latest approved revision); a
facilitator publishes their own chapter (that chapter moves on, the others stay as
they were online). Building takes seconds, so it happens between two short
transactions: one reads a consistent state and checks the permission, the other
stores the new site and its audit event.
"""

from __future__ import annotations

import io
import mimetypes
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cop.core import clock
from cop.core.audit import record_event
from cop.core.db import get_engine, read_session, write_session
from cop.core.errors import NotFound, ValidationError
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.permissions import Actor, authorize
from cop.publishing.content import SiteContent, approved_numbers, site_content
from cop.publishing.generator import build_site
from cop.publishing.models import PublishedSite
from cop.toolkit.export import snapshot_session
from cop.toolkit.models import Toolkit
from cop.toolkit.service import chapter_in_scope, get_toolkit


@dataclass(frozen=True)
class Publication:
    """What the Toolkit page and ``cop publish`` say about a site that is online."""

    toolkit_id: int
    number: int
    published_at: datetime
    published_by: str
    pages: int
    size: int
    chapters: dict[str, int]


@dataclass(frozen=True)
class PublicationPlan:
    """What a publish would put online, checked against the actor's permission."""

    content: SiteContent
    numbers: dict[str, int]
    community_id: int | None


def _latest(session: Session, toolkit_id: int) -> PublishedSite | None:
    return session.exec(
        select(PublishedSite)
        .where(PublishedSite.toolkit_id == toolkit_id)
        .order_by(col(PublishedSite.id).desc())
        .limit(1)
    ).first()


def _alternates(session: Session, toolkit: Toolkit) -> list[tuple[str, int]]:
    """Editions of the same year in another language that are online (the language switch)."""
    others = session.exec(
        select(Toolkit.language, Toolkit.id)
        .where(Toolkit.year == toolkit.year, Toolkit.language != toolkit.language)
        .where(col(Toolkit.id).in_(select(PublishedSite.toolkit_id)))
        .order_by(col(Toolkit.language))
    ).all()
    return [(language, toolkit_id) for language, toolkit_id in others if toolkit_id is not None]


def plan_publication(
    session: Session, actor: Actor, toolkit_id: Any, *, chapter_id: Any = None
) -> PublicationPlan:
    """Check the permission and gather the approved revisions to publish; refuse an empty site."""
    toolkit = get_toolkit(session, toolkit_id)
    previous = _latest(session, toolkit.id or 0)
    community_id: int | None = None
    if chapter_id is None:
        authorize(actor, "toolkit.publish")
        numbers = approved_numbers(session, toolkit.id or 0)
    else:
        chapter, community = chapter_in_scope(session, actor, chapter_id)
        authorize(actor, "chapter.publish", community)
        if chapter.toolkit_id != toolkit.id:
            raise NotFound(N_("This chapter is not part of the edition."))
        if chapter.approved_number == 0:
            raise ValidationError(
                {
                    "chapter": Message(
                        N_("{chapter} has no approved revision yet: approve it before publishing."),
                        chapter=chapter.title,
                    )
                }
            )
        numbers = dict(previous.chapters) if previous else {}
        numbers[str(chapter.id)] = chapter.approved_number
        community_id = community.id
    if not numbers:
        raise ValidationError(
            {
                "toolkit": Message(
                    N_(
                        "{toolkit} has no approved chapter yet: approve at least one chapter "
                        "before publishing."
                    ),
                    toolkit=toolkit.title,
                )
            }
        )
    content = site_content(session, toolkit, numbers, _alternates(session, toolkit))
    return PublicationPlan(content, numbers, community_id)


def publish(
    actor: Actor,
    toolkit_id: Any,
    *,
    chapter_id: Any = None,
    engine: Engine | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Publication:
    """Build the site from the approved revisions and put it online (a new numbered version)."""
    with snapshot_session(engine) as session:
        plan = plan_publication(session, actor, toolkit_id, chapter_id=chapter_id)
    day = clock.now().date().isoformat()
    built = build_site(plan.content, day, on_wait)
    with write_session(engine) as session:
        toolkit = get_toolkit(session, toolkit_id)
        previous = _latest(session, toolkit.id or 0)
        row = PublishedSite(
            toolkit_id=toolkit.id or 0,
            number=(previous.number if previous else 0) + 1,
            published_by_name=actor.name,
            chapters=plan.numbers,
            pages=built.pages,
            archive=built.archive,
        )
        session.add(row)
        session.flush()
        record_event(
            session,
            actor,
            "chapter.publish" if chapter_id is not None else "toolkit.publish",
            toolkit,
            community_id=plan.community_id,
            changes={"published": [previous.number if previous else None, row.number]},
        )
        return _publication(row)


def _publication(row: PublishedSite) -> Publication:
    return Publication(
        toolkit_id=row.toolkit_id,
        number=row.number,
        published_at=row.published_at,
        published_by=row.published_by_name,
        pages=row.pages,
        size=len(row.archive),
        chapters={k: int(v) for k, v in row.chapters.items()},
    )


def latest_publication(session: Session, toolkit_id: int) -> Publication | None:
    """The version online now, or None before the first publish. Anyone may know it."""
    row = _latest(session, toolkit_id)
    return _publication(row) if row is not None else None


def site_archive(session: Session, toolkit_id: int) -> bytes | None:
    """The site online now as a zip (the "Download the website" file)."""
    row = _latest(session, toolkit_id)
    return row.archive if row is not None else None


@dataclass(frozen=True)
class OnlineEdition:
    toolkit_id: int
    title: str
    year: int
    language: str
    number: int
    published_at: datetime


def online_editions(session: Session) -> list[OnlineEdition]:
    """Every edition with a published site, newest year first (the ``/published/`` index)."""
    # One query per edition: there are a handful of editions, never hundreds.
    found: list[OnlineEdition] = []
    for toolkit in session.exec(
        select(Toolkit)
        .where(col(Toolkit.id).in_(select(PublishedSite.toolkit_id)))
        .order_by(col(Toolkit.year).desc(), col(Toolkit.language))
    ).all():
        row = _latest(session, toolkit.id or 0)
        if row is not None:
            found.append(
                OnlineEdition(
                    toolkit.id or 0,
                    toolkit.title,
                    toolkit.year,
                    toolkit.language,
                    row.number,
                    row.published_at,
                )
            )
    return found


def _latest_id(toolkit_id: int, engine: Engine | None) -> int | None:
    with read_session(engine) as session:
        return session.exec(
            select(col(PublishedSite.id))
            .where(PublishedSite.toolkit_id == toolkit_id)
            .order_by(col(PublishedSite.id).desc())
            .limit(1)
        ).first()


@lru_cache(maxsize=8)
def _opened(site_id: int, url: str) -> zipfile.ZipFile:
    """A published version's zip, read once per process (rows are never changed)."""
    with read_session(get_engine(url)) as session:
        row = session.get(PublishedSite, site_id)
        if row is None:
            raise NotFound(N_("This version of the site is gone."))
        return zipfile.ZipFile(io.BytesIO(row.archive))


def site_file(toolkit_id: int, path: str, engine: Engine | None = None) -> tuple[bytes, str] | None:
    """A file of the site online now, with its content type; None when there is no such file."""
    engine = engine or get_engine()
    site_id = _latest_id(toolkit_id, engine)
    if site_id is None:
        return None
    clean = posixpath.normpath("/" + path).lstrip("/") or "index.html"
    if clean.endswith("/"):
        clean += "index.html"
    archive = _opened(site_id, engine.url.render_as_string(hide_password=False))
    try:
        data = archive.read(clean)
    except KeyError:
        try:
            data = archive.read(posixpath.join(clean, "index.html"))
            clean = posixpath.join(clean, "index.html")
        except KeyError:
            return None
    kind = mimetypes.guess_type(clean)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in {"application/javascript", "application/json"}:
        kind += "; charset=utf-8"
    return data, kind
