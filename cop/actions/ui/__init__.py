"""The actions page: the only Streamlit code of actions."""
