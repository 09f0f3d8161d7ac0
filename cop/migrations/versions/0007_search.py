"""Full-text search index: FTS5 on SQLite, tsvector with a GIN index on PostgreSQL.

The index tables are named search_* and left out of autogenerate; they are
derived data (``cop search reindex`` rebuilds them from the records).

Revision ID: 0007_search
Revises: 0006_toolkit
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_search"
down_revision: str | None = "0006_toolkit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "kind UNINDEXED, record_id UNINDEXED, community_id UNINDEXED, title, body, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
        )
        return
    # unaccent lives in public so every schema (and test schema) can use it; the
    # wrapper is IMMUTABLE so it can be used in an index expression.
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
    op.execute(
        "CREATE FUNCTION cop_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
        "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$"
    )
    op.execute(
        "CREATE TABLE search_document ("
        "kind varchar(16) NOT NULL, record_id integer NOT NULL, community_id integer NOT NULL, "
        "title text NOT NULL, body text NOT NULL, "
        "document tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', cop_unaccent(title)), 'A') || "
        "setweight(to_tsvector('simple', cop_unaccent(body)), 'B')) STORED, "
        "CONSTRAINT pk_search_document PRIMARY KEY (kind, record_id))"
    )
    op.execute("CREATE INDEX ix_search_document_document ON search_document USING gin (document)")
    op.execute("CREATE INDEX ix_search_document_community ON search_document (community_id)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
        return
    op.execute("DROP TABLE search_document")
    op.execute("DROP FUNCTION cop_unaccent(text)")
