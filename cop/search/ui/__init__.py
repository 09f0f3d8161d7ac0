"""The search page: the only Streamlit code of search."""
