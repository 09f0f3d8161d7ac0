"""The automated accessibility check (issue 23): axe-core in Chromium over every page and its
main states, in English and German, as an administrator and as an observer.

Shared by the test (tests/browser/test_accessibility.py) and `make a11y`, which runs that test
with ``COP_A11Y_REPORT=docs/accessibility.json`` so the statement page can say what was found
and when. Every WCAG 2.0/2.1 A and AA rule of axe runs; none is disabled or excluded.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from cop.accessibility.statement import pages_fingerprint
from tests.browser.helpers import wait_idle
from tests.browser.screens import ADMIN, FACILITATOR, State

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
IMPACTS = ("minor", "moderate", "serious", "critical")
AXE = Axe()


def _open_form(name: str) -> Callable[[Page, Callable[[str], str]], None]:
    """Open an expander or popover by its (translated) name: a form shown."""

    def open_it(page: Page, _: Callable[[str], str]) -> None:
        main = page.get_by_test_id("stMain")
        main.get_by_text(_(name), exact=True).first.click()
        wait_idle(page)

    return open_it


def _submit_empty(name: str, button: str) -> Callable[[Page, Callable[[str], str]], None]:
    """Open a form and send it empty: its field messages shown."""

    def send(page: Page, _: Callable[[str], str]) -> None:
        _open_form(name)(page, _)
        main = page.get_by_test_id("stMain")
        main.get_by_role("button", name=_(button), exact=True).first.click()
        wait_idle(page)

    return send


# Every page for the administrator (each admin tab, views, records, forms open, errors shown);
# the observer reads the same pages without the forms and the admin tabs.
# ``make a11y`` (COP_A11Y_FULL=1) walks every state of `make screens`; the test in `make test`
# leaves out the second views of a page already checked (week, quarter, all, upcoming, ...).
FULL = os.environ.get("COP_A11Y_FULL") == "1"
SECOND_VIEWS = {
    "workshops-calendar-week",
    "workshops-upcoming",
    "actions-timeline-quarter",
    "actions-timeline-all",
    "actions-city-plan",
    "practices-standards",
    "toolkit-revisions",
    "toolkit-export",
}
ADMIN_STATES: list[State] = [
    State("home", "home"),
    *(s for s in FACILITATOR if FULL or s.name not in SECOND_VIEWS),
    *ADMIN,
    State("accessibility", "accessibility"),
]
OBSERVER_STATES: list[State] = [
    State("home", "home"),
    State("workshops-list", "workshops"),
    State("workshops-calendar", "workshops", choose="Calendar"),
    State("workshop-one", "workshops", address="workshops?id=1"),
    State("actions-table", "actions", choose="Table"),
    State("actions-board", "actions", choose="Board"),
    State("actions-timeline", "actions", choose="Timeline"),
    State("action-one", "actions", address="actions?id=1"),
    State("practices-list", "practices"),
    State("practices-self-assessment", "practices", choose="Self-assessment"),
    State("practice-one", "practices", address="practices?id=1"),
    State("map", "map"),
    State("toolkit-chapter", "toolkit"),
    State("search-results", "search"),
    State("organisations", "organisations"),
    State("profile", "profile"),
    State("accessibility", "accessibility"),
]


@dataclass
class Finding:
    page: str
    rule: str
    impact: str
    target: str
    help: str


@dataclass
class Tally:
    """What the check found, per state: counts of violating elements by impact."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def check(self, page: Page, name: str) -> list[Finding]:
        """axe over the whole document as it stands; the serious and critical findings."""
        results = AXE.run(
            page,
            options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]},
        ).response
        counts = self.counts.setdefault(name, Counter({impact: 0 for impact in IMPACTS}))
        found: list[Finding] = []
        for violation in results["violations"]:
            for node in violation["nodes"]:
                impact = node.get("impact") or violation.get("impact") or "minor"
                counts[impact] += 1
                finding = Finding(
                    page=name,
                    rule=violation["id"],
                    impact=impact,
                    target=" ".join(str(t) for t in node["target"]),
                    help=f"{violation['help']}: {node.get('failureSummary', '')}".replace(
                        "\n", " "
                    ),
                )
                self.findings.append(finding)
                if impact in BLOCKING:
                    found.append(finding)
        return found


def describe(findings: list[Finding]) -> str:
    return "\n".join(
        f"- {f.page}: {f.rule} ({f.impact}) at {f.target}\n    {f.help[:300]}" for f in findings
    )


def write_report(path: Path, tally: Tally, axe_version: str) -> None:
    """docs/accessibility.json: when, with what, on which page code, and the counts per state
    and impact."""
    totals: Counter[str] = Counter({impact: 0 for impact in IMPACTS})
    for counts in tally.counts.values():
        totals.update(counts)
    rules = sorted(
        {(f.rule, f.impact) for f in tally.findings}, key=lambda r: (IMPACTS.index(r[1]), r[0])
    )
    report: dict[str, Any] = {
        "checked_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "tool": f"axe-core {axe_version}",
        # tests/accessibility/test_freshness.py fails when the page code moves on from this.
        "pages_fingerprint": pages_fingerprint(),
        "tags": TAGS,
        "states": len(tally.counts),
        "totals": dict(totals),
        "rules": [{"rule": rule, "impact": impact} for rule, impact in rules],
        "pages": {name: dict(counts) for name, counts in sorted(tally.counts.items())},
    }
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
