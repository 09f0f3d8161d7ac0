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

# Keyboard focus always shows (WCAG 2.4.7, issue 23): some of Streamlit's buttons and tabs set
# ``outline: none`` and draw nothing instead. It rides in the same element as the script, as
# every element costs every page run.
FOCUS_STYLE = (
    "<style>:where(button, a, summary, textarea, [role=tab], [role=menuitem], [tabindex]):focus-visible"
    " { outline: 2px solid #285f63 !important; outline-offset: 2px !important; }</style>"
)


def language_script(language: str | None) -> str:
    """The script for ``language`` (a known code only: nothing typed reaches it)."""
    code = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return f'<script>document.documentElement.setAttribute("lang", "{code}");</script>'


def mark_page_language(language: str | None, *, in_sidebar: bool = True) -> None:
    where = st.sidebar if in_sidebar else st.container()
    where.html(language_script(language) + FOCUS_STYLE, unsafe_allow_javascript=True)
