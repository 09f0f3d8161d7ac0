"""One module per capability. Each write: authorize, validate, write, audit."""
