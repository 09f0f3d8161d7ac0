"""The floor of the load test: one button and a counter, served by its own `streamlit run`.

Its click-to-render time, measured in the same run as the workspace's steps,
is what each step's time is divided by (tests/browser/test_load.py).
"""

import streamlit as st

if st.button("Click"):
    st.session_state["clicks"] = st.session_state.get("clicks", 0) + 1
st.write(f"Clicked {st.session_state.get('clicks', 0)} times")
