"""The trivial floor of the click benchmark: two pages, each a title, switched in the sidebar.

Its sidebar click-to-render is the least any Streamlit page costs on this machine
(benchmarks/bench_clicks.py measures it in the same run as the workspace's pages).
"""

import streamlit as st


def first() -> None:
    st.title("Trivial first")


def second() -> None:
    st.title("Trivial second")


st.navigation([st.Page(first, title="First"), st.Page(second, title="Second")]).run()
