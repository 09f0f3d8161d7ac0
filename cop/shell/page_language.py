"""The page's ``<html lang>`` follows the reader's language (WCAG 3.1.1, issue 23).

Streamlit serves every page as ``<html lang="en">``, so a screen reader read a German
interface with English pronunciation. A small script of ours sets the attribute in the
browser on every page: the signed-in person's language, or the browser's on the sign-in
page. Its empty element goes in the sidebar of a signed-in page, and after the sign-in form
(which has no sidebar), so it takes no room where one reads.

Content in another language than the page's is marked too (WCAG 3.1.2): what a page draws
inside ``in_language(...)`` (a German edition's title and text on an English page) sits in a
container whose key names the language, and the same script gives every such container its
``lang`` attribute, also those drawn later (Streamlit draws elements as they arrive); so does
each language's own name among a list's choices ("Deutsch" in the profile's language list).
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager, nullcontext

import streamlit as st

from cop.core.i18n import DEFAULT_LANGUAGE, LANGUAGES

# A container keyed ``cop-lang-<code>-<name>`` gets the class ``st-key-cop-lang-<code>-<name>``.
LANGUAGE_KEY = "cop-lang-"
# Once per browser tab: mark what is there and whatever is added or re-keyed later (at most
# once a frame); a reused element that lost its key loses its mark.
MARK_CONTENT_LANGUAGE = """
if (!window.copMarksLanguage) {
  window.copMarksLanguage = true;
  const prefix = " st-key-{KEY}";
  const names = {NAMES};
  let queued = false;
  const mark = () => {
    queued = false;
    document.querySelectorAll("[data-cop-lang]").forEach((el) => {
      if (!(" " + el.className).includes(prefix + el.dataset.copLang + "-")) {
        el.removeAttribute("lang");
        delete el.dataset.copLang;
      }
    });
    document.querySelectorAll('[class*="st-key-{KEY}"]').forEach((el) => {
      const found = / st-key-{KEY}([a-z]{2})-/.exec(" " + el.className);
      if (found && el.getAttribute("lang") !== found[1]) {
        el.setAttribute("lang", found[1]);
        el.dataset.copLang = found[1];
      }
    });
    // A language's own name in a list of choices (the profile's "Deutsch" on an English page).
    document.querySelectorAll('[role="option"]').forEach((el) => {
      const code = names[el.textContent.trim()];
      if (code && el.getAttribute("lang") !== code) {
        el.setAttribute("lang", code);
        el.dataset.copOption = code;
      } else if (!code && el.dataset.copOption) {  // a reused row now showing another choice
        el.removeAttribute("lang");
        delete el.dataset.copOption;
      }
    });
  };
  const later = () => { if (!queued) { queued = true; requestAnimationFrame(mark); } };
  new MutationObserver(later).observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["class"],
  });
  mark();
}
""".replace("{KEY}", LANGUAGE_KEY).replace(
    "{NAMES}", json.dumps({name: code for code, name in LANGUAGES.items()})
)

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
    return (
        f'<script>document.documentElement.setAttribute("lang", "{code}");'
        f"{MARK_CONTENT_LANGUAGE}</script>"
    )


def in_language(language: str, reader_language: str, name: str) -> AbstractContextManager[object]:
    """Where the page draws content in ``language``: marked when it is not the reader's.

    ``name`` makes the container's key unique on the page (``edition-3``, ``section-12``).
    In the reader's own language nothing is added: the elements go where they would.
    """
    if language == reader_language or language not in LANGUAGES:
        return nullcontext()
    return st.container(key=f"{LANGUAGE_KEY}{language}-{name}")


def mark_page_language(language: str | None, *, in_sidebar: bool = True) -> None:
    where = st.sidebar if in_sidebar else st.container()
    where.html(language_script(language) + FOCUS_STYLE, unsafe_allow_javascript=True)
