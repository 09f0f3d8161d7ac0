"""The search index over workshops, actions, practices, standards and chapter sections.

The index is kept in step inside each write transaction: ``keep_index_in_step``
runs after every flush (cop.registry hands it to cop.core.db.on_every_flush)
and re-indexes the records the flush touched (a child such as an outcome
re-indexes its workshop), so no service has to remember to do it and a
rolled-back write leaves the index as it was. Soft-deleted records leave the
index; restoring them puts them back.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel

# kind -> (table, title column, body columns); ``check_kinds`` refuses at start-up a table or
# column that does not exist, so a renamed column cannot silently drop out of the index.
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "workshop": ("workshop", "title", ("objectives", "minutes", "closing_report", "place")),
    "action": ("action", "title", ("objective",)),
    "practice": (
        "practice",
        "title",
        (
            "summary",
            "challenge",
            "goals",
            "how_it_works",
            "results",
            "evaluation",
            "beneficiaries",
            "funding",
            "continuation_funding",
            "transfer_needs",
            "volunteers_role",
        ),
    ),
    "standard": (
        "standard",
        "title",
        ("statement", "success_factors", "guiding_questions", "indicators"),
    ),
    "section": ("section", "title", ("body",)),
}
# Child tables whose text belongs to a parent's document: table -> (kind, parent id column, text column).
CHILDREN: dict[str, tuple[str, str, str]] = {
    "outcome": ("workshop", "workshop_id", "text"),
    "agenda_item": ("workshop", "workshop_id", "title"),
    "action_update": ("action", "action_id", "text"),
}
# On SQLite an FTS5 row is found fast only by its rowid (UNINDEXED columns are read from the
# content table, row by row), and FTS5 reads a rowid range alone, in either order. So a
# record's entry lives at a rowid computed from its kind, id and community (migration 0016):
# the kind in the high bits puts each kind's entries in one range, the record id next orders
# them oldest to newest (a search ranks each kind's newest matches, read backwards from the
# range's end), and the community in the low bits lets a search keep to the communities the
# reader may see without reading a row.
KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}
KIND_SHIFT = 48
RECORD_SHIFT = 16
COMMUNITY_MASK = (1 << RECORD_SHIFT) - 1  # community ids below 65,536
RECORD_MASK = (1 << (KIND_SHIFT - RECORD_SHIFT)) - 1  # record ids below 2**32


def _key_for(obj: Any) -> tuple[str, int] | None:
    table = getattr(obj, "__tablename__", None)
    if table in KINDS and getattr(obj, "id", None) is not None:
        return table, obj.id  # kind names equal table names
    if table in CHILDREN:
        kind, parent_column, _text = CHILDREN[table]
        parent_id = getattr(obj, parent_column, None)
        if parent_id is not None:
            return kind, parent_id
    return None


def table_of(name: str) -> sa.Table | None:
    return SQLModel.metadata.tables.get(name)


APPROVED = "approved"  # the review status outsiders may read (cop.practices.models.ReviewStatus)


def _approved(table: sa.Table) -> Any:
    """Whether a row is approved, for the PostgreSQL entry's flag; false for kinds with no review."""
    if "status" in table.c:
        return sa.func.coalesce(table.c.status == APPROVED, False)
    return sa.false()


def _document(conn: Connection, kind: str, record_id: int) -> tuple[int, str, str, bool] | None:
    """(community_id, title, body, approved) of a live record, or None when it is gone or deleted."""
    table = table_of(KINDS[kind][0])
    if table is None:
        return None
    _name, title_col, body_cols = KINDS[kind]
    columns = list(body_cols)
    if "community_id" in table.c:
        community = table.c.community_id
        stmt = sa.select(
            community, table.c[title_col], _approved(table), *[table.c[c] for c in columns]
        )
    else:  # a section belongs to a chapter, which belongs to a community
        chapter = table_of("chapter")
        if chapter is None:
            return None
        stmt = sa.select(
            chapter.c.community_id,
            table.c[title_col],
            _approved(table),
            *[table.c[c] for c in columns],
        ).join(chapter, chapter.c.id == table.c.chapter_id)
    stmt = stmt.where(table.c.id == record_id)
    if "deleted_at" in table.c:
        stmt = stmt.where(table.c.deleted_at.is_(None))
    row = conn.execute(stmt).first()
    if row is None:
        return None
    # The same layout as the set-based ``_document_select``, so both build identical bodies.
    parts = ["" if v is None else str(v) for v in row[3:]]
    for child_table, (child_kind, parent_column, text_column) in CHILDREN.items():
        child = table_of(child_table)
        if child_kind != kind or child is None:
            continue
        child_stmt = sa.select(child.c[text_column]).where(child.c[parent_column] == record_id)
        if "deleted_at" in child.c:
            child_stmt = child_stmt.where(child.c.deleted_at.is_(None))
        parts.append(
            "\n".join(
                str(v) for (v,) in conn.execute(child_stmt.order_by(child.c.id)) if v is not None
            )
        )
    return int(row[0]), str(row[1] or ""), "\n".join(parts), bool(row[2])


