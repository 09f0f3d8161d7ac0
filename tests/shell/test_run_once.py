"""The gate checks once per script run: app.py's check is reused by the page it runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cop.shell import gate


@pytest.fixture
def prepared_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count calls of the real prepare_workspace (still called through)."""
    calls = [0]
    real: Callable[[], Any] = gate.prepare_workspace

    def counting() -> Any:
        calls[0] += 1
        return real()

    monkeypatch.setattr(gate, "prepare_workspace", counting)
    return calls


def test_app_and_page_prepare_the_workspace_once_per_run(
    run_page, prepared_count: list[int]
) -> None:
    at = run_page("app", "member")
    assert not at.exception, at.exception
    assert "Welcome" in "\n".join(m.value for m in at.markdown) + "\n".join(
        t.value for t in at.title
    )
    assert prepared_count[0] == 1
    at.run()
    assert prepared_count[0] == 2  # a new run checks again


def test_a_page_opened_on_its_own_still_passes_the_gate(
    run_page, prepared_count: list[int]
) -> None:
    at = run_page("workshops", "member")
    assert not at.exception, at.exception
    assert prepared_count[0] == 1
