"""Search index entries filed by kind, then record, then community on SQLite, so a search ranks each kind's newest matches.

Ranking every match of a common word (bm25 reads each match's size, one row at a time) took
45 ms across the communities a member may read. A search now ranks each kind's newest
matches, which FTS5 reads backwards from the end of the kind's rowid range and stops; the
community sits in the low bits, so the communities a reader may see are kept to without
reading a row (cop.search.index.index_rowid). The entries are copied to a new table at their
new rowids (the text is indexed again) and the old table dropped, as 0015 did.

On PostgreSQL each kind's newest matches come backwards from the primary key (kind,
record_id), or from GIN when they are few: each kind gets GIN indexes of its own (a shared
one made the planner read every kind's matches, or AND in the whole kind's rows), and the
title a tsvector of its own, so title matches are found without reading each row.

Revision ID: 0016_search_kind_rowids
Revises: 0015_search_community_rowids
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_search_kind_rowids"
down_revision: str | None = "0015_search_community_rowids"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS5 = (
    "USING fts5(kind UNINDEXED, record_id UNINDEXED, community_id UNINDEXED, title, body, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
)
# cop.search.index.KINDS and KIND_CODES as they stand at this revision
KINDS = ("workshop", "action", "practice", "standard", "section")
KIND_CODE = (
    "CASE kind WHEN 'workshop' THEN 0 WHEN 'action' THEN 1 WHEN 'practice' THEN 2 "
    "WHEN 'standard' THEN 3 WHEN 'section' THEN 4 END"
)
BY_KIND = (
    f"({KIND_CODE}) * {1 << 48} + CAST(record_id AS INTEGER) * {1 << 16} "
    "+ CAST(community_id AS INTEGER)"
)
BY_COMMUNITY = (
    f"CAST(community_id AS INTEGER) * {1 << 32} + CAST(record_id AS INTEGER) * 8 + ({KIND_CODE})"
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
        _refile(BY_KIND)
    else:
        op.execute(
            "ALTER TABLE search_document ADD COLUMN title_document tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', cop_unaccent(title))) STORED"
        )
        for kind in KINDS:  # a kind's GIN holds only its matches: no other kind's rows to read
            for column, name in (("document", "document"), ("title_document", "title")):
                op.execute(
                    f"CREATE INDEX ix_search_document_{kind}_{name} ON search_document "
                    f"USING gin ({column}) WHERE kind = '{kind}'"
                )
        op.execute("DROP INDEX ix_search_document_document")
        op.execute("ANALYZE search_document")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _refile(BY_COMMUNITY)
    else:
        op.execute("ALTER TABLE search_document DROP COLUMN title_document")
        for kind in KINDS:
            op.execute(f"DROP INDEX ix_search_document_{kind}_document")
        op.execute(
            "CREATE INDEX ix_search_document_document ON search_document USING gin (document)"
        )
