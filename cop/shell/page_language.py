"""The page's ``<html lang>`` follows the reader's language (WCAG 3.1.1, issue 23).

Streamlit serves every page as ``<html lang="en">``, so a screen reader read a German
interface with English pronunciation. A small script of ours sets the attribute in the
browser on every page: the signed-in person's language, or the browser's on the sign-in
page. Its empty element goes in the sidebar of a signed-in page, and after the sign-in form
(which has no sidebar), so it takes no room where one reads.
"""

from __future__ import annotations

import streamlit as st

from cop.core.i18n import DEFAULT_LANGUAGE, LANGUAGES


def language_script(language: str | None) -> str:
    """The script for ``language`` (a known code only: nothing typed reaches it)."""
    code = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return f'<script>document.documentElement.setAttribute("lang", "{code}");</script>'


def mark_page_language(language: str | None, *, in_sidebar: bool = True) -> None:
    where = st.sidebar if in_sidebar else st.container()
    where.html(language_script(language), unsafe_allow_javascript=True)
