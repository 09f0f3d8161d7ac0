"""Keeping the translation catalogs complete: extract the interface strings, update, compile.

``python -m cop.core.i18n_catalog update`` extracts every ``_("...")`` and
``N_("...")`` of app.py, pages/ and every module of cop/, the services and the
checks whose messages pages translate when drawn (Babel), plus the label tables
defined elsewhere that the pages translate when drawn (``LABEL_TABLES``),
merges new strings into each catalog under cop/locale/, and ``compile`` writes
the .mo files the app loads (make does this). A translator adds a language by
copying a .po file; no code changes.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import IO, Any, cast

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from cop.core.i18n import DOMAIN, LANGUAGES, LOCALE_DIR
from cop.core.settings import PROJECT_ROOT

SOURCES = [
    PROJECT_ROOT / "app.py",
    *sorted((PROJECT_ROOT / "pages").glob("*.py")),
    # Every module of the package: pages' words, and the services' validation messages and
    # field labels (cop.core.messages.Message, translated by cop.shell.forms.localize).
    *sorted(p for p in (PROJECT_ROOT / "cop").rglob("*.py") if "migrations" not in p.parts),
]


# Words defined outside a literal ``_()`` that pages pass through ``_()`` (the services' statuses,
# kinds and fixed messages, and labels derived from them): "module:NAME" of a string, a dict
# (its values), a list or tuple, or an Enum (its values).
LABEL_TABLES = [
    "cop.core.permissions:Role",
    "cop.accounts.service:SIGN_IN_FAILED",
    "cop.actions.progress:DRIVEN_BY_CHILDREN",
    "cop.actions.progress:DRIVEN_BY_MILESTONES",
    "cop.actions.plan:COLUMNS",
    "cop.accounts.notifications:KINDS",
    "cop.practices.review:STATUS_LABELS",
    "cop.practices.self_assessment:SCORE_LABELS",
    "cop.toolkit.service:STATUS_LABELS",
    "cop.toolkit.blocks:KIND_LABELS",
    "cop.toolkit.blocks:DEFAULT_TITLES",
    "cop.practices.ui.views:FORM_LABELS",
]


def _label_texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if inspect.isclass(value) and issubclass(value, Enum):
        return [str(member.value) for member in value]
    if isinstance(value, dict):
        value = list(value.values())
    return [text for item in cast(Iterable[object], value) for text in _label_texts(item)]


def extract_literal_calls(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """A Babel extraction method: only ``_("...")`` / ``N_("...")`` with a literal first argument.

    Babel's own Python extractor also takes the first literal *inside* a call, so
    ``_(LABELS[row["kind"]])`` would put the column name "kind" into the catalog.
    """
    for node in ast.walk(ast.parse(fileobj.read())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
            continue
        first = node.args[0]
        if (
            node.func.id in keywords
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            yield node.lineno, node.func.id, first.value, []


def extract() -> Catalog:
    """Every interface string of the sources and the label tables, with where it is defined."""
    catalog = Catalog(domain=DOMAIN)
    for path in SOURCES:
        keywords = {"_": None, "N_": None}
        # Babel's stub says a method yields (lineno, message, comments, context), but
        # extract_from_file unpacks (lineno, funcname, message, comments), as yielded here.
        found = extract_from_file(
            extract_literal_calls,  # type: ignore[arg-type]  # Babel's stub mistypes method rows
            str(path),
            keywords,
        )
        for lineno, message, _comments, _context in found:
            catalog.add(message, locations=[(str(path.relative_to(PROJECT_ROOT)), lineno)])
    for entry in LABEL_TABLES:
        module_name, name = entry.split(":")
        module = importlib.import_module(module_name)
        where = str(Path(inspect.getfile(module)).relative_to(PROJECT_ROOT))
        for text in _label_texts(getattr(module, name)):
            if text and text not in catalog:
                catalog.add(text, locations=[(where, 0)])
            elif text:
                catalog[text].locations.append((where, 0))
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
