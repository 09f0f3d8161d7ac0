"""PostgreSQL search entries say whether their record is approved, so outsiders' searches test a column.

A member searching every community finds other communities' practices and standards only
once approved. The test was ``record_id IN (SELECT id FROM practice WHERE status =
'approved')``: each search hashed the 3,001 approved practices again, half of its time in the
large workspace. The entry now carries the flag, kept in step by the flush hook
(cop.search.index.reindex_records). SQLite is unchanged: an FTS5 column is read row by row,
slower than the rowid lookup into the approved records.

Revision ID: 0017_search_approved_flag
Revises: 0016_search_kind_rowids
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017_search_approved_flag"
down_revision: str | None = "0016_search_kind_rowids"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVIEWED = ("practice", "standard")  # the kinds with a status at this revision


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("ALTER TABLE search_document ADD COLUMN approved boolean NOT NULL DEFAULT false")
    for kind in REVIEWED:
        op.execute(
            f"UPDATE search_document SET approved = true WHERE kind = '{kind}' AND record_id IN "
            f"(SELECT id FROM {kind} WHERE status = 'approved')"
        )
    op.execute("ANALYZE search_document")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("ALTER TABLE search_document DROP COLUMN approved")
