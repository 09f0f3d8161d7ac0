"""The rule every case must satisfy, and what "inert" means for each output format.

A bad input is either refused with a ValidationError whose ``fields`` name
the field (a message the form can show beside it), or stored verbatim (read
back equal in a fresh session; titles trimmed, as the limits say) and then
rendered inert. Any other exception fails the case: it is a crash to fix at
its source.
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from cop.core.db import read_session, write_session
from cop.core.errors import ValidationError

from .inputs import Bad
from .world import HostileWorld

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
Call = Callable[[Session, HostileWorld, Any], Any]
Read = Callable[[Session, Any], Any]


def verbatim(value: Any) -> Any:
    return value


def trimmed(value: Any) -> str:
    return str(value).strip()


def as_day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value).strip())


def as_whole(value: Any) -> int | None:
    """A whole number as typed; an optional one left empty is unknown (None)."""
    text = str(value).strip()
    return int(text) if text else None


def as_number(value: Any) -> float:
    return float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)


def as_id(value: Any) -> int | None:
    """The id a reference names; an empty optional one (or 0, "none chosen") is None."""
    text = "" if value is None else str(value).strip()
    return int(text) if text not in ("", "0") else None


def instant_in(zone: str) -> Callable[[Any], datetime]:
    """A wall-clock time of ``zone`` (or an aware one) as the UTC instant it names."""

    def expect(value: Any) -> datetime:
        moment = datetime.fromisoformat(value.strip()) if isinstance(value, str) else value
        moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(zone))
        return moment.astimezone(UTC)

    return expect


def attribute(name: str) -> Read:
    """Read ``name`` of the returned record again, from the database."""

    def read(session: Session, record: Any) -> Any:
        return getattr(session.get(type(record), record.id), name)

    return read


@dataclass(frozen=True)
class Target:
    """One field of one service, with the inputs it gets and how to read back what it stored."""

    service: str
    field: str
    inputs: list[Bad]
    call: Call
    read: Read
    expect: Callable[[Any], Any] = verbatim
    # Other field names a refusal may rightly name (e.g. "file" for a whole file).
    also: tuple[str, ...] = ()
    # For ids from URLs: "not found" is the right answer.
    refusals: tuple[type[Exception], ...] = ()
    # Inputs marked ``refuse`` that this field may rightly keep (a 500-character caption).
    allow: tuple[str, ...] = ()
    # Seconds one call may take whatever the input (searches: it must not grow with the input's length).
    budget: float | None = None

    @property
    def name(self) -> str:
        return f"{self.service}.{self.field}"


@dataclass
class Outcome:
    """What a case produced, for the summary the lead's closing note quotes."""

    target: str
    label: str
    result: str  # "refused", "stored" or "not found"
    detail: str = ""


@dataclass
class Ledger:
    """Every outcome of a run, written out as a Markdown table."""

    outcomes: list[Outcome] = field(default_factory=list)

    def table(self) -> str:
        lines = ["| field | input | result | message or stored value |", "|---|---|---|---|"]
        for o in self.outcomes:
            detail = o.detail.replace("|", "\\|").replace("\n", " ")[:90]
            lines.append(f"| {o.target} | {o.label} | {o.result} | {detail} |")
        return "\n".join(lines) + "\n"


def _same(stored: Any, expected: Any) -> bool:
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(stored, float) and math.isnan(stored)
    if isinstance(expected, str | int | float):
        return type(stored) is type(expected) and stored == expected
    return expected == stored


def _within_budget(target: Target, bad: Bad, seconds: float) -> None:
    assert target.budget is None or seconds <= target.budget, (
        f"{target.name} took {seconds:.1f} s for {bad.label!r}; the budget is {target.budget} s"
    )


def apply(world: HostileWorld, target: Target, bad: Bad) -> Outcome:
    """Run one case under the rule; raise AssertionError (or the crash itself) when it breaks it."""
    value = bad.resolve(world)
    started = time.perf_counter()
    try:
        with write_session(world.engine) as session:
            try:
                result = target.call(session, world, value)
            finally:
                _within_budget(target, bad, time.perf_counter() - started)
    except target.refusals as missing:
        return Outcome(target.name, bad.label, "not found", str(missing))
    except ValidationError as refused:
        named = {target.field, *target.also}
        assert named & set(refused.fields), (
            f"{target.name} refused {bad.label!r} without naming the field: {refused.fields}"
        )
        assert all(isinstance(m, str) and m.strip() for m in refused.fields.values()), (
            refused.fields
        )
        return Outcome(target.name, bad.label, "refused", next(iter(refused.fields.values())))
    assert not bad.refuse or bad.label in target.allow, (
        f"{target.name} stored {bad.label!r}, which breaks a limit and must be refused"
    )
    with read_session(world.engine) as session:
        stored = target.read(session, result)
    expected = target.expect(value)
    assert _same(stored, expected), (
        f"{target.name} accepted {bad.label!r} but stored {stored!r:.200} "
        f"instead of {expected!r:.200}"
    )
    # A matcher (password hash, server-chosen file name) describes itself: no hash in the ledger.
    plain = expected is None or isinstance(expected, str | int | float | date | list | tuple)
    return Outcome(target.name, bad.label, "stored", repr(stored if plain else expected)[:90])


# --- inert output ------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_inert_html(source: str) -> str:
    """No script element, event handler or script / data-HTML link; returns the visible text."""
    parser = _Tags()
    parser.feed(source)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "object", "embed"), f"live <{tag}> in HTML"
        assert not [name for name in attrs if name.lower().startswith("on")], (
            f"event handler on <{tag}>: {attrs}"
        )
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            plain = "".join(
                ch for ch in attrs.get(name, "") if ch.isprintable() and not ch.isspace()
            ).lower()
            assert not plain.startswith(("javascript:", "vbscript:", "data:text")), (
                f"<{tag} {name}={plain!r}>"
            )
            if tag == "img" and name == "src" and plain:
                assert plain.startswith("data:image/"), (
                    f"image from outside the document: {plain!r}"
                )
    return "".join(parser.text)


def csv_cells(data: bytes) -> list[list[str]]:
    """The cells of an export, which must be UTF-8 with a BOM."""
    assert data.startswith("\ufeff".encode()), "CSV export without a UTF-8 BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_no_formula(rows: Iterable[list[str]]) -> None:
    """No text cell starts like a formula; a number cell is a plain number."""
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                try:
                    Decimal(cell)
                except InvalidOperation:
                    raise AssertionError(f"CSV cell starts like a formula: {cell[:60]!r}") from None
