"""The toolkit page: the only Streamlit code of the toolkit."""
