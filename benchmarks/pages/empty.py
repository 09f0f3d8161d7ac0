"""The floor: an empty Streamlit page, run by AppTest in the same process as the real pages."""

import streamlit as st

st.empty()
