"""Bulk data for benchmarks and trials: ``seed(engine, scale, random_seed)``.

The seeder is an ordered list of steps, ``STEPS``, one per capability, each
in its own module (``core.py`` here; workshops, actions, practices add
theirs as their tables arrive). A step is::

    def step(ctx: SeedContext) -> None

``ctx`` (see ``cop.core.seed_context``) carries the open connection, ``rng`` (a
``random.Random(seed)``), ``scale`` (the numbers of ``SCALES[scale]``: a step
reads its own, e.g. ``ctx.scale.workshops``), ``now`` and what earlier steps
created (``ctx.ids[table_name]``, ``ctx.members[community_id]``). A step:

- draws every random choice from ``ctx.rng``, in a fixed order, so the same
  seed gives the same workspace and adding a step never changes what the
  steps before it produced;
- takes ids from ``ctx.new_ids(table, n)`` (the database starts empty, so ids
  are known without asking it back) and inserts with ``ctx.insert(table,
  rows)``: SQLAlchemy core ``insert()`` with executemany in chunks of 5,000,
  never one ORM object at a time;
- stamps rows with ``ctx.stamps(created_at)`` (UTC-aware times, version 1).

To add a step: write ``cop/<capability>/seed.py`` with ``step`` and append it to
``STEPS`` below (after the steps whose ids it uses).

The whole seed runs in one transaction, so a failure leaves the database
empty, and only into an empty database. It is not audited row by row: it is
a bulk load by an operator, not anyone's edit, and a million audit events
would double the data and drown the real trail; one ``seed.run`` event
records the scale, the seed and the counts. Bulk inserts bypass the ORM hook
that keeps the search index in step, so the index is rebuilt once at the end
(``bulk_load.REBUILDERS``, as after a restore).
"""

from __future__ import annotations

import random

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cop.accounts import seed as core
from cop.actions import seed as actions_step
from cop.backup.bulk_load import (
    NotEmpty,
    bump_data_version,
    describe,
    populated_tables,
    rebuild_derived,
    reset_id_sequences,
    settle,
)
from cop.core import clock
from cop.core.audit import AuditEvent
from cop.core.db import table_of
from cop.core.errors import ValidationError
from cop.core.permissions import SYSTEM, Actor, authorize
from cop.core.seed_context import SCALES, Scale, SeedContext
from cop.practices import seed as practices_step
from cop.workshops import seed as workshops_step

STEPS = [core.step, workshops_step.step, practices_step.step, actions_step.step]

__all__ = ["SCALES", "STEPS", "Scale", "SeedContext", "seed"]


def seed(
    engine: Engine, scale: str, random_seed: int = 0, *, actor: Actor = SYSTEM
) -> dict[str, int]:
    """Fill an empty database with the ``scale`` workspace; returns rows per table."""
    authorize(actor, "seed.run")
    if scale not in SCALES:
        raise ValidationError({"scale": f"Choose one of: {', '.join(SCALES)}."})
    with engine.execution_options(cop_write=True).connect() as conn, conn.begin():
        present = populated_tables(conn)
        if present:
            raise NotEmpty(
                f"The database already holds data ({describe(present)}); seed only into an empty database."
            )
        ctx = SeedContext(
            conn=conn, rng=random.Random(random_seed), scale=SCALES[scale], now=clock.now()
        )
        for step in STEPS:
            step(ctx)
        reset_id_sequences(conn)
        rebuild_derived(conn)
        counts = dict(ctx.counts)
        conn.execute(
            sa.insert(table_of(AuditEvent)).values(
                at=clock.now(),
                actor_user_id=actor.user_id or None,
                actor_name=actor.username,
                action="seed.run",
                record_type="workspace",
                record_id=None,
                community_id=None,
                changes={"scale": scale, "random_seed": random_seed, "rows": counts},
            )
        )
        bump_data_version(conn)
    settle(engine)
    return counts
