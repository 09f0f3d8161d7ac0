"""Search across workshops, actions, practices, standards and chapter sections.

The index is kept in step inside each write transaction: an ``after_flush``
hook on every Session re-indexes the records a flush touched (a child such as
an outcome re-indexes its workshop), so no service has to remember to do it
and a rolled-back write leaves the index as it was. Soft-deleted records
leave the index; restoring them puts them back.

User input never reaches the engine's query syntax: it is split into words
and quoted phrases here, each word reduced to letters and digits, and the
query rebuilt from those pieces (FTS5 string literals on SQLite, a tsquery
passed as a bound value on PostgreSQL). Results are filtered to the
communities the actor may read, in SQL.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel

from cop.permissions import Actor
from cop.services.communities import visible_communities

# kind -> (table, title column, body columns); a body column missing from the
# table (a capability not installed yet) is simply skipped.
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "workshop": ("workshop", "title", ("objectives", "minutes", "closing_report", "place")),
    "action": ("action", "title", ("objective", "description")),
    "practice": ("practice", "title", (
        "summary", "challenge", "goals", "how_it_works", "results", "evaluation", "beneficiaries",
        "funding", "continuation_funding", "transfer_needs", "volunteers_role",
    )),
    "standard": ("standard", "title", ("statement", "success_factors", "guiding_questions", "indicators")),
    "section": ("section", "title", ("body",)),
}
# Child tables whose text belongs to a parent's document: table -> (kind, parent id column, text column).
CHILDREN: dict[str, tuple[str, str, str]] = {
    "outcome": ("workshop", "workshop_id", "text"),
    "agenda_item": ("workshop", "workshop_id", "title"),
    "action_update": ("action", "action_id", "text"),
}
# On SQLite an FTS5 row is found fast only by its rowid (UNINDEXED columns are scanned), so a
# record's entry lives at a rowid computed from its kind and id.
KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}
ROWID_STRIDE = 8
MAX_QUERY_TERMS = 12
SNIPPET_CHARS = 160


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: int
    community_id: int
    title: str
    snippet_html: str  # escaped text with <mark> around the matches
    rank: float


# --- keeping the index in step ------------------------------------------------


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


def _table(name: str) -> sa.Table | None:
    return SQLModel.metadata.tables.get(name)


def _document(conn: Connection, kind: str, record_id: int) -> tuple[int, str, str] | None:
    """(community_id, title, body) of a live record, or None when it is gone or deleted."""
    table = _table(KINDS[kind][0])
    if table is None:
        return None
    _name, title_col, body_cols = KINDS[kind]
    columns = [c for c in body_cols if c in table.c]
    if "community_id" in table.c:
        community = table.c.community_id
        stmt = sa.select(community, table.c[title_col], *[table.c[c] for c in columns])
    else:  # a section belongs to a chapter, which belongs to a community
        chapter = _table("chapter")
        if chapter is None:
            return None
        stmt = sa.select(chapter.c.community_id, table.c[title_col], *[table.c[c] for c in columns]).join(
            chapter, chapter.c.id == table.c.chapter_id
        )
    stmt = stmt.where(table.c.id == record_id)
    if "deleted_at" in table.c:
        stmt = stmt.where(table.c.deleted_at.is_(None))
    row = conn.execute(stmt).first()
    if row is None:
        return None
    # The same layout as the set-based ``_document_select``, so both build identical bodies.
    parts = ["" if v is None else str(v) for v in row[2:]]
    for child_table, (child_kind, parent_column, text_column) in CHILDREN.items():
        child = _table(child_table)
        if child_kind != kind or child is None:
            continue
        child_stmt = sa.select(child.c[text_column]).where(child.c[parent_column] == record_id)
        if "deleted_at" in child.c:
            child_stmt = child_stmt.where(child.c.deleted_at.is_(None))
        parts.append("\n".join(str(v) for (v,) in conn.execute(child_stmt.order_by(child.c.id)) if v is not None))
    return int(row[0]), str(row[1] or ""), "\n".join(parts)


def _index_table(conn: Connection) -> str:
    return "search_fts" if conn.dialect.name == "sqlite" else "search_document"


def index_rowid(kind: str, record_id: int) -> int:
    return int(record_id) * ROWID_STRIDE + KIND_CODES[kind]


def reindex_records(conn: Connection, keys: set[tuple[str, int]]) -> None:
    """Replace the index entries of ``keys`` with their current documents."""
    sqlite = conn.dialect.name == "sqlite"
    for kind, record_id in sorted(keys):
        if sqlite:
            conn.execute(sa.text("DELETE FROM search_fts WHERE rowid = :id"), {"id": index_rowid(kind, record_id)})
        else:
            conn.execute(
                sa.text("DELETE FROM search_document WHERE kind = :k AND record_id = :r"), {"k": kind, "r": record_id}
            )
        document = _document(conn, kind, record_id)
        if document is None:
            continue
        community_id, title, body = document
        values = {"id": index_rowid(kind, record_id), "k": kind, "r": record_id, "c": community_id, "t": title, "b": body}
        if sqlite:
            conn.execute(
                sa.text("INSERT INTO search_fts (rowid, kind, record_id, community_id, title, body) VALUES (:id, :k, :r, :c, :t, :b)"),
                values,
            )
        else:
            conn.execute(
                sa.text("INSERT INTO search_document (kind, record_id, community_id, title, body) VALUES (:k, :r, :c, :t, :b)"),
                values,
            )


@event.listens_for(Session, "after_flush")
def _keep_index_in_step(session: Session, _context: Any) -> None:
    keys = {key for obj in (*session.new, *session.dirty, *session.deleted) if (key := _key_for(obj))}
    if keys:
        reindex_records(session.connection(), keys)


def _document_select(conn: Connection, kind: str) -> sa.Select | None:
    """One set-based SELECT of every live document of ``kind`` (what ``_document`` builds one at a time)."""
    table_name, title_col, body_cols = KINDS[kind]
    table = _table(table_name)
    if table is None:
        return None
    newline = sa.literal("\n")
    parts: list[Any] = [sa.func.coalesce(table.c[c], "") for c in body_cols if c in table.c]
    for child_table, (child_kind, parent_column, text_column) in CHILDREN.items():
        child = _table(child_table)
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
        stmt = sa.select(sa.literal(kind), table.c.id, table.c.community_id, sa.func.coalesce(table.c[title_col], ""), body)
    else:
        chapter = _table("chapter")
        if chapter is None:
            return None
        stmt = sa.select(sa.literal(kind), table.c.id, chapter.c.community_id, sa.func.coalesce(table.c[title_col], ""), body).join(
            chapter, chapter.c.id == table.c.chapter_id
        )
    if "deleted_at" in table.c:
        stmt = stmt.where(table.c.deleted_at.is_(None))
    return stmt


def reindex_all(conn: Connection) -> int:
    """Rebuild the whole index (after a bulk seed or a restore) set-based; returns documents indexed."""
    name = _index_table(conn)
    columns = ["kind", "record_id", "community_id", "title", "body"]
    if name == "search_fts":
        columns = ["rowid", *columns]
    index = sa.table(name, *(sa.column(c) for c in columns))
    conn.execute(sa.delete(index))
    for kind in KINDS:
        stmt = _document_select(conn, kind)
        if stmt is None:
            continue
        if name == "search_fts":
            record_id = stmt.selected_columns[1]
            stmt = stmt.with_only_columns(
                record_id * ROWID_STRIDE + KIND_CODES[kind], *stmt.selected_columns, maintain_column_froms=True
            )
        conn.execute(sa.insert(index).from_select(columns, stmt))
    return int(conn.execute(sa.select(sa.func.count()).select_from(index)).scalar_one())


# --- querying -------------------------------------------------------------------

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def parse_query(text: str) -> list[list[str]]:
    """Split user input into phrases (lists of words); single words are one-word phrases.

    Only letters, digits and underscores survive, so no operator, quote,
    bracket, asterisk or column filter of either engine can be typed in.
    """
    phrases: list[list[str]] = []
    for phrase, word in _TOKEN.findall(text or ""):
        words = _WORD.findall(phrase if phrase else word)
        if phrase and words:
            phrases.append(words)
        else:
            phrases.extend([w] for w in words)
    return phrases[:MAX_QUERY_TERMS]


def _fts5_query(phrases: list[list[str]]) -> str:
    parts = []
    for words in phrases:
        quoted = '"' + " ".join(words) + '"'
        parts.append(quoted + ("*" if len(words) == 1 else ""))
    return " AND ".join(parts)


def _tsquery(phrases: list[list[str]]) -> str:
    parts = []
    for words in phrases:
        clean = [w.replace("'", "") for w in words]
        if len(clean) == 1:
            parts.append(f"'{clean[0]}':*")
        else:
            parts.append("(" + " <-> ".join(f"'{w}'" for w in clean) + ")")
    return " & ".join(parts)


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def snippet(text: str, phrases: list[list[str]], width: int = SNIPPET_CHARS) -> str:
    """An escaped excerpt around the first match, with each matching word in <mark>."""
    words = {_fold(w) for words in phrases for w in words}
    tokens = list(re.finditer(r"\w+", text))
    first = next((t for t in tokens if any(_fold(t.group()).startswith(w) for w in words)), None)
    start = max(0, (first.start() if first else 0) - width // 3)
    end = min(len(text), start + width)
    excerpt = " ".join(text[start:end].split())
    out, last = [], 0
    for token in re.finditer(r"\w+", excerpt):
        if any(_fold(token.group()).startswith(w) for w in words):
            out.append(html.escape(excerpt[last:token.start()]))
            out.append(f"<mark>{html.escape(token.group())}</mark>")
            last = token.end()
    out.append(html.escape(excerpt[last:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out) + suffix


def _review_filter(conn: Connection, actor: Actor) -> str:
    """Drafts stay inside their community: outsiders find only approved practices and standards,
    and chapter sections (drafts until approved) only members and facilitators find."""
    member_of = ", ".join(str(int(c)) for c in actor.roles) or "-1"
    writers = ", ".join(str(int(c)) for c, r in actor.roles.items() if r in ("member", "facilitator")) or "-1"
    clauses = [f"kind NOT IN ('practice', 'standard', 'section') OR community_id IN ({member_of})"]
    for kind in ("practice", "standard"):
        if _table(kind) is not None and "status" in _table(kind).c:  # type: ignore[union-attr]
            clauses.append(f"(kind = '{kind}' AND record_id IN (SELECT id FROM {kind} WHERE status = 'approved'))")
    sections = f"(kind <> 'section' OR community_id IN ({writers}))"
    return f" AND ({' OR '.join(clauses)}) AND {sections}"


def search(
    session: Session, actor: Actor, text: str, *, community_id: int | None = None,
    kinds: list[str] | None = None, limit: int = 50,
) -> list[Hit]:
    """Ranked results the actor may see, best first."""
    phrases = parse_query(text)
    if not phrases:
        return []
    readable = [c.id for c in visible_communities(session, actor, include_archived=True)]
    if community_id is not None:
        readable = [c for c in readable if c == community_id]
    if not readable:
        return []
    conn = session.connection()
    params: dict[str, Any] = {"limit": limit}
    community_list = ", ".join(str(int(c)) for c in readable)
    kind_filter = "" if actor.is_admin else _review_filter(conn, actor)
    if kinds:
        allowed = [k for k in kinds if k in KINDS]
        kind_filter += " AND kind IN (" + ", ".join(f"'{k}'" for k in allowed) + ")" if allowed else " AND 1 = 0"
    if conn.dialect.name == "sqlite":
        params["q"] = _fts5_query(phrases)
        sql = (
            "SELECT kind, record_id, community_id, title, body, bm25(search_fts, 0, 0, 0, 8.0, 1.0) AS rank "
            f"FROM search_fts WHERE search_fts MATCH :q AND community_id IN ({community_list}){kind_filter} "
            "ORDER BY rank LIMIT :limit"
        )
        rows = conn.execute(sa.text(sql), params).all()
        return [Hit(r.kind, int(r.record_id), int(r.community_id), r.title, snippet(r.body if (r.body or "").strip() else r.title, phrases), -float(r.rank)) for r in rows]
    params["q"] = _tsquery(phrases)
    sql = (
        "SELECT kind, record_id, community_id, title, body, ts_rank_cd(document, query) AS rank "
        "FROM search_document, to_tsquery('simple', cop_unaccent(:q)) AS query "
        f"WHERE document @@ query AND community_id IN ({community_list}){kind_filter} "
        "ORDER BY rank DESC, record_id LIMIT :limit"
    )
    rows = conn.execute(sa.text(sql), params).all()
    return [Hit(r.kind, int(r.record_id), int(r.community_id), r.title, snippet(r.body if (r.body or "").strip() else r.title, phrases), float(r.rank)) for r in rows]
