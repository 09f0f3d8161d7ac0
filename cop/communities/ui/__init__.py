"""The admin console's community tabs: the only Streamlit code of communities."""
