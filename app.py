"""CoP Workspace: the entry point. Page config, the sign-in gate, and role-aware navigation."""

import streamlit as st

from cop.core.errors import DatabaseUnavailable
from cop.ui import gate, navigation
from cop.ui.startup import prepare_workspace

st.set_page_config(page_title="CoP Workspace", page_icon=":material/hub:", layout="wide")
try:
    prepare_workspace()
    actor = gate()
    navigation(actor).run()
except DatabaseUnavailable as problem:
    # A database that is down or read-only gets a calm message, never a traceback;
    # the next rerun tries again, so the app recovers without a restart.
    st.error(str(problem), icon=":material/cloud_off:")
