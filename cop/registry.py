"""The workspace assembled in one visible place: every capability's tables and flush hooks.

Importing this module puts every table on ``SQLModel.metadata`` (for Alembic,
the schema check, backups and the search index) and hands the search index's
hook to the database layer. Entry points import it first: the app shell, the
``cop`` command, Alembic's env.py, the tests and the benchmarks; opening the
database without it fails loudly (cop.core.db.get_engine) instead of writing
records the search would never find.
"""

from __future__ import annotations

import cop.models  # noqa: F401  (every capability's tables)
from cop.core import db
from cop.search import index as search_index

search_index.check_kinds()
db.on_every_flush(search_index.keep_index_in_step)