def _index_table(conn: Connection) -> str:
    return "search_fts" if conn.dialect.name == "sqlite" else "search_document"


def index_rowid(kind: str, record_id: int, community_id: int) -> int:
    """The SQLite rowid of a record's entry; refuses ids the layout has no room for (they would collide)."""
    if not (0 <= int(community_id) <= COMMUNITY_MASK and 0 <= int(record_id) <= RECORD_MASK):
        raise ValueError(f"No room in the search index for {kind} {record_id} of {community_id}")
    return (KIND_CODES[kind] << KIND_SHIFT) + (int(record_id) << RECORD_SHIFT) + int(community_id)


def kind_rowids(kind: str) -> tuple[int, int]:
    """The first and last rowid a kind's entries can have (on SQLite)."""
    first = KIND_CODES[kind] << KIND_SHIFT
    return first, first + (1 << KIND_SHIFT) - 1


def _community_of(conn: Connection, kind: str, record_id: int) -> int | None:
    """The community of a record, deleted or not; None when its row is gone."""
    table = table_of(KINDS[kind][0])
    if table is None:
        return None
    if "community_id" in table.c:
        stmt = sa.select(table.c.community_id)
    else:
        chapter = table_of("chapter")
        if chapter is None:
            return None
        stmt = sa.select(chapter.c.community_id).join(chapter, chapter.c.id == table.c.chapter_id)
    found = conn.execute(stmt.where(table.c.id == record_id)).scalar_one_or_none()
    return None if found is None else int(found)


def _delete_entry(conn: Connection, kind: str, record_id: int, communities: set[int]) -> None:
    """Remove a record's SQLite entry, found by rowid in each community it may be filed under."""
    current = _community_of(conn, kind, record_id)
    if current is None:  # the row is gone: look the entry up by its columns (a full scan, rare)
        conn.execute(
            sa.text("DELETE FROM search_fts WHERE kind = :k AND record_id = :r"),
            {"k": kind, "r": record_id},
        )
        return
    for community_id in sorted({current, *communities}):
        conn.execute(
            sa.text("DELETE FROM search_fts WHERE rowid = :id"),
            {"id": index_rowid(kind, record_id, community_id)},
        )


def reindex_records(
    conn: Connection,
    keys: set[tuple[str, int]],
    former_communities: dict[tuple[str, int], set[int]] | None = None,
) -> None:
    """Replace the index entries of ``keys`` with their current documents.

    ``former_communities`` names the communities a record was in before this write, if it
    moved (its old SQLite entry is filed under the old community's rowid).
    """
    sqlite = conn.dialect.name == "sqlite"
    for kind, record_id in sorted(keys):
        if sqlite:
            _delete_entry(
                conn, kind, record_id, (former_communities or {}).get((kind, record_id), set())
            )
        else:
            conn.execute(
                sa.text("DELETE FROM search_document WHERE kind = :k AND record_id = :r"),
                {"k": kind, "r": record_id},
            )
        document = _document(conn, kind, record_id)
        if document is None:
            continue
        community_id, title, body, approved = document
        values = {
            "id": index_rowid(kind, record_id, community_id),
            "k": kind,
            "r": record_id,
            "c": community_id,
            "t": title,
            "b": body,
            "a": approved,
        }
        if sqlite:
            conn.execute(
                sa.text(
                    "INSERT INTO search_fts (rowid, kind, record_id, community_id, title, body) VALUES (:id, :k, :r, :c, :t, :b)"
                ),
                values,
            )
        else:
            conn.execute(
                sa.text(
                    "INSERT INTO search_document (kind, record_id, community_id, title, body, approved) "
                    "VALUES (:k, :r, :c, :t, :b, :a)"
                ),
                values,
            )


