"""The app shell alone: the guard every page starts with (sign-in check, sidebar) and a title.

Measured next to the empty page to show how much of every page's run the shell takes.
"""

import streamlit as st

from cop.shell.gate import require_actor

actor = require_actor("search")
st.title("Shell")
