"""The one place the workspace asks what time it is.

Overdue actions, lockouts and invitation expiry depend on "now"; tests and
the browser tests freeze it here (``COP_FROZEN_NOW``, an ISO datetime, is the
documented seam for a running server).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

_frozen: datetime | None = None


def now() -> datetime:
    if _frozen is not None:
        return _frozen
    env = os.environ.get("COP_FROZEN_NOW")
    if env:
        value = datetime.fromisoformat(env)
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.now(UTC)


def today() -> date:
    return now().date()


def freeze(at: datetime | None) -> None:
    """Freeze the clock at ``at`` (aware), or unfreeze with None."""
    global _frozen
    _frozen = at
