"""Every kind of bad input into every create and update service: refused per field, or verbatim.

One parametrised sweep over (field, input) pairs: the fields come from the
``targets_*`` modules, the inputs from ``inputs`` (the list of
RELIABILITY.md plus our own). Each case runs in its own write transaction
against one shared world per database; any exception other than a
ValidationError naming the field fails the case. The outcomes are written
to ``test-artifacts/hostile-inputs-<database>.md`` for the closing note.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .inputs import Bad
from .rule import Ledger, Target, apply
from .targets_actions import TARGETS as ACTIONS
from .targets_people import TARGETS as PEOPLE
from .targets_practices import TARGETS as PRACTICES
from .targets_search import TARGETS as SEARCHES
from .targets_toolkit import TARGETS as TOOLKIT
from .targets_workshops import TARGETS as WORKSHOPS
from .world import HostileWorld

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TARGETS: list[Target] = [*PEOPLE, *WORKSHOPS, *PRACTICES, *ACTIONS, *TOOLKIT, *SEARCHES]
CASES = [pytest.param(t, b, id=f"{t.name}-{b.label}") for t in TARGETS for b in t.inputs]


@pytest.fixture(scope="module")
def ledger(hostile_world: HostileWorld) -> Iterator[Ledger]:
    book = Ledger()
    yield book
    ARTIFACTS.mkdir(exist_ok=True)
    name = hostile_world.engine.dialect.name
    (ARTIFACTS / f"hostile-inputs-{name}.md").write_text(
        book.table(), encoding="utf-8", errors="backslashreplace"
    )


@pytest.mark.parametrize(("target", "bad"), CASES)
def test_bad_input_is_refused_with_a_field_message_or_stored_verbatim(
    hostile_world: HostileWorld, ledger: Ledger, target: Target, bad: Bad
) -> None:
    ledger.outcomes.append(apply(hostile_world, target, bad))
