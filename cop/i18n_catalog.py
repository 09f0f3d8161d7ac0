"""Keeping the translation catalogs complete: extract the interface strings, update, compile.

``python -m cop.i18n_catalog update`` extracts every ``_("...")`` of app.py,
pages/ and cop/ui/ (Babel), merges new strings into each catalog under
cop/locale/, and ``compile`` writes the .mo files the app loads (make does
this). A translator adds a language by copying a .po file; no code changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from cop.i18n import DOMAIN, LANGUAGES, LOCALE_DIR
from cop.settings import PROJECT_ROOT

SOURCES = [PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "pages").glob("*.py")), *sorted((PROJECT_ROOT / "cop" / "ui").glob("*.py"))]


def extract() -> Catalog:
    """Every interface string in the sources, with where it is used."""
    catalog = Catalog(domain=DOMAIN)
    for path in SOURCES:
        for lineno, message, _comments, _context in extract_from_file("python", str(path), keywords={"_": None}):
            catalog.add(message, locations=[(str(path.relative_to(PROJECT_ROOT)), lineno)])
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def update() -> None:
    template = extract()
    for language in LANGUAGES:
        if language == "en":
            continue
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=language, domain=DOMAIN)
            catalog.update(template, no_fuzzy_matching=True)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN)
            for message in template:
                if message.id:
                    catalog.add(message.id, locations=message.locations)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False, sort_output=True)


def compile_all() -> None:
    for language in LANGUAGES:
        path = po_path(language)
        if not path.exists():
            continue
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=language, domain=DOMAIN)
        with path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


if __name__ == "__main__":
    {"update": update, "compile": compile_all}[sys.argv[1]]()
