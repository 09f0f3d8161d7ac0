"""CoP Workspace: the domain of Communities of Practice of cities.

Nothing in this package imports Streamlit except each capability's ``ui`` and ``cop.shell``, so the CLI, the
tests and the benchmarks call exactly the services the pages call.
"""

__version__ = "0.1.0"
