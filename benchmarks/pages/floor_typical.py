"""The typical floor of the click benchmark: two pages of what a typical page holds.

Each page has a title, three metrics, a 50-row table, a bar chart and a small form, and the
sidebar a selectbox (issue 24 item 1); the sidebar click between them is timed in the same
run as the workspace's pages (benchmarks/bench_clicks.py).
"""

import altair as alt
import pandas as pd
import streamlit as st


def typical(name: str) -> None:
    st.title(f"Typical {name}")
    left, middle, right = st.columns(3)
    left.metric("Workshops", 42, 3)
    middle.metric("Actions", 128, -2)
    right.metric("Practices", 17)
    rows = pd.DataFrame(
        {
            "title": [f"Row {name} {i:02d}" for i in range(50)],
            "group": [
                ("Idea", "Planned", "In progress", "Done", "Dropped")[i % 5] for i in range(50)
            ],
            "value": [(i * 37) % 100 for i in range(50)],
        }
    )
    st.dataframe(rows, hide_index=True)
    st.altair_chart(
        alt.Chart(rows).mark_bar().encode(x="group:N", y="sum(value):Q"), width="stretch"
    )
    with st.form(f"form-{name}"):
        st.text_input("Title")
        st.date_input("Due", value=None)
        st.form_submit_button("Save")


def first() -> None:
    typical("first")


def second() -> None:
    typical("second")


st.sidebar.selectbox("Community", ["All my communities", "Welcoming culture", "Mobility"])
st.navigation([st.Page(first, title="First"), st.Page(second, title="Second")]).run()
