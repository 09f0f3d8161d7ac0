"""CoP Workspace as served: the Streamlit app (app.py) and the routes beside it.

Start it with ``streamlit run serve.py``: Streamlit finds the module-level ``app``
below (it must stay a literal ``st.App(...)`` assignment) and serves app.py's pages
through it, with the download route (cop.web.routes) mounted alongside, so a file is
fetched by a plain link in one click. app.py stays the page script (AppTest runs it).
"""

import streamlit as st

from cop.web.routes import download_routes

app = st.App("app.py", routes=download_routes(st.get_option("server.baseUrlPath")))
