"""What every seed step shares: the scale numbers, the random source, and the ids so far."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

CHUNK_ROWS = 5_000


@dataclass(frozen=True)
class Scale:
    """How many rows of each kind a scale asks for; later steps read their own numbers here."""

    communities: int
    organisations: int
    people: int
    workshops: int
    attendance: int
    actions: int
    action_updates: int
    practices: int
    accounts_share: float = 0.1  # people with an account, besides every facilitator


SCALES: dict[str, Scale] = {
    # A few of everything: quick enough for tests of later steps.
    "small": Scale(
        communities=4,
        organisations=12,
        people=60,
        workshops=40,
        attendance=160,
        actions=80,
        action_updates=240,
        practices=20,
    ),
    # The benchmark workspace of the core issue.
    "large": Scale(
        communities=200,
        organisations=300,
        people=5_000,
        workshops=50_000,
        attendance=200_000,
        actions=100_000,
        action_updates=300_000,
        practices=5_000,
    ),
}


@dataclass
class SeedContext:
    """Passed to every step, in order.

    ``ids`` maps a table name to the ids inserted so far; ``members`` maps a
    community id to its (person id, role) pairs, for steps that need people
    who belong (attendees, action owners).
    """

    conn: Connection
    rng: random.Random
    scale: Scale
    now: datetime
    ids: dict[str, list[int]] = field(default_factory=dict)
    members: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def new_ids(self, table: sa.Table, n: int) -> list[int]:
        """The next ``n`` ids of ``table`` (seeding starts from an empty database)."""
        known = self.ids.setdefault(table.name, [])
        start = (known[-1] if known else 0) + 1
        fresh = list(range(start, start + n))
        known.extend(fresh)
        return fresh

    def insert(self, table: sa.Table, rows: Iterable[dict[str, Any]]) -> int:
        """Insert ``rows`` with executemany in chunks; returns how many."""
        total = 0
        iterator: Iterator[dict[str, Any]] = iter(rows)
        while chunk := list(islice(iterator, CHUNK_ROWS)):
            self.conn.execute(table.insert(), chunk)
            total += len(chunk)
        self.counts[table.name] += total
        return total

    def moment(self, days_back: float, days_forward: float = 0.0) -> datetime:
        """A moment between ``days_back`` days ago and ``days_forward`` days ahead."""
        return self.now + timedelta(days=self.rng.uniform(-days_back, days_forward))

    @staticmethod
    def stamps(created_at: datetime, created_by_id: int | None = None) -> dict[str, Any]:
        """The Editable columns of a freshly created record."""
        return {
            "version": 1,
            "created_at": created_at,
            "created_by_id": created_by_id,
            "updated_at": created_at,
            "updated_by_id": created_by_id,
            "deleted_at": None,
        }
