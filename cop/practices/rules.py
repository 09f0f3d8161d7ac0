"""Checking what a user typed into a practice form, one message per field.

Kept apart from the workflow in ``practices`` because the template has many
fields and each has its own rule: links are http(s) only (a ``javascript:``
link must never reach a page), tags are short single lines compared without
case, people reached is a whole number of at least zero, and a practice that
became a regular service has not ended.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from cop.communities.models import Organisation
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.settings import LIMITS
from cop.core.tags import check_tags, split_items
from cop.core.validation import Checker, record_id
from cop.practices.models import Practice
from cop.workshops.models import Workshop

LONG_TEXTS: dict[str, str] = {
    "summary": N_("The summary"),
    "challenge": N_("The challenge and context"),
    "goals": N_("The goals"),
    "how_it_works": N_("How it works"),
    "results": N_("The results"),
    "evaluation": N_("The evaluation"),
    "beneficiaries": N_("The beneficiaries"),
    "funding": N_("Funding and resources"),
    "continuation_funding": N_("How it is funded from now on"),
    "transfer_needs": N_("What another city would need"),
    "volunteers_role": N_("The role of volunteers"),
    "contact": N_("The contact"),
}
FIELDS = frozenset(
    {
        "title",
        "organisation_id",
        "started_on",
        "ended_on",
        "is_regular_service",
        "people_reached",
        "continues",
        "links",
        "themes",
        "target_groups",
        "implementer_ids",
        "workshop_ids",
        *LONG_TEXTS,
    }
)
MAX_LINKS = 20
MAX_LINK_LENGTH = 2000
MAX_PEOPLE_REACHED = 100_000_000
IMAGE_TYPES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


def check_links(chk: Checker, value: Any) -> list[str]:
    """Web addresses only: anything but http(s) (``javascript:``, ``data:``) is refused."""
    links: list[str] = []
    for number, raw in enumerate(split_items(value, r"[\r\n]+"), start=1):
        text = chk.text("links", raw, label=N_("Each link"))
        if text is None:
            continue
        link = text.strip()
        parts = (
            urlsplit(link) if link.isprintable() and not _SPACE_OR_CONTROL.search(link) else None
        )
        if len(link) > MAX_LINK_LENGTH:
            chk.fail(
                "links",
                Message(
                    N_("Link {number} is longer than {maximum:,} characters."),
                    number=number,
                    maximum=MAX_LINK_LENGTH,
                ),
            )
        elif parts is None or parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
            chk.fail(
                "links",
                Message(
                    N_(
                        "Link {number} ({link}) must be a web address starting with http:// or https://."
                    ),
                    number=number,
                    link=link[:80],
                ),
            )
        elif link not in links:
            links.append(link)
    if len(links) > MAX_LINKS:
        chk.fail("links", Message(N_("At most {count} links are allowed."), count=MAX_LINKS))
    return links


def check_flag(
    chk: Checker, field: str, value: Any, label: str, *, optional: bool = False
) -> bool | None:
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        template = (
            N_("{label} must be yes or no (or unknown).")
            if optional
            else N_("{label} must be yes or no.")
        )
        chk.fail(field, Message(template, label=label))
        return None
    return value


def check_people_reached(chk: Checker, value: Any) -> int | None:
    """Unknown (empty) or a whole number from 0; NaN, fractions and words are refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = chk.count(
        "people_reached", value, label=N_("People reached"), maximum=MAX_PEOPLE_REACHED
    )
    return number if "people_reached" not in chk.errors else None


def _ids(value: Any) -> list[int] | None:
    try:
        ids = [record_id(v) for v in (value or [])]
    except TypeError:  # not a list of ids at all
        return None
    wanted = [i for i in ids if i is not None]
    return None if len(wanted) < len(ids) else list(dict.fromkeys(wanted))


def check_organisation(
    chk: Checker, session: Session, field: str, value: Any, message: str
) -> int | None:
    """The id of a live organisation; otherwise ``message`` (e.g. "Choose a city that exists ...")."""
    number = record_id(value)
    organisation = session.get(Organisation, number) if number is not None else None
    if organisation is None or organisation.deleted_at is not None:
        chk.fail(field, message)
        return None
    return organisation.id


def check_implementers(chk: Checker, session: Session, value: Any) -> list[int]:
    ids = _ids(value)
    found = (
        set(
            session.exec(
                select(Organisation.id).where(
                    col(Organisation.id).in_(ids or [-1]), col(Organisation.deleted_at).is_(None)
                )
            )
        )
        if ids
        else set()
    )
    if ids is None or len(found) != len(ids):
        chk.fail(
            "implementer_ids", N_("Choose implementing organisations that exist in the workspace.")
        )
        return []
    return ids


