"""CoP Workspace: the entry point. Page config, the sign-in gate, and role-aware navigation."""

from pathlib import Path

import streamlit as st

from cop.core.errors import DatabaseUnavailable
from cop.shell.gate import gate
from cop.shell.navigation import navigation

# A file served by the app itself: a ":material/...:" page icon makes every browser fetch
# it from fonts.gstatic.com, sending each visitor's address to Google.
ICON = Path(__file__).parent / "assets" / "icon.png"
st.set_page_config(page_title="CoP Workspace", page_icon=str(ICON), layout="wide")
try:
    actor = gate()  # prepares the workspace once per run; the page's guard reuses this check
    navigation(actor).run()
except DatabaseUnavailable as problem:
    # A database that is down or read-only gets a calm message, never a traceback;
    # the next rerun tries again, so the app recovers without a restart.
    st.error(str(problem), icon=":material/cloud_off:")
