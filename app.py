"""CoP Workspace: the entry point. Page config, the sign-in gate, and role-aware navigation."""

import streamlit as st

from cop.ui import gate, navigation
from cop.ui.startup import prepare_workspace

st.set_page_config(page_title="CoP Workspace", page_icon=":material/hub:", layout="wide")
prepare_workspace()
actor = gate()
navigation(actor).run()
