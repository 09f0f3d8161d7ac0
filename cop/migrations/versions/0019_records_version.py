"""The records' version: a second counter beside ``data_version`` that a write to the journals
alone (an action's updates, the audit log, the search index) leaves where it was.

Under load every posted update moved ``data_version``, so every person's cached reads (who
they are, their communities, the toolkit's draft, the workshop list) were read again on
their next click although none of them shows an update. Reads that show no journal are now
kept by this counter (cop.core.db, cop.shell.cache). It starts at ``data_version``'s value.

Revision ID: 0019_records_version
Revises: 0018_search_newest_function
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019_records_version"
down_revision: str | None = "0018_search_newest_function"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "INSERT INTO data_version (id, value) "
        "SELECT 2, value FROM data_version WHERE id = 1 "
        "AND NOT EXISTS (SELECT 1 FROM data_version WHERE id = 2)"
    )


def downgrade() -> None:
    op.execute("DELETE FROM data_version WHERE id = 2")
