"""What the accessibility statement says, drawn from the last automated check.

``make a11y`` runs axe-core over every page and state (tests/browser/test_accessibility.py)
and writes docs/accessibility.json: when, with which rules, and what it found per impact.
The statement reads that file, so its date and figures are the check's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cop.core.i18n import N_

REPORT = Path(__file__).resolve().parents[2] / "docs" / "accessibility.json"

# What the automated check cannot see, or Streamlit does and we cannot change (docs/ACCESSIBILITY.md).
KNOWN_GAPS = (
    N_(
        "Tables are drawn on a canvas by Streamlit: they are read through a hidden table, and the "
        "menu of a table's column cannot be reached with the keyboard."
    ),
    N_(
        "On a phone the map's outline is cut at the edges of the chart; the list of places "
        "below it names the same cities and visits."
    ),
    N_(
        "The published toolkit website and the HTML export are not yet part of the automated "
        "check; the PDF is tagged for screen readers, Word files carry alt text and header rows."
    ),
)


@dataclass(frozen=True)
class CheckSummary:
    checked_at: datetime
    tool: str
    states: int
    serious: int
    critical: int
    moderate: int
    minor: int


def last_check(path: Path = REPORT) -> CheckSummary | None:
    """The last automated check, or None when it was never run here."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    totals = report.get("totals", {})
    return CheckSummary(
        checked_at=datetime.fromisoformat(report["checked_at"]),
        tool=str(report.get("tool", "axe-core")),
        states=int(report.get("states", 0)),
        serious=int(totals.get("serious", 0)),
        critical=int(totals.get("critical", 0)),
        moderate=int(totals.get("moderate", 0)),
        minor=int(totals.get("minor", 0)),
    )
