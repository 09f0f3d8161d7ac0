"""Practices (every template field, links, tags, people reached, images, review notes), standards
and self-assessment scores."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlmodel import Session, select

from cop.practices import self_assessment, standards
from cop.practices import service as practices
from cop.practices.models import (
    Practice,
    PracticeImage,
    PracticeOrganisation,
    PracticeWorkshop,
    Standard,
)
from cop.practices.rules import LONG_TEXTS

from .inputs import (
    COUNT,
    DAY,
    DAY_SPAN,
    FLAG,
    LINE,
    LINK,
    LONG,
    ORGANISATION,
    PNG,
    UPLOAD,
    WORKSHOP,
    Bad,
    as_lists,
    sample,
)
from .rule import Target, as_day, as_id, as_whole, attribute, trimmed
from .world import HostileWorld, serial

# Practice texts that get every long-text input on creation; the others get the hostile core.
SWEPT_TEXTS = ("summary", "how_it_works", "contact")
CORE = {
    "empty",
    "one-megabyte",
    "100001-chars",
    "nul",
    "lone-surrogate",
    "script-tag",
    "formula-hyperlink",
    "markdown-javascript-link",
    "rtl-override",
    "emoji-zwj-family",
}


def _practice(field: str, **extra: Any) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Practice:
        values = {"title": f"Practice {serial()}", "organisation_id": w.city, **extra, field: v}
        return practices.create_practice(s, w.member, w.community.id, **values)  # type: ignore[arg-type]

    return call


def _practice_span(s: Session, w: HostileWorld, v: Any) -> Practice:
    return _practice("ended_on", started_on=v[0])(s, w, v[1])


def _period(s: Session, practice: Practice) -> tuple[date | None, date | None]:
    stored = s.get(Practice, practice.id)
    return stored.started_on, stored.ended_on  # type: ignore[union-attr]


def _days(value: tuple[Any, Any]) -> tuple[date, date]:
    return as_day(value[0]), as_day(value[1])


def _update_practice(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Practice:
        version = w.version(s, Practice, w.practice)
        return practices.update_practice(s, w.member, w.practice, version, **{field: v})

    return call


def _image(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> PracticeImage:
        values = {"data": PNG, "alt_text": "Two buddies", field: v}
        data = values.pop("data")
        return practices.add_image(s, w.member, w.practice, data, **values)

    return call


def _update_image(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> PracticeImage:
        values = {"alt_text": "A buddy pair", field: v}
        return practices.update_image(
            s, w.member, w.image, w.version(s, PracticeImage, w.image), **values
        )

    return call


def _send_back_practice(s: Session, w: HostileWorld, v: Any) -> Practice:
    practice = practices.create_practice(
        s,
        w.member,
        w.community.id,
        title=f"Practice {serial()}",  # type: ignore[arg-type]
        organisation_id=w.city,
    )
    practices.submit_practice(s, w.member, practice.id, practice.version)  # type: ignore[arg-type]
    return practices.send_back_practice(s, w.facilitator, practice.id, practice.version, note=v)  # type: ignore[arg-type]


def _standard(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Standard:
        values = {"title": f"Standard {serial()}", "statement": "Welcome first.", field: v}
        return standards.create_standard(s, w.member, w.community.id, **values)  # type: ignore[arg-type]

    return call


def _update_standard(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Standard:
        return standards.update_standard(
            s, w.member, w.standard, w.version(s, Standard, w.standard), **{field: v}
        )

    return call


def _send_back_standard(s: Session, w: HostileWorld, v: Any) -> Standard:
    standard = standards.create_standard(
        s,
        w.member,
        w.community.id,
        title=f"Standard {serial()}",  # type: ignore[arg-type]
        statement="Welcome first.",
    )
    standards.submit_standard(s, w.member, standard.id, standard.version)  # type: ignore[arg-type]
    return standards.send_back_standard(s, w.facilitator, standard.id, standard.version, note=v)  # type: ignore[arg-type]


def _score(field: str) -> Any:
    def call(s: Session, w: HostileWorld, v: Any) -> Any:
        values = {
            "organisation_id": w.city,
            "score": 2,
            "evidence": "",
            "assessed_on": "2024-05-02",
            "shared": False,
            field: v,
        }
        return self_assessment.record_score(s, w.facilitator, w.standard, **values)

    return call


def _day_or_none(value: Any) -> date | None:
    """An optional date left empty is unknown."""
    if isinstance(value, str) and not value.strip():
        return None
    return as_day(value)


def _linked(link: type[PracticeOrganisation] | type[PracticeWorkshop], column: str) -> Any:
    def read(s: Session, practice: Practice) -> list[int]:
        return sorted(s.exec(select(getattr(link, column)).where(link.practice_id == practice.id)))

    return read


def _links(value: Any) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in re.split(r"[\r\n]+", value) if p.strip()))


def _tags(value: Any) -> list[str]:
    tags: dict[str, str] = {}
    for part in value if isinstance(value, list) else re.split(r"[,\r\n]+", value):
        if part.strip():
            tags.setdefault(part.strip().casefold(), part.strip())
    return list(tags.values())


def _ids(value: Any) -> list[int]:
    return [as_id(v) for v in value]  # type: ignore[misc]


def _core(inputs: list[Bad]) -> list[Bad]:
    return [b for b in inputs if b.label in CORE]


TARGETS: list[Target] = [
    Target("create_practice", "title", LINE, _practice("title"), attribute("title"), trimmed),
    Target(
        "create_practice",
        "organisation_id",
        ORGANISATION,
        _practice("organisation_id"),
        attribute("organisation_id"),
        as_id,
    ),
    Target(
        "create_practice",
        "started_on",
        DAY,
        _practice("started_on"),
        attribute("started_on"),
        _day_or_none,
    ),
    Target(
        "create_practice",
        "ended_on",
        DAY,
        _practice("ended_on", started_on="1990-01-01"),
        attribute("ended_on"),
        _day_or_none,
    ),
    Target("create_practice", "ended_on", DAY_SPAN, _practice_span, _period, _days),
    Target(
        "create_practice",
        "is_regular_service",
        FLAG,
        _practice("is_regular_service"),
        attribute("is_regular_service"),
    ),
    Target("create_practice", "continues", FLAG, _practice("continues"), attribute("continues")),
    *[
        Target(
            "create_practice",
            name,
            LONG if name in SWEPT_TEXTS else _core(LONG),
            _practice(name),
            attribute(name),
        )
        for name in LONG_TEXTS
    ],
    Target(
        "create_practice",
        "people_reached",
        COUNT,
        _practice("people_reached"),
        attribute("people_reached"),
        as_whole,
    ),
    Target("create_practice", "links", LINK, _practice("links"), attribute("links"), _links),
    Target(
        "create_practice",
        "themes",
        LINE,
        _practice("themes"),
        attribute("themes"),
        _tags,
        allow=("newline", "carriage-return", "a-list"),
    ),
    Target(
        "create_practice",
        "target_groups",
        _core(LINE),
        _practice("target_groups"),
        attribute("target_groups"),
        _tags,
        allow=("newline", "carriage-return", "a-list"),
    ),
    Target(
        "create_practice",
        "implementer_ids",
        as_lists(ORGANISATION),
        _practice("implementer_ids"),
        _linked(PracticeOrganisation, "organisation_id"),
        _ids,
    ),
    Target(
        "create_practice",
        "workshop_ids",
        as_lists(WORKSHOP),
        _practice("workshop_ids"),
        _linked(PracticeWorkshop, "workshop_id"),
        _ids,
    ),
    Target(
        "update_practice",
        "title",
        sample(LINE),
        _update_practice("title"),
        attribute("title"),
        trimmed,
    ),
    Target(
        "update_practice",
        "summary",
        sample(LONG),
        _update_practice("summary"),
        attribute("summary"),
    ),
    Target(
        "update_practice",
        "people_reached",
        COUNT,
        _update_practice("people_reached"),
        attribute("people_reached"),
        as_whole,
    ),
    Target("update_practice", "links", LINK, _update_practice("links"), attribute("links"), _links),
    Target(
        "update_practice",
        "organisation_id",
        ORGANISATION,
        _update_practice("organisation_id"),
        attribute("organisation_id"),
        as_id,
    ),
    Target("add_image", "image", UPLOAD, _image("data"), attribute("data")),
    Target(
        "add_image",
        "alt_text",
        LINE,
        _image("alt_text"),
        attribute("alt_text"),
        trimmed,
        allow=("201-chars",),
    ),
    Target("add_image", "credit", LINE, _image("credit"), attribute("credit"), trimmed),
    Target(
        "update_image",
        "alt_text",
        sample(LINE),
        _update_image("alt_text"),
        attribute("alt_text"),
        trimmed,
        allow=("201-chars",),
    ),
    Target(
        "send_back_practice", "review_note", LONG, _send_back_practice, attribute("review_note")
    ),
    Target("create_standard", "title", LINE, _standard("title"), attribute("title"), trimmed),
    *[
        Target("create_standard", name, LONG, _standard(name), attribute(name))
        for name in ("statement", "success_factors", "guiding_questions", "indicators")
    ],
    Target(
        "update_standard",
        "title",
        sample(LINE),
        _update_standard("title"),
        attribute("title"),
        trimmed,
    ),
    Target(
        "update_standard",
        "statement",
        sample(LONG),
        _update_standard("statement"),
        attribute("statement"),
    ),
    Target(
        "send_back_standard", "review_note", LONG, _send_back_standard, attribute("review_note")
    ),
    Target("record_score", "score", COUNT, _score("score"), attribute("score"), as_whole),
    Target("record_score", "evidence", LONG, _score("evidence"), attribute("evidence")),
    Target(
        "record_score",
        "assessed_on",
        DAY,
        _score("assessed_on"),
        attribute("assessed_on"),
        _day_or_none,
    ),
    Target("record_score", "shared", FLAG, _score("shared"), attribute("shared_beyond_community")),
    Target(
        "record_score",
        "organisation_id",
        ORGANISATION,
        _score("organisation_id"),
        attribute("organisation_id"),
        as_id,
    ),
]
