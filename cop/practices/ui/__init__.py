"""The practices and standards page: the only Streamlit code of practices."""
