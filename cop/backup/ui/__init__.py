"""The admin console's backups tab: the only Streamlit code of backup."""
