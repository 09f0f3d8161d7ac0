"""The profile page and the admin console's account tabs: the only Streamlit code of accounts."""
