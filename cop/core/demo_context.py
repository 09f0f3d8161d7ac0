"""What every demo step shares: the YAML, the session, and the ids created so far.

Each capability's demo step (cop/<capability>/demo.py) is ``step(ctx: DemoContext) -> None``;
cop.backup.demo runs them in the order they depend on each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from cop.core.permissions import Actor


@dataclass
class DemoContext:
    """What the steps share: the YAML, the session, and the ids created so far."""

    data: dict[str, Any]
    session: Session
    organisations: dict[str, int] = field(default_factory=dict)  # key -> id
    communities: dict[str, int] = field(default_factory=dict)  # slug -> id
    people: dict[str, int] = field(default_factory=dict)  # name -> id
    actors: dict[str, Actor] = field(default_factory=dict)  # username -> actor
    extra: dict[str, dict[Any, Any]] = field(default_factory=dict)  # later steps' own ids
