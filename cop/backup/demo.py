"""The demo workspace: data/demo.yaml loaded through the real services.

Loading goes through the same services as the pages (as the SYSTEM actor for
the set-up and as the demo users for what they would do themselves), so the
demo is also a smoke test of the domain rules and leaves a real audit trail.

Each capability adds a step: a function ``step(ctx: DemoContext) -> None`` in
its own ``demo`` module, listed in ``STEPS`` in the order they depend
on each other, reading its own section of the YAML file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import Engine
from sqlmodel import select

from cop.accounts import demo as accounts_demo
from cop.actions import demo as actions_demo
from cop.communities.models import Community
from cop.core import settings
from cop.core.db import get_engine, read_session, write_session
from cop.core.demo_context import DemoContext
from cop.core.permissions import Actor
from cop.practices import demo as practices_demo
from cop.publishing import service as publishing
from cop.toolkit import demo as toolkit_demo
from cop.workshops import demo as workshops_demo

DEMO_FILE = settings.PROJECT_ROOT / "data" / "demo.yaml"


# In the order they depend on each other: people and communities first, the toolkit last.
STEPS: list[Callable[[DemoContext], None]] = [
    accounts_demo.step,
    workshops_demo.step,
    actions_demo.step,
    practices_demo.step,
    toolkit_demo.step,
]


def load_demo(engine: Engine | None = None, path: Path = DEMO_FILE) -> dict[str, int]:
    """Load the demo into an empty database in one transaction, then publish its
    editions' websites (so ``/published/`` is full on first start); returns counts."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    counts, editions, admin = _load(engine, data)
    for toolkit_id in editions:
        publishing.publish(admin, toolkit_id, engine=engine)
    if len(editions) > 1:  # the first edition's site learns of the others' only now
        publishing.publish(admin, editions[0], engine=engine)
    counts["published sites"] = len(editions)
    return counts


def _load(engine: Engine | None, data: dict[str, Any]) -> tuple[dict[str, int], list[int], Actor]:
    with write_session(engine) as session:
        if session.exec(select(Community.id)).first() is not None:
            raise RuntimeError(
                "The database is not empty: the demo loads only into an empty workspace."
            )
        ctx = DemoContext(data=data, session=session)
        for step in STEPS:
            step(ctx)
            session.flush()
        counts = {
            "organisations": len(ctx.organisations),
            "communities": len(ctx.communities),
            "people": len(ctx.people),
            "accounts": len(ctx.actors),
        }
        editions = ctx.extra.get("toolkits", {}).get("ids", [])
        return counts, editions, ctx.actors["admin"]


def load_demo_if_empty(engine: Engine | None = None) -> bool:
    """First start with COP_DEMO=1: load the demo once; later starts keep the data."""
    engine = engine or get_engine()
    with read_session(engine) as session:
        if session.exec(select(Community.id)).first() is not None:
            return False
    load_demo(engine)
    return True
