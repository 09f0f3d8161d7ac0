"""What the accessibility statement says, drawn from the last automated check.

``make a11y`` runs axe-core over every page and state (tests/browser/test_accessibility.py)
and writes docs/accessibility.json: when, with which rules, and what it found per impact.
The statement reads that file, so its date and figures are the check's own.

The report also keeps a fingerprint of the code that shapes the pages (``PAGE_SOURCES``): a
test compares it with the code as it is now and fails, naming ``make a11y``, once a page
changed after the last check, so the statement never shows a check of pages that are gone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cop.core.i18n import N_

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "docs" / "accessibility.json"
# The files that shape what the check looks at: the pages, their screens and the shell, the
# theme, the published website's generator and assets, the HTML export. Translations and
# services are left out: they change often and leave the markup as it was.
PAGE_SOURCES = (
    "app.py",
    "pages/*.py",
    ".streamlit/config.toml",
    "cop/*/ui/**/*",
    "cop/shell/**/*",
    "cop/publishing/generator.py",
    "cop/publishing/assets/**/*",
    "cop/export/html.py",
)
SOURCE_SUFFIXES = {".py", ".js", ".css", ".html", ".toml"}

# What the automated check cannot see, or Streamlit does and we cannot change (docs/ACCESSIBILITY.md).
KNOWN_GAPS = (
    N_(
        "Tables are drawn on a canvas by Streamlit: they are read through a hidden table, and the "
        "menu of a table's column cannot be reached with the keyboard. Inside a table, Tab "
        "moves one column to the right; after the last column it leaves the table."
    ),
    N_(
        "On a phone the map's outline is cut at the edges of the chart; the list of places "
        "below it names the same cities and visits."
    ),
    N_(
        "Text people type (practices, standards, comments) is not marked with its language when "
        "it differs from the page's: the workspace does not know which language was typed. An "
        "edition's text in the other language is marked, but not its title in lists of choices."
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


def page_sources(root: Path = ROOT) -> list[Path]:
    """The files of ``PAGE_SOURCES`` under ``root`` (code only: no caches, no licences)."""
    found = {
        path
        for pattern in PAGE_SOURCES
        for path in root.glob(pattern)
        if path.is_file()
        and path.suffix in SOURCE_SUFFIXES
        and "__pycache__" not in path.relative_to(root).parts
    }
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def pages_fingerprint(root: Path = ROOT) -> str:
    """A SHA-256 over the page code's paths and contents, the same on any clone and system.

    Line endings are read as LF, so a checkout that writes CRLF gives the same fingerprint.
    """
    digest = hashlib.sha256()
    for path in page_sources(root):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def recorded_fingerprint(path: Path = REPORT) -> str | None:
    """The fingerprint of the page code the last check ran on (None: not recorded)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("pages_fingerprint")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
