"""Search index entries filed by community on SQLite, so a search in one community reads only its own.

An FTS5 row is found fast only by its rowid. Until now the rowid was the record's id and
kind; it now starts with the community (``community_id << 32``), so one community's entries
are one rowid range that FTS5 reads alone: a search in one community ranks that
community's matches instead of every match in the workspace. The entries are copied to a
new table at their new rowids (the text is indexed again) and the old table dropped.

PostgreSQL keeps its table: the community filter uses ix_search_document_community and the
match uses the GIN index of 0007.

Revision ID: 0015_search_community_rowids
Revises: 0014_oidc
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_search_community_rowids"
down_revision: str | None = "0014_oidc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COMMUNITY = 1 << 32  # cop.search.index.COMMUNITY_SHIFT
FTS5 = (
    "USING fts5(kind UNINDEXED, record_id UNINDEXED, community_id UNINDEXED, title, body, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
)


def _refile(new_rowid: str) -> None:
    op.execute(f"CREATE VIRTUAL TABLE search_fts_refiled {FTS5}")
    op.execute(
        "INSERT INTO search_fts_refiled (rowid, kind, record_id, community_id, title, body) "
        f"SELECT {new_rowid}, kind, record_id, community_id, title, body FROM search_fts"
    )
    op.execute("DROP TABLE search_fts")
    op.execute("ALTER TABLE search_fts_refiled RENAME TO search_fts")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _refile(f"CAST(community_id AS INTEGER) * {COMMUNITY} + rowid % {COMMUNITY}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _refile(f"rowid % {COMMUNITY}")
