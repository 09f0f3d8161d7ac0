"""Home: my communities and their key figures, my due actions, upcoming workshops, inbox, activity."""

import streamlit as st

from cop.core.i18n import translator
from cop.home.ui.page import draw_home
from cop.shell.gate import require_actor
from cop.shell.sidebar import selected_community_id
from cop.shell.text import plain

actor = require_actor("home")
_ = translator(actor.language)
st.title(_("Welcome, {name}").format(name=plain(actor.name)))
draw_home(actor, selected_community_id(actor))