def keep_index_in_step(session: Session) -> None:
    """Re-index what this flush touched, inside the same transaction."""
    keys = {
        key for obj in (*session.new, *session.dirty, *session.deleted) if (key := _key_for(obj))
    }
    former: dict[tuple[str, int], set[int]] = {}
    for obj in session.dirty:  # a record moved to another community: its old entry goes too
        key = _key_for(obj)
        if key and key[0] == getattr(obj, "__tablename__", None) and hasattr(obj, "community_id"):
            before = sa.inspect(obj).attrs.community_id.history.deleted
            former[key] = {int(c) for c in before if c is not None}
    if keys:
        reindex_records(session.connection(), keys, former)


def _document_select(conn: Connection, kind: str) -> sa.Select | None:
    """One set-based SELECT of every live document of ``kind`` (what ``_document`` builds one at a time)."""
    table_name, title_col, body_cols = KINDS[kind]
    table = table_of(table_name)
    if table is None:
        return None
    newline = sa.literal("\n")
    parts: list[Any] = [sa.func.coalesce(table.c[c], "") for c in body_cols]
    for child_table, (child_kind, parent_column, text_column) in CHILDREN.items():
        child = table_of(child_table)
        if child_kind != kind or child is None:
            continue
        if conn.dialect.name == "sqlite":
            aggregate = sa.func.group_concat(child.c[text_column], "\n")
        else:
            aggregate = sa.func.string_agg(child.c[text_column], "\n")
        inner = sa.select(aggregate).where(child.c[parent_column] == table.c.id)
        if "deleted_at" in child.c:
            inner = inner.where(child.c.deleted_at.is_(None))
        parts.append(sa.func.coalesce(inner.scalar_subquery(), ""))
    body: Any = sa.literal("")
    for i, part in enumerate(parts):
        body = part if i == 0 else body + newline + part
    if "community_id" in table.c:
        stmt = sa.select(
            sa.literal(kind),
            table.c.id,
            table.c.community_id,
            sa.func.coalesce(table.c[title_col], ""),
            body,
        )
    else:
        chapter = table_of("chapter")
        if chapter is None:
            return None
        stmt = sa.select(
            sa.literal(kind),
            table.c.id,
            chapter.c.community_id,
            sa.func.coalesce(table.c[title_col], ""),
            body,
        ).join(chapter, chapter.c.id == table.c.chapter_id)
    if "deleted_at" in table.c:
        stmt = stmt.where(table.c.deleted_at.is_(None))
    if conn.dialect.name != "sqlite":  # PostgreSQL entries carry the flag (migration 0017)
        stmt = stmt.add_columns(_approved(table))
    return stmt


def reindex_all(conn: Connection) -> int:
    """Rebuild the whole index (after a bulk seed or a restore) set-based; returns documents indexed."""
    name = _index_table(conn)
    columns = ["kind", "record_id", "community_id", "title", "body"]
    if name == "search_fts":
        columns = ["rowid", *columns]
    else:
        columns.append("approved")
    index = sa.table(name, *(sa.column(c) for c in columns))
    conn.execute(sa.delete(index))
    for kind in KINDS:
        stmt = _document_select(conn, kind)
        if stmt is None:
            continue
        if name == "search_fts":
            record_id, community_id = stmt.selected_columns[1], stmt.selected_columns[2]
            stmt = stmt.with_only_columns(
                (KIND_CODES[kind] << KIND_SHIFT) + record_id * (1 << RECORD_SHIFT) + community_id,
                *stmt.selected_columns,
                maintain_column_froms=True,
            )
        conn.execute(sa.insert(index).from_select(columns, stmt))
    if name == "search_document":  # fresh statistics after a bulk load, or the planner guesses
        # each kind's share and how many practices are approved. The index alone: a bare ANALYZE
        # reads every table of every schema in the database (and deadlocked two test schemas).
        conn.execute(sa.text("ANALYZE search_document"))
    return int(conn.execute(sa.select(sa.func.count()).select_from(index)).scalar_one())


def check_kinds() -> None:
    """Refuse to start when a kind names a table or column the models do not have."""
    problems = []
    for kind, (table_name, title_col, body_cols) in KINDS.items():
        table = table_of(table_name)
        if table is None:
            problems.append(f"{kind}: no table {table_name!r}")
            continue
        problems += [
            f"{kind}: no column {table_name}.{c}"
            for c in (title_col, *body_cols)
            if c not in table.c
        ]
    for child_table, (kind, parent_column, text_column) in CHILDREN.items():
        table = table_of(child_table)
        if table is None or kind not in KINDS:
            problems.append(f"{child_table}: no table, or unknown kind {kind!r}")
            continue
        problems += [
            f"{child_table}: no column {c}"
            for c in (parent_column, text_column)
            if c not in table.c
        ]
    if problems:
        raise RuntimeError("The search index names what does not exist: " + "; ".join(problems))
