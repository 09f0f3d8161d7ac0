"""Workshops: being built (replaced by the capability's own page)."""

import streamlit as st

from cop.ui import require_actor

actor = require_actor("workshops")
st.title("Workshops")
