"""The workspace assembled in one visible place: every capability's tables, flush hooks and history.

Importing this module puts every table on ``SQLModel.metadata`` (for Alembic,
the schema check, backups and the search index) and hands the search index's
hook to the database layer. Entry points import it first: the app shell, the
``cop`` command, Alembic's env.py, the tests and the benchmarks; opening the
database without it fails loudly (cop.core.db.get_engine) instead of writing
records the search would never find.
"""

from __future__ import annotations

from cop.accessibility import history as accessibility_history
from cop.accessibility import models as accessibility_tables
from cop.accounts import history as accounts_history
from cop.accounts import models as accounts_tables
from cop.actions import history as actions_history
from cop.actions import models as actions_tables
from cop.calendars import models as calendars_tables
from cop.communities import history as communities_history
from cop.communities import models as communities_tables
from cop.core import audit, db
from cop.outbox import history as outbox_history
from cop.outbox import models as outbox_tables
from cop.practices import history as practices_history
from cop.practices import models as practices_tables
from cop.publishing import models as publishing_tables
from cop.search import index as search_index
from cop.toolkit import history as toolkit_history
from cop.toolkit import models as toolkit_tables
from cop.workshops import history as workshops_history
from cop.workshops import models as workshops_tables

# The modules whose classes are tables; importing them put the tables on SQLModel.metadata.
TABLE_MODULES = (
    audit,
    db,
    communities_tables,
    accounts_tables,
    workshops_tables,
    actions_tables,
    practices_tables,
    toolkit_tables,
    publishing_tables,
    calendars_tables,
    outbox_tables,
    accessibility_tables,
)

# The modules that tell the history (cop.core.history) how to name each capability's records.
HISTORY_MODULES = (
    communities_history,
    accounts_history,
    workshops_history,
    actions_history,
    practices_history,
    toolkit_history,
    outbox_history,
    accessibility_history,
)

search_index.check_kinds()
db.on_every_flush(search_index.keep_index_in_step)
