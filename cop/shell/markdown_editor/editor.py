"""``markdown_editor``: long text with a toolbar and a live preview, used like a text area.

The text lives in ``st.session_state[key]`` as a plain string, as a keyed text area's does:
a page may fill it before drawing the editor (``forms.prefill``), read it when its form is
submitted and drop it after a save (``forms.forget``). What is typed in the browser comes
back as the component's ``edit`` state, ``{"text": ..., "id": ...}`` with a new id for every
change, and replaces the string once; so a page that fills the form afresh after a save is
not overruled by the last text the browser sent. Inside an ``st.form`` the browser keeps the
edit with the form's other values until the form is submitted (components may hold state in
forms; only their triggers are refused there).

Like a widget's value, what the browser sent is in the text before the page runs, and the
text goes when a run does not draw its editor (another view, an editor drawn only while
open): ``sync_editors``, called by the gate at the start of every run, does both, so pages
that keep a draft of what was typed (the chapter's section editor) put it back as they do
for their other widgets. ``value`` is the stored text: the
editor starts from it and follows it while the person has not changed the text.

AppTest does not run the browser part: ``tests/page_fixtures.type_markdown`` sends an edit as
the browser does.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cop.core.i18n import translator
from cop.shell.markdown_editor.component import mount

DEFAULT_HEIGHT = 200


def component_key(key: str) -> str:
    """The key of the editor's component, beside the text's own ``key``."""
    return f"{key}::editor"


EDITORS = "cop_markdown_editors"  # session state: key -> {"given": value, "edit": last edit id}


def labels(language: str) -> dict[str, str]:
    """The toolbar's names and the editor's other words, in ``language``."""
    _ = translator(language)
    return {
        "toolbar": _("Formatting"),
        "heading": _("Heading"),
        "bold": _("Bold"),
        "italic": _("Italic"),
        "bullets": _("Bulleted list"),
        "numbers": _("Numbered list"),
        "link": _("Link"),
        "table": _("Table"),
        "preview": _("Preview"),
        "empty": _("The preview shows the formatted text as you type."),
        "bold_text": _("bold text"),
        "italic_text": _("italic text"),
        "link_text": _("link text"),
        "column": _("Column {n}"),
        "count": _("{n} of {max} characters"),
        "mentions": _("Members to mention"),
    }


def sync_editors() -> None:
    """Before a page runs, do for every editor what Streamlit does for widget values.

    What the browser typed becomes the editor's text, so the page's code sees it from its
    first line (a page that compares the typed text with the stored one, as the chapter's
    section editor does, finds it changed). The text of an editor the last run did not draw
    goes: Streamlit removed its component's state at the end of that run.
    """
    state = st.session_state
    editors: dict[str, dict[str, Any]] = state.get(EDITORS) or {}
    for key, marks in list(editors.items()):
        if component_key(key) in state:
            _take_edit(key, marks)
        else:
            del editors[key]
            state.pop(key, None)


def _take_edit(key: str, marks: dict[str, Any]) -> None:
    """Put what the browser last sent into ``st.session_state[key]``, once per edit."""
    state = st.session_state
    try:
        browser = state[component_key(key)]
    except KeyError:  # not drawn before, or dropped while it was not drawn
        return
    edit = browser.get("edit") if isinstance(browser, dict) else None
    if not isinstance(edit, dict):
        return
    text, edit_id = edit.get("text"), edit.get("id")
    if isinstance(text, str) and isinstance(edit_id, str) and edit_id != marks.get("edit"):
        marks["edit"] = edit_id
        state[key] = text


def markdown_editor(
    label: str,
    value: str = "",
    *,
    key: str,
    height: int = DEFAULT_HEIGHT,
    language: str = "en",
    max_chars: int | None = None,
    mentions: list[str] | None = None,
    placeholder: str = "",
) -> str:
    """Draw a Markdown editor labelled ``label`` and return the Markdown it holds.

    ``label`` is shown as the text area's own label (screen readers and tests find the
    field by it). ``height`` is the text area's in pixels; the preview beside it scrolls
    within the same height. ``max_chars`` stops typing there and shows a count.
    ``mentions`` are the names offered once ``@`` and two letters are typed (the
    community's members, ``cop.accounts.mentions.member_names``). ``placeholder`` is shown
    in the empty text area, as a text area's.
    """
    state = st.session_state
    editors: dict[str, dict[str, Any]] = state.setdefault(EDITORS, {})
    marks = editors.setdefault(key, {"given": value, "edit": None})
    _take_edit(key, marks)
    if key not in state:
        state[key] = value
    elif value != marks["given"] and state[key] == marks["given"]:
        state[key] = value  # untouched here: the stored text changed, the editor follows it
    marks["given"] = value
    text = state[key]
    if not isinstance(text, str):
        text = state[key] = "" if text is None else str(text)
    mount(
        {
            "label": label,
            "value": text,
            "height": int(height),
            "max_chars": int(max_chars) if max_chars else 0,
            "language": language,
            "labels": labels(language),
            "mentions": list(mentions or []),
            "placeholder": placeholder,
        },
        key=component_key(key),
    )
    return text
