"""CSV that spreadsheets open safely: no formula injection, numbers kept, UTF-8 with BOM.

A spreadsheet treats a cell beginning with ``= + - @`` (or tab / carriage
return, or the full-width forms some programs normalise to them) as a formula,
so a workshop titled ``=HYPERLINK(...)`` could run in a colleague's Excel.
Such text gets a leading apostrophe; real numbers stay numbers. The BOM makes
Excel read the file as UTF-8, so accented city names survive.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
BOM = "\ufeff"


def safe_cell(value: Any) -> Any:
    """The value as it should go into a cell: numbers as numbers, text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A whole CSV file, every cell passed through ``safe_cell``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return (BOM + buffer.getvalue()).encode("utf-8")
