"""Cleaning user input into stored values, collecting one message per field.

Services build a ``Checker``, feed it every field, and call ``raise_if_any()``
before touching the database, so bad input is refused as a whole with every
field's message at once and nothing is half-written. Text is kept verbatim
(right-to-left marks, emoji and combining marks included); only surrounding
whitespace of titles is trimmed and NUL and other C0 control characters that
no form can type are refused. A value that is not text where text belongs (a
number, a list, bytes: what a command line, an import or an API may pass) is
refused with a field message too, never turned into its Python spelling.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from cop.core.errors import ValidationError
from cop.core.i18n import N_
from cop.core.messages import Message
from cop.core.settings import LIMITS

MIN_DATE = date(1990, 1, 1)
MAX_DATE = date(2100, 12, 31)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Lone surrogates: what undecodable bytes become in a command line argument; no database can store them.
_NOT_TEXT = re.compile(r"[\ud800-\udfff]")
_UNSEARCHABLE = re.compile(r"[\x00\ud800-\udfff]")
NOT_TEXT = N_("{label} must be text.")
BROKEN = N_("{label} contains a broken character (undecodable bytes) that cannot be stored.")
MAX_ID = 2**31 - 1  # the largest key an INTEGER id column holds (PostgreSQL's limit)
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Checker:
    """Collects field messages; ``raise_if_any`` raises them together."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}  # plain text or a Message

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    def text(self, field: str, value: Any, *, label: str = N_("This field")) -> str | None:
        """``value`` if it is text, "" for None; anything else is refused (None returned).

        The one type check of every text input, so a list or a number from a
        command line or a file is a field message, not a TypeError further on.
        """
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        self.fail(field, Message(NOT_TEXT, label=label))
        return None

    def search(self, field: str, value: Any, *, label: str = N_("The search")) -> str:
        """What a person typed into a search or filter: trimmed text of at most ``LIMITS.search_max``.

        Longer input is refused, so no query's time grows with what was pasted;
        what no stored text holds (NUL, undecodable bytes) is dropped, so the
        query never fails on it.
        """
        text = self.text(field, value, label=label)
        if not text:
            return ""
        text = text.strip()
        if len(text) > LIMITS.search_max:
            self.fail(
                field,
                Message(
                    N_("{label} is {length:,} characters long; at most {maximum} are allowed."),
                    label=label,
                    length=len(text),
                    maximum=LIMITS.search_max,
                ),
            )
            return ""
        return searchable(text)

    def title(
        self, field: str, value: Any, *, label: str = N_("This field"), max_len: int | None = None
    ) -> str:
        """A required single-line name: 1..200 characters after trimming."""
        max_len = max_len or LIMITS.title_max
        raw = self.text(field, value, label=label)
        if raw is None:
            return ""
        text = raw.strip()
        if not text:
            self.fail(field, Message(N_("{label} must not be empty."), label=label))
        elif len(text) > max_len:
            self.fail(
                field,
                Message(
                    N_("{label} is {length} characters long; at most {maximum} are allowed."),
                    label=label,
                    length=len(text),
                    maximum=max_len,
                ),
            )
        elif _NOT_TEXT.search(text):
            self.fail(field, Message(BROKEN, label=label))
        elif _CONTROL.search(text) or "\n" in text or "\r" in text:
            self.fail(
                field,
                Message(
                    N_("{label} must be a single line without control characters."), label=label
                ),
            )
        return text

    def optional_line(
        self, field: str, value: Any, *, label: str = N_("This field"), max_len: int | None = None
    ) -> str:
        raw = self.text(field, value, label=label)
        text = (raw or "").strip()
        return self.title(field, text, label=label, max_len=max_len) if text else ""

    def long_text(
        self, field: str, value: Any, *, label: str = N_("This text"), required: bool = False
    ) -> str:
        """Notes, minutes, sections: kept verbatim up to 100,000 characters."""
        raw = self.text(field, value, label=label)
        if raw is None:
            return ""
        text = raw
        if required and not text.strip():
            self.fail(field, Message(N_("{label} must not be empty."), label=label))
        elif len(text) > LIMITS.long_text_max:
            self.fail(
                field,
                Message(
                    N_("{label} is {length:,} characters long; at most {maximum:,} are allowed."),
                    label=label,
                    length=len(text),
                    maximum=LIMITS.long_text_max,
                ),
            )
        elif "\x00" in text:
            self.fail(
                field,
                Message(
                    N_("{label} contains a NUL character, which cannot be stored."), label=label
                ),
            )
        elif _NOT_TEXT.search(text):
            self.fail(field, Message(BROKEN, label=label))
        return text

    def choice(
        self,
        field: str,
        value: Any,
        allowed: Collection[str],
        *,
        label: str = N_("This field"),
    ) -> str:
        text = "" if value is None else str(value)
        if not isinstance(value, str | None) or text not in allowed:
            self.fail(
                field,
                Message(
                    N_("{label} must be one of: {choices}."),
                    label=label,
                    choices=", ".join(sorted(allowed)),
                ),
            )
        return text

    def day(
        self, field: str, value: Any, *, label: str = N_("The date"), required: bool = True
    ) -> date | None:
        """A date between 1990-01-01 and 2100-12-31."""
        if value in (None, ""):
            if required:
                self.fail(field, Message(N_("{label} is required."), label=label))
            return None
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                self.fail(
                    field, Message(N_("{label} must be a date like 2026-03-31."), label=label)
                )
                return None
        if not isinstance(value, date):
            self.fail(field, Message(N_("{label} must be a date."), label=label))
            return None
        if not MIN_DATE <= value <= MAX_DATE:
            self.fail(
                field,
                Message(
                    N_("{label} must be between {first} and {last}."),
                    label=label,
                    first=MIN_DATE,
                    last=MAX_DATE,
                ),
            )
            return None
        return value

    def not_before(
        self,
        field: str,
        start: date | datetime | None,
        end: date | datetime | None,
        *,
        label: str = N_("The end"),
    ) -> None:
        if start is not None and end is not None and end < start:
            self.fail(field, Message(N_("{label} must not be before the start."), label=label))

    def count(
        self,
        field: str,
        value: Any,
        *,
        label: str = N_("This number"),
        minimum: int = 0,
        maximum: int = 10_000_000,
    ) -> int:
        try:
            number = int(str(value).strip()) if not isinstance(value, int) else value
        except (TypeError, ValueError):
            self.fail(field, Message(N_("{label} must be a whole number."), label=label))
            return minimum
        if isinstance(value, bool) or not minimum <= number <= maximum:
            self.fail(
                field,
                Message(
                    N_("{label} must be between {minimum} and {maximum:,}."),
                    label=label,
                    minimum=minimum,
                    maximum=maximum,
                ),
            )
        return number

    def email(self, field: str, value: Any, *, required: bool = False) -> str:
        raw = self.text(field, value, label=N_("The e-mail address"))
        if raw is None:
            return ""
        text = raw.strip()
        if not text:
            if required:
                self.fail(field, N_("The e-mail address is required."))
            return ""
        if (
            len(text) > 254
            or not EMAIL_RE.match(text)
            or _CONTROL.search(text)
            or _NOT_TEXT.search(text)
        ):
            self.fail(field, N_("This does not look like an e-mail address."))
        return text

    def slug(self, field: str, value: Any) -> str:
        raw = self.text(field, value, label=N_("The address"))
        if raw is None:
            return ""
        text = raw.strip().lower()
        if not SLUG_RE.match(text):
            self.fail(
                field,
                N_("Use 1-64 lower-case letters, digits and hyphens (e.g. welcoming-culture)."),
            )
        return text


