"""How column values are written in a backup archive, decided by column type.

Plain JSON where JSON has the type (text, numbers, booleans, JSON columns);
otherwise a text form that every database reads back exactly: datetimes and
dates ISO 8601 (datetimes with their UTC offset), bytes base64, decimals and
UUIDs as strings, intervals in seconds. Because the choice follows the column
type, tables that later capabilities add need nothing here.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

Row = dict[str, Any]

_ENCODE: dict[str, Callable[[Any], Any]] = {
    "bytes": lambda v: base64.b64encode(v).decode("ascii"),
    "datetime": lambda v: v.isoformat(),
    "date": lambda v: v.isoformat(),
    "time": lambda v: v.isoformat(),
    "interval": lambda v: v.total_seconds(),
    "decimal": str,
    "uuid": str,
}
_DECODE: dict[str, Callable[[Any], Any]] = {
    "bytes": base64.b64decode,
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "interval": lambda v: timedelta(seconds=v),
    "decimal": Decimal,
    "uuid": uuid.UUID,
}
_KINDS: list[tuple[type, str]] = [
    (sa.JSON, "json"),
    (sa.LargeBinary, "bytes"),
    (sa.DateTime, "datetime"),
    (sa.Date, "date"),
    (sa.Time, "time"),
    (sa.Float, "plain"),  # a Numeric subclass whose values are floats
    (sa.Numeric, "decimal"),
    (sa.Uuid, "uuid"),
]


def kind(column: sa.Column) -> str:
    """The name of the column's encoding."""
    col_type = column.type
    if isinstance(col_type, sa.Interval):  # a TypeDecorator over DateTime: test it first
        return "interval"
    if isinstance(col_type, TypeDecorator):
        col_type = col_type.impl_instance
    return next((name for sa_type, name in _KINDS if isinstance(col_type, sa_type)), "plain")


def holds_bytes(columns: Iterable[sa.Column]) -> bool:
    return any(kind(c) == "bytes" for c in columns)


def _converter(
    columns: Iterable[sa.Column], codec: dict[str, Callable[[Any], Any]]
) -> Callable[[Row], Row]:
    funcs = {c.name: codec[k] for c in columns if (k := kind(c)) in codec}

    def convert(row: Row) -> Row:
        return {k: (funcs[k](v) if v is not None and k in funcs else v) for k, v in row.items()}

    return convert


def encoder(columns: Iterable[sa.Column]) -> Callable[[Row], Row]:
    """Row of database values -> row of JSON values."""
    return _converter(columns, _ENCODE)


def decoder(columns: Iterable[sa.Column]) -> Callable[[Row], Row]:
    """Row of JSON values -> row of database values."""
    return _converter(columns, _DECODE)
