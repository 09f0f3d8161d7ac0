"""The floor of the board and timeline benchmark: a typical page, a table and a chart.

Two views of 300 rows each (a table and a bar chart of them); switching the view is
the click whose click-to-render time the board's and timeline's are divided by
(benchmarks/bench_views.py), measured in the same run in the same browser.
"""

import altair as alt
import pandas as pd
import streamlit as st

view = st.segmented_control("View", ["A", "B"], default="A", key="view")
rows = pd.DataFrame(
    {
        "title": [f"Row {view} {i:03d}" for i in range(300)],
        "group": [("Idea", "Planned", "In progress", "Done", "Dropped")[i % 5] for i in range(300)],
        "value": [(i * 37) % 100 for i in range(300)],
    }
)
st.dataframe(rows, hide_index=True)
st.altair_chart(alt.Chart(rows).mark_bar().encode(x="group:N", y="sum(value):Q"), width="stretch")
st.write(f"Shown: {view}")
