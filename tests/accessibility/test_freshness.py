"""Issue 23: a test fails when docs/accessibility.json is older than the last change to a page.

``make a11y`` records a fingerprint of the code that shapes the pages (the pages, their
screens, the shell, the theme, the published website's generator and the HTML export); this
compares it with the code as it is now.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from cop.accessibility.statement import (
    REPORT,
    ROOT,
    page_sources,
    pages_fingerprint,
    recorded_fingerprint,
)


def test_the_last_accessibility_check_ran_on_the_pages_as_they_are() -> None:
    recorded = recorded_fingerprint()
    written_for = f"page code {recorded[:12]}…" if recorded else "no recorded page code"
    assert recorded == pages_fingerprint(), (
        f"{REPORT.relative_to(ROOT)} is older than the last change to a page (written for "
        f"{written_for}, the pages are now {pages_fingerprint()[:12]}…): run make a11y "
        "(about 10 minutes of Chromium) and commit docs/accessibility.json"
    )


def _copy_of_the_page_code(target: Path) -> Path:
    for path in page_sources():
        copy = target / path.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    return target


def test_the_fingerprint_moves_with_a_page_and_nothing_else(tmp_path: Path) -> None:
    root = _copy_of_the_page_code(tmp_path / "clone")
    before = pages_fingerprint(root)
    assert before == pages_fingerprint(), "a copy of the same code has another fingerprint"
    # What a clean clone has or lacks beside the code changes nothing: caches, services,
    # CRLF line endings of a Windows checkout.
    cache = root / "cop" / "shell" / "__pycache__"
    cache.mkdir()
    (cache / "sidebar.cpython-312.pyc").write_bytes(b"\x00compiled")
    (root / "cop" / "actions").mkdir(exist_ok=True)
    (root / "cop" / "actions" / "service.py").write_text("changed = True\n")
    sidebar = root / "cop" / "shell" / "sidebar.py"
    text = sidebar.read_bytes()
    sidebar.write_bytes(text.replace(b"\n", b"\r\n"))
    assert pages_fingerprint(root) == before
    # A change to a page's code, the published site's stylesheet or a new screen moves it.
    for changed in (
        root / "pages" / "map.py",
        root / "cop" / "publishing" / "assets" / "site.css",
        root / "cop" / "map" / "ui" / "new_panel.py",
    ):
        old = changed.read_bytes() if changed.exists() else None
        changed.write_bytes((old or b"") + b"\n# changed\n")
        assert pages_fingerprint(root) != before, f"{changed} changed, the fingerprint did not"
        if old is None:
            changed.unlink()
        else:
            changed.write_bytes(old)
    assert pages_fingerprint(root) == before


def test_a_report_without_a_fingerprint_counts_as_stale(tmp_path: Path) -> None:
    report = tmp_path / "accessibility.json"
    report.write_text(json.dumps({"checked_at": "2026-12-06T23:39:14+00:00"}))
    assert recorded_fingerprint(report) is None
    report.write_text(json.dumps({"pages_fingerprint": "abc"}))
    assert recorded_fingerprint(report) == "abc"
    assert recorded_fingerprint(tmp_path / "missing.json") is None
