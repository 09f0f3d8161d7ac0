"""Per-user translations: ``_ = translator(actor.language)`` in every run.

Never ``gettext.install``: that would set one language for the whole server
process and leak one user's language to everyone. Catalogs live in
``cop/locale/<lang>/LC_MESSAGES/cop.po`` and are compiled to ``.mo`` by make.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date as babel_date

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "cop"
LANGUAGES = {"en": "English", "de": "Deutsch"}
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=16)
def _translations(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


def translator(language: str | None) -> Callable[[str], str]:
    """The gettext function for ``language`` (English when unknown)."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return _translations(language).gettext


def N_(message: str) -> str:  # noqa: N802 - the gettext convention the extractor looks for
    """Mark a string for the catalog where it is defined (a label table); ``_()`` translates it."""
    return message


@lru_cache(maxsize=4096)
def format_day(value: date, language: str = DEFAULT_LANGUAGE) -> str:
    """A calendar day as ``language`` writes it ("May 31, 2027", "31.05.2027").

    The one date pattern of the workspace: the screens use it through
    ``cop.shell.formatting.format_date``, e-mails (the weekly digest) directly.
    """
    return babel_date(
        value, "medium", locale=language if language in LANGUAGES else DEFAULT_LANGUAGE
    )


def best_language(accept: str | None) -> str:
    """The supported language that best fits the browser's locale (e.g. "de-AT" -> "de")."""
    if accept:
        for part in accept.replace("_", "-").split(","):
            code = part.split(";")[0].strip().split("-")[0].lower()
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE
