"""What the app serves over plain HTTP beside its Streamlit pages: download links and their route."""