def check_workshops(chk: Checker, session: Session, value: Any, community_id: int) -> list[int]:
    """Workshops of the same community only: a practice is linked where its community saw it."""
    ids = _ids(value)
    found = (
        set(
            session.exec(
                select(Workshop.id).where(
                    col(Workshop.id).in_(ids or [-1]),
                    Workshop.community_id == community_id,
                    col(Workshop.deleted_at).is_(None),
                )
            )
        )
        if ids
        else set()
    )
    if ids is None or len(found) != len(ids):
        chk.fail("workshop_ids", N_("Choose workshops or visits of this community."))
        return []
    return ids


def check_practice(
    chk: Checker, session: Session, given: Mapping[str, Any], current: Practice | None
) -> dict[str, Any]:
    """The cleaned values of the ``given`` fields; ``current`` supplies the rest for cross-field rules."""
    unknown = set(given) - FIELDS
    if unknown:
        raise TypeError(f"Unknown practice fields: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    if "title" in given or current is None:
        values["title"] = chk.title("title", given.get("title"), label=N_("The title"))
    if "organisation_id" in given or current is None:
        values["organisation_id"] = check_organisation(
            chk,
            session,
            "organisation_id",
            given.get("organisation_id"),
            N_("Choose a city that exists in the workspace."),
        )
    for field in ("started_on", "ended_on"):
        if field in given:
            label = N_("The start") if field == "started_on" else N_("The end")
            values[field] = chk.day(field, given[field], label=label, required=False)
    if "is_regular_service" in given:
        values["is_regular_service"] = check_flag(
            chk, "is_regular_service", given["is_regular_service"], N_("Regular service")
        )
    if "continues" in given:
        values["continues"] = check_flag(
            chk, "continues", given["continues"], N_("Whether it continues"), optional=True
        )
    for field, label in LONG_TEXTS.items():
        if field in given:
            values[field] = chk.long_text(field, given[field], label=label)
    if "people_reached" in given:
        values["people_reached"] = check_people_reached(chk, given["people_reached"])
    if "links" in given:
        values["links"] = check_links(chk, given["links"])
    if "themes" in given:
        values["themes"] = check_tags(chk, "themes", given["themes"], "theme")
    if "target_groups" in given:
        values["target_groups"] = check_tags(
            chk, "target_groups", given["target_groups"], "target group"
        )
    if "implementer_ids" in given:
        values["implementer_ids"] = check_implementers(chk, session, given["implementer_ids"])
    _check_period(chk, values, current)
    return values


def _check_period(chk: Checker, values: dict[str, Any], current: Practice | None) -> None:
    """End not before start; a regular service has no end; an end needs a start."""
    if {"started_on", "ended_on"} & chk.errors.keys():
        return

    def merged(field: str) -> Any:
        return values[field] if field in values else getattr(current, field, None)

    start, end, regular = merged("started_on"), merged("ended_on"), merged("is_regular_service")
    if end is not None and start is None:
        chk.fail("started_on", N_("Give the start date too when the practice has ended."))
    chk.not_before("ended_on", start, end, label=N_("The end"))
    if end is not None and regular:
        chk.fail(
            "ended_on",
            N_("A practice that became a regular service has not ended: leave the end empty."),
        )


def check_image(chk: Checker, data: Any, alt_text: Any, credit: Any) -> tuple[str, bytes, str, str]:
    """PNG, JPEG or GIF by content (never by name), within the attachment limit, with alt text."""
    content_type = ""
    if not isinstance(data, bytes | bytearray) or not data:
        chk.fail("image", N_("Choose an image file."))
    elif len(data) > LIMITS.attachment_bytes:
        chk.fail(
            "image",
            Message(
                N_("The image is larger than {size} MB."),
                size=LIMITS.attachment_bytes // (1024 * 1024),
            ),
        )
    else:
        content_type = next(
            (kind for kind, magics in IMAGE_TYPES.items() if bytes(data[:8]).startswith(magics)), ""
        )
        if not content_type:
            chk.fail("image", N_("Only PNG, JPEG and GIF images are accepted."))
    alt = chk.title("alt_text", alt_text, label=N_("The alternative text"), max_len=500)
    credit_line = chk.optional_line("credit", credit, label=N_("The credit"))
    return content_type, bytes(data or b""), alt, credit_line
