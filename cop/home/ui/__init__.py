"""The home page: the only Streamlit code of home."""