def record_id(value: Any) -> int | None:
    """A record id from a form, URL or file: a whole number 1..MAX_ID in ASCII digits, else None.

    Bounded so a huge number is "no such record" rather than an overflow in
    the database driver; booleans and fractions are not ids.
    """
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    """The IANA zone names, read once: listing them walks the zone files (about 20 ms a save)."""
    return frozenset(available_timezones())


def zone_named(name: Any) -> ZoneInfo | None:
    """The IANA zone of that name, or None for anything else.

    Only names in the list are opened: ``ZoneInfo`` reads a file by that name,
    so "Europe" (a folder) or a 300-character name raise OSErrors, not a KeyError.
    """
    return _zone(name) if isinstance(name, str) and name in time_zone_names() else None


@lru_cache(maxsize=1024)  # only names in the list come here: at most about 600
def _zone(name: str) -> ZoneInfo:
    """``ZoneInfo(name)`` kept: ZoneInfo keeps only its last eight zones, and asking for
    another looks for its file on disk again. A list of the workshops of 30 cities in as
    many zones did so for each date it showed: a third of the large workspace's map page."""
    return ZoneInfo(name)


def version_of(value: Any) -> int:
    """The version a save starts from, from a form, a file or a command line: a whole number.

    Text of ASCII digits is read as one (the CLI and imports pass text);
    anything else is refused on the ``version`` field, never compared as is.
    """
    text = value.strip() if isinstance(value, str) else None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif text and text.isascii() and text.isdigit():
        number = int(text)
    else:
        number = 0
    if not 0 < number <= MAX_ID:
        raise ValidationError(
            {
                "version": Message(
                    N_("{label} must be a whole number from 1 to {maximum:,}."),
                    label=N_("The version"),
                    maximum=MAX_ID,
                )
            }
        )
    return number


def plain_line(value: Any, *, max_len: int = 254) -> str | None:
    """``value`` trimmed if it is one short line of storable text, else None.

    For look-ups by what someone typed (a username at sign-in): input that no
    stored value can equal (control characters, NUL, undecodable bytes, not
    text at all, too long) finds nothing without reaching the database,
    which refuses NUL (PostgreSQL) rather than finding nothing.
    """
    if not isinstance(value, str) or len(value) > max_len:
        return None
    text = value.strip()
    if _CONTROL.search(text) or _NOT_TEXT.search(text) or "\n" in text or "\r" in text:
        return None
    return text


def extra_cells(cells: list[Any] | None) -> Message | None:
    """The problem of a spreadsheet row with cells beyond its header, or None.

    An unquoted comma ("Hall, Room 2") makes one cell two; the csv module
    hands the rest over under no column name, where it used to be dropped
    without a word. Empty trailing cells (spreadsheets pad rows) hold nothing
    and are no problem.
    """
    filled = [str(cell).strip() for cell in cells or [] if cell is not None and str(cell).strip()]
    if not filled:
        return None
    return Message(
        N_(
            "This row has more cells than the header has columns: {cells}. "
            "Put text that holds a comma in double quotes, or remove the extra cells."
        ),
        cells=", ".join(repr(cell[:60]) for cell in filled[:5]),
    )


def searchable(text: str) -> str:
    """Search text without what no stored text holds (NUL, undecodable bytes), so a query never fails on it."""
    return _UNSEARCHABLE.sub("", text)


def slugify(text: str) -> str:
    """A readable ASCII slug from a name ("Düsseldorf Welcome" -> "dusseldorf-welcome")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:64].strip("-") or "community"
