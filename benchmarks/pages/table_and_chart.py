"""The memory floor (benchmarks/bench_memory.py): a trivial Streamlit app showing one table and one chart."""

import pandas as pd
import streamlit as st

rows = pd.DataFrame({"group": [f"Group {i % 5}" for i in range(50)], "value": range(50)})
st.title("Table and chart")
st.dataframe(rows, hide_index=True)
st.bar_chart(rows, x="group", y="value")
