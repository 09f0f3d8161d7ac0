"""Browser fixtures for the last tests (they stop the shared PostgreSQL server, so they run last)."""

from tests.e2e.conftest import browser, context, page  # noqa: F401
