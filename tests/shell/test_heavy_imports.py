"""The app shell and every page module load without the export libraries.

WeasyPrint, python-docx, vl-convert, Altair and icalendar together held about
130 MB in each server process although only an export uses them (issue 24,
goal 5). They are imported inside the functions that make a file; this
guards that no top-level import brings them back. It runs in a fresh
interpreter, as the server starts, and lists what the import pulled in.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPORT_ONLY = ["weasyprint", "docx", "vl_convert", "altair", "icalendar", "pypdf", "mkdocs"]
SCRIPT = """
import importlib, json, pathlib, sys
modules = [
    # serve.py's imports and app.py's shell
    "cop.registry", "cop.calendars.web", "cop.publishing.web", "cop.web.routes",
    "cop.web.health", "cop.shell.startup", "cop.shell.gate", "cop.shell.navigation",
]
modules += [".".join(p.with_suffix("").parts) for p in sorted(pathlib.Path("cop").glob("*/ui/**/*.py"))]
modules += [".".join(p.with_suffix("").parts) for p in sorted(pathlib.Path("cop/shell").glob("*.py"))]
for name in modules:
    importlib.import_module(name)
print(json.dumps({"modules": len(modules), "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def test_app_shell_and_page_modules_do_not_import_the_export_libraries() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["modules"] > 40  # the shell and the pages were really imported
    assert "streamlit" in report["loaded"] and "sqlmodel" in report["loaded"]
    assert [name for name in EXPORT_ONLY if name in report["loaded"]] == []
