"""Searching the index: the user's words turned into a safe engine query, ranked, filtered to what the actor may read.

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
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session

from cop.communities.service import visible_community_ids
from cop.core.markdown import plain_line
from cop.core.permissions import Actor
from cop.core.validation import Checker
from cop.search.index import COMMUNITY_SHIFT, KINDS, community_rowids, table_of

MAX_QUERY_TERMS = 12
SNIPPET_CHARS = 160
CANDIDATES = 400  # SQLite ranks this many matches before reading and filtering them
RANGE_COMMUNITIES = (
    3  # on SQLite, a search in at most this many communities reads each one's rowids alone
)
# A hit's body can be a whole workshop's minutes: only the lines around its first match are
# read as Markdown for the snippet (this much source text before and after it).
SNIPPET_SOURCE_BEFORE = 400
SNIPPET_SOURCE_AFTER = 800


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: int
    community_id: int
    title: str
    snippet_html: str  # escaped text with <mark> around the matches
    rank: float


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


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )


def _first_match(text: str, words: set[str]) -> re.Match[str] | None:
    return next(
        (
            t
            for t in re.finditer(r"\w+", text)
            if any(_fold(t.group()).startswith(w) for w in words)
        ),
        None,
    )


def _source_window(text: str, words: set[str]) -> tuple[str, bool, bool]:
    """Whole blocks of the Markdown source around its first match; and whether text was cut before / after.

    The window starts after a blank line (a block's start), so a table or list read alone
    shows the same words; only a block longer than 2,000 characters is cut at a line.
    """
    if len(text) <= SNIPPET_SOURCE_BEFORE + SNIPPET_SOURCE_AFTER:
        return text, False, False
    first = _first_match(text, words)
    at = first.start() if first else 0
    limit = max(0, at - SNIPPET_SOURCE_BEFORE)
    blank = text.rfind("\n\n", max(0, limit - 2000), limit)
    begin = blank + 2 if blank >= 0 else text.rfind("\n", 0, limit) + 1
    end = text.find("\n", at + SNIPPET_SOURCE_AFTER)
    end = len(text) if end < 0 else end
    return text[begin:end], begin > 0, end < len(text)


def snippet(text: str, phrases: list[list[str]], width: int = SNIPPET_CHARS) -> str:
    """An escaped excerpt of the plain text around the first match, each matching word in <mark>.

    Indexed bodies are Markdown (minutes, summaries); a result shows their words, never
    "## Minutes" or table pipes.
    """
    words = {_fold(w) for words in phrases for w in words}
    source, cut_before, cut_after = _source_window(text, words)
    text = plain_line(source)
    first = _first_match(text, words)
    start = max(0, (first.start() if first else 0) - width // 3)
    end = min(len(text), start + width)
    excerpt = " ".join(text[start:end].split())
    out, last = [], 0
    for token in re.finditer(r"\w+", excerpt):
        if any(_fold(token.group()).startswith(w) for w in words):
            out.append(html.escape(excerpt[last : token.start()]))
            out.append(f"<mark>{html.escape(token.group())}</mark>")
            last = token.end()
    out.append(html.escape(excerpt[last:]))
    prefix = "…" if start > 0 or cut_before else ""
    suffix = "…" if end < len(text) or cut_after else ""
    return prefix + "".join(out) + suffix


def _review_filter(conn: Connection, actor: Actor) -> str:
    """Drafts stay inside their community: outsiders find only approved practices and standards,
    and chapter sections (drafts until approved) only members and facilitators find."""
    member_of = ", ".join(str(int(c)) for c in actor.roles) or "-1"
    writers = (
        ", ".join(str(int(c)) for c, r in actor.roles.items() if r in ("member", "facilitator"))
        or "-1"
    )
    clauses = [f"kind NOT IN ('practice', 'standard', 'section') OR community_id IN ({member_of})"]
    for kind in ("practice", "standard"):
        table = table_of(kind)
        if table is not None and "status" in table.c:
            clauses.append(
                f"(kind = '{kind}' AND record_id IN (SELECT id FROM {kind} WHERE status = 'approved'))"
            )
    sections = f"(kind <> 'section' OR community_id IN ({writers}))"
    return f" AND ({' OR '.join(clauses)}) AND {sections}"


def _fts5_best(
    conn: Connection,
    params: dict[str, Any],
    filters: str,
    limit: int,
    rowids: tuple[int, int] | None = None,
) -> list[Any]:
    """The ``limit`` best matches that pass ``filters``, best first, on SQLite.

    FTS5 finds matches by rowid alone; a filter on its other columns reads each match's
    row, which for a common word (100,000 matches) cost more than ranking them. So the
    best candidates are ranked first and only they are read and filtered; when the
    filters leave fewer than ``limit`` and more matches exist, eight times as many are
    taken, until every match was seen: the same hits, in the same order, as filtering all.
    ``rowids`` keeps to one community's range (cop.search.index.community_rowids): FTS5
    then reads only its matches, and bm25 still weighs words over the whole index, so a
    hit scores the same. Equal scores go by kind and record (the rowid without its
    community), whichever way the matches were read.
    """
    candidates = max(CANDIDATES, limit * 8)
    in_range = " AND rowid BETWEEN :first AND :last" if rowids else ""
    bounds = {"first": rowids[0], "last": rowids[1]} if rowids else {}
    tie = f"(rowid % {1 << COMMUNITY_SHIFT})"
    while True:
        sql = (
            f"WITH best AS (SELECT rowid AS id, {tie} AS tie, "
            "bm25(search_fts, 0, 0, 0, 8.0, 1.0) AS score "
            f"FROM search_fts WHERE search_fts MATCH :q{in_range} ORDER BY score, tie "
            "LIMIT :candidates) "
            "SELECT kind, record_id, community_id, title, body, best.score AS rank, best.tie "
            f"FROM best JOIN search_fts ON search_fts.rowid = best.id WHERE {filters} "
            "ORDER BY best.score, best.tie LIMIT :limit"
        )
        rows = list(
            conn.execute(sa.text(sql), {**params, **bounds, "candidates": candidates}).all()
        )
        if len(rows) >= limit:
            return rows
        matches = conn.execute(
            sa.text(
                "SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH :q"
                f"{in_range} LIMIT :candidates)"
            ),
            {"q": params["q"], **bounds, "candidates": candidates},
        ).scalar_one()
        if matches < candidates:
            return rows
        candidates *= 8


def _fts5_search(
    conn: Connection, params: dict[str, Any], readable: list[int], kind_filter: str, limit: int
) -> list[Any]:
    """The best hits in the ``readable`` communities: a few are searched one rowid range each and
    merged (the same hits in the same order as one search filtered to them); many at once."""
    if len(readable) > RANGE_COMMUNITIES:
        community_list = ", ".join(str(int(c)) for c in readable)
        return _fts5_best(conn, params, f"community_id IN ({community_list}){kind_filter}", limit)
    rows = [
        row
        for community_id in readable
        for row in _fts5_best(
            conn,
            params,
            f"community_id = {int(community_id)}{kind_filter}",
            limit,
            community_rowids(community_id),
        )
    ]
    return sorted(rows, key=lambda r: (r.rank, r.tie))[:limit]


def search(
    session: Session,
    actor: Actor,
    text: str,
    *,
    community_id: int | None = None,
    kinds: list[str] | None = None,
    limit: int = 50,
) -> list[Hit]:
    """Ranked results the actor may see, best first; a search over 200 characters is refused."""
    chk = Checker()
    text = chk.search("text", text)
    chk.raise_if_any()
    phrases = parse_query(text)
    if not phrases:
        return []
    readable = visible_community_ids(session, actor, include_archived=True)
    if community_id is not None:
        readable = [c for c in readable if c == community_id]
    if not readable:
        return []
    conn = session.connection()
    params: dict[str, Any] = {"limit": limit}
    kind_filter = "" if actor.is_admin else _review_filter(conn, actor)
    if kinds:
        allowed = [k for k in kinds if k in KINDS]
        kind_filter += (
            " AND kind IN (" + ", ".join(f"'{k}'" for k in allowed) + ")"
            if allowed
            else " AND 1 = 0"
        )
    if conn.dialect.name == "sqlite":
        params["q"] = _fts5_query(phrases)
        best = _fts5_search(conn, params, readable, kind_filter, limit)
        return [
            Hit(
                r.kind,
                int(r.record_id),
                int(r.community_id),
                r.title,
                snippet(r.body if (r.body or "").strip() else r.title, phrases),
                -float(r.rank),
            )
            for r in best
        ]
    params["q"] = _tsquery(phrases)
    community_list = ", ".join(str(int(c)) for c in readable)
    sql = (
        "SELECT kind, record_id, community_id, title, body, ts_rank_cd(document, query) AS rank "
        "FROM search_document, to_tsquery('simple', cop_unaccent(:q)) AS query "
        f"WHERE document @@ query AND community_id IN ({community_list}){kind_filter} "
        "ORDER BY rank DESC, record_id LIMIT :limit"
    )
    rows = conn.execute(sa.text(sql), params).all()
    return [
        Hit(
            r.kind,
            int(r.record_id),
            int(r.community_id),
            r.title,
            snippet(r.body if (r.body or "").strip() else r.title, phrases),
            float(r.rank),
        )
        for r in rows
    ]
