"""Toolkit: editions and their chapters; a chapter's draft, review, revisions and exports.

Members and facilitators edit their community's chapter; facilitators
approve it; everyone reads and exports the approved revisions.
"""

import streamlit as st

from cop.core.i18n import translator
from cop.publishing.ui.panel import published_panel
from cop.shell.gate import require_actor
from cop.shell.sidebar import selected_community_id
from cop.toolkit.ui.chapter import chapter_page
from cop.toolkit.ui.editions import chapter_picker, edition_overview, edition_picker

actor = require_actor("toolkit")
_ = translator(actor.language)
st.title(_("Toolkit"))

edition = edition_picker(actor)
if edition is None:
    st.stop()
chapters = edition_overview(actor, edition)
published_panel(actor, edition, chapters)
chapter_id = chapter_picker(actor, chapters, selected_community_id(actor))
if chapter_id is not None:
    st.divider()
    chapter_page(actor, chapter_id)
