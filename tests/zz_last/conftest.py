"""The last tests stop the shared PostgreSQL server, so they run after everything else.

Their browser fixtures come from tests/browser_fixtures.py, shared with tests/e2e.
"""
