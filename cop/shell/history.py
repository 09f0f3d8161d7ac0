"""Drawing the history (``cop.core.history`` entries): a History tab's table, Home's activity lines.

Every sentence and change is translated here, for the reader, from the
Messages the history built; dates and times follow the reader's language and
time zone (``cop.shell.formatting``).
"""

from __future__ import annotations

import html
import re

import streamlit as st

from cop.core.history import Entry
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.shell.formatting import local_time
from cop.shell.forms import localize
from cop.shell.text import break_bare_links

# Characters Markdown would read as marks, written as character references (shown as they are).
_MARKS = re.compile(r"[\\`*_\[\]~|#]")


def plain_html(text: str) -> str:
    """``text`` safe inside HTML that Streamlit's Markdown also reads: tags and marks shown literally."""
    return _MARKS.sub(lambda m: f"&#{ord(m.group())};", html.escape(break_bare_links(text)))


def history_table(actor: Actor, entries: list[Entry]) -> None:
    """A History tab: when, what happened (a sentence), and what changed, field by field."""
    _ = translator(actor.language)
    if not entries:
        st.caption(_("Nothing recorded yet."))
        return
    st.dataframe(
        [
            {
                _("When"): local_time(e.at, actor.time_zone, language=actor.language),
                _("What"): localize(e.sentence, actor.language),
                _("Changes"): "; ".join(localize(c, actor.language) for c in e.changes),
            }
            for e in entries
        ],
        hide_index=True,
        width="stretch",
    )


def activity_line(actor: Actor, entry: Entry, community: str = "") -> str:
    """One line of Home's activity as HTML for ``st.markdown``: when · the sentence, linked to the record."""
    sentence = plain_html(localize(entry.sentence, actor.language))
    if entry.page and entry.record_id is not None:
        href = html.escape(f"./{entry.page}?id={entry.record_id}")
        sentence = f'<a href="{href}" target="_self">{sentence}</a>'
    when = plain_html(local_time(entry.at, actor.time_zone, language=actor.language))
    return " · ".join([when, sentence] + ([plain_html(community)] if community else []))
