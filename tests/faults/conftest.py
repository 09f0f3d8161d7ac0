"""The fault tests reuse the AppTest demo workspace fixtures."""

from tests.app.conftest import demo_db, demo_template, run_page  # noqa: F401
