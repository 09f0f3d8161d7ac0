"""The workshops page: the only Streamlit code of workshops."""
