"""CoP Workspace: the entry point. Page config, the sign-in gate, and role-aware navigation."""

import streamlit as st

from cop.core.errors import DatabaseUnavailable
from cop.shell.gate import gate
from cop.shell.navigation import navigation

st.set_page_config(page_title="CoP Workspace", page_icon=":material/hub:", layout="wide")
try:
    actor = gate()  # prepares the workspace once per run; the page's guard reuses this check
    navigation(actor).run()
except DatabaseUnavailable as problem:
    # A database that is down or read-only gets a calm message, never a traceback;
    # the next rerun tries again, so the app recovers without a restart.
    st.error(str(problem), icon=":material/cloud_off:")
