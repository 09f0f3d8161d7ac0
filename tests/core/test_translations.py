"""The German catalog is complete, keeps every placeholder, and is what the app actually loads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from cop.core import i18n, i18n_catalog
from cop.core.i18n import translator

PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def german_catalog() -> Catalog:
    with i18n_catalog.po_path("de").open("rb") as fh:
        return read_po(fh, locale="de", domain=i18n.DOMAIN)


@pytest.fixture(scope="module")
def interface() -> Catalog:
    """The interface strings as the sources stand now, not as the last ``update`` saw them."""
    return i18n_catalog.extract()


@pytest.fixture
def compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The catalogs compiled afresh into a private directory the translator then reads."""
    locale_dir = tmp_path / "locale"
    for language in i18n.LANGUAGES:
        source = i18n_catalog.po_path(language)
        if source.exists():
            target = locale_dir / language / "LC_MESSAGES" / source.name
            target.parent.mkdir(parents=True)
            target.write_bytes(source.read_bytes())
    monkeypatch.setattr(i18n_catalog, "LOCALE_DIR", locale_dir)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale_dir)
    i18n._translations.cache_clear()
    i18n_catalog.compile_all()
    yield locale_dir
    i18n._translations.cache_clear()


def test_every_interface_string_has_a_german_translation(interface: Catalog) -> None:
    german = german_catalog()
    missing = []
    for message in interface:
        if not message.id:
            continue
        entry = german.get(message.id)
        if entry is None or not entry.string or entry.fuzzy:
            where = ", ".join(f"{path}:{line}" for path, line in message.locations)
            missing.append(f"{message.id!r} ({where})")
    assert not missing, (
        f"{len(missing)} interface strings lack a German translation; run "
        "`python -m cop.core.i18n_catalog update` and translate them in "
        "cop/locale/de/LC_MESSAGES/cop.po:\n" + "\n".join(missing)
    )


def test_german_translations_keep_every_placeholder() -> None:
    wrong = [
        f"{message.id!r} -> {message.string!r}"
        for message in german_catalog()
        if message.id
        and message.string
        and sorted(PLACEHOLDER.findall(message.id)) != sorted(PLACEHOLDER.findall(message.string))
    ]
    assert not wrong, "placeholders differ between English and German:\n" + "\n".join(wrong)


def test_german_translations_keep_markdown_emphasis_and_icons() -> None:
    wrong = [
        f"{message.id!r} -> {message.string!r}"
        for message in german_catalog()
        if message.id
        and message.string
        and (
            message.id.count("**") != message.string.count("**")
            or message.id.count("`") != message.string.count("`")
            or re.findall(r":material/\w+:", message.id)
            != re.findall(r":material/\w+:", message.string)
        )
    ]
    assert not wrong, "Markdown or icon codes differ between English and German:\n" + "\n".join(
        wrong
    )


def test_the_app_reads_the_compiled_german_catalog(compiled: Path) -> None:
    assert (compiled / "de" / "LC_MESSAGES" / "cop.mo").exists()
    german, english = translator("de"), translator("en")
    assert german("Sign out") == "Abmelden"
    assert german("Welcome, {name}").format(name="Ana") == "Willkommen, Ana"
    assert english("Sign out") == "Sign out"
    assert translator("xx")("Sign out") == "Sign out"


def test_label_tables_reach_the_catalog(interface: Catalog) -> None:
    """Words the pages translate from a table (navigation, statuses, roles) are extracted too."""
    for word in (
        "Home",
        "Admin",
        "Study visit",
        "facilitator",
        "in review",
        "An action was assigned to you",
    ):
        assert word in interface, word


def test_extraction_ignores_keys_inside_translated_lookups(interface: Catalog) -> None:
    """``_(LABELS[row["kind"]])`` translates the label, not the column name "kind"."""
    for key in ("kind", "status", "format", "chapter_status"):
        assert key not in interface, key
