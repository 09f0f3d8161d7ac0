"""CoP Workspace: the domain of Communities of Practice of cities.

Nothing in this package imports Streamlit except ``cop.ui``, so the CLI, the
tests and the benchmarks call exactly the services the pages call.
"""

__version__ = "0.1.0"
