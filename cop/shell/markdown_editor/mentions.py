"""``mention_editor``: the Markdown editor that offers a community's members after ``@``.

For text whose service notifies the members it mentions (``cop.accounts.mentions``): a
comment or reply, an action's update, a workshop's minutes. The names are the community's
members as the reader may see them, read once per data version; a caption under the editor
says how to mention someone.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cop.accounts import mentions
from cop.core.i18n import translator
from cop.core.permissions import Actor
from cop.shell.forms import read
from cop.shell.markdown_editor.editor import markdown_editor


def mention_editor(actor: Actor, label: str, community_id: int, *, key: str, **options: Any) -> str:
    """Draw ``markdown_editor(label, key=key, **options)`` offering the community's members."""
    _ = translator(actor.language)
    names = read(
        mentions.mentionable,
        actor,
        community_id,
        reader_language=actor.language,
        cached=True,
    )
    text = markdown_editor(label, key=key, language=actor.language, mentions=names, **options)
    st.caption(_("Type @ and two letters to mention a member; they are notified."))
    return text
