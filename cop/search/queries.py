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
from cop.search.index import (
    COMMUNITY_MASK,
    KIND_CODES,
    KINDS,
    RECORD_MASK,
    RECORD_SHIFT,
    kind_rowids,
    table_of,
)

MAX_QUERY_TERMS = 12
SNIPPET_CHARS = 160
# A hit's body can be a whole workshop's minutes: only the lines around its first match are
# read as Markdown for the snippet (this much source text before and after it).
SNIPPET_SOURCE_BEFORE = 200
SNIPPET_SOURCE_AFTER = 400


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: int
    community_id: int
    title: str
    snippet_html: str  # escaped text with <mark> around the matches
    rank: float  # 1.0: every word in the title; 0.5: elsewhere


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


def _fts5_in_title(query: str) -> str:
    """The FTS5 query matching only where every phrase is in the title."""
    return "{title} : (" + query + ")"


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


def _first_match(text: str, words: tuple[str, ...]) -> re.Match[str] | None:
    """The first word of ``text`` that begins with one of ``words`` (folded: case and accents)."""
    if text.isascii():  # folding is lower-casing: one regular expression finds it, in C
        ascii_words = tuple(w for w in words if w.isascii())  # no other can begin an ASCII word
        return _ascii_starts(ascii_words).search(text) if ascii_words else None
    return next((t for t in re.finditer(r"\w+", text) if _fold(t.group()).startswith(words)), None)


@lru_cache(maxsize=256)
def _ascii_starts(words: tuple[str, ...]) -> re.Pattern[str]:
    """A word's start followed by one of ``words`` (ASCII), in any case."""
    pattern = r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + ")"
    return re.compile(pattern, re.IGNORECASE | re.ASCII)


def _source_window(text: str, words: tuple[str, ...]) -> tuple[str, bool, bool]:
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
    words = tuple({_fold(w) for words in phrases for w in words})  # str.startswith takes a tuple
    source, cut_before, cut_after = _source_window(text, words)
    text = plain_line(source)
    first = _first_match(text, words)
    start = max(0, (first.start() if first else 0) - width // 3)
    end = min(len(text), start + width)
    excerpt = " ".join(text[start:end].split())
    out, last = [], 0
    for token in re.finditer(r"\w+", excerpt):
        if _fold(token.group()).startswith(words):
            out.append(html.escape(excerpt[last : token.start()]))
            out.append(f"<mark>{html.escape(token.group())}</mark>")
            last = token.end()
    out.append(html.escape(excerpt[last:]))
    prefix = "…" if start > 0 or cut_before else ""
    suffix = "…" if end < len(text) or cut_after else ""
    return prefix + "".join(out) + suffix


@dataclass(frozen=True)
class _Scope:
    """Where the actor finds a kind's records: every one in ``everything``, only approved ones in ``approved``."""

    kind: str
    everything: list[int]
    approved: list[int]

    def condition(self, community: str, record: str, flag: str | None = None) -> str:
        """SQL keeping to this scope; ``community`` and ``record`` are the expressions for an entry's ids.

        ``flag`` is the entry's own approved column (PostgreSQL, migration 0017): without it the
        approved records are looked up in the kind's table, 3,001 practices hashed per search.
        """
        clauses = []
        if self.everything:
            clauses.append(f"{community} IN ({_id_list(self.everything)})")
        if self.approved:
            approved = flag or f"{record} IN (SELECT id FROM {self.kind} WHERE status = 'approved')"
            clauses.append(f"({community} IN ({_id_list(self.approved)}) AND {approved})")
        return "(" + " OR ".join(clauses) + ")"

    def communities(self) -> str:
        """SQL keeping to the communities the scope reads, approved records or not."""
        return f"community_id IN ({_id_list(sorted({*self.everything, *self.approved}))})"


def _id_list(ids: list[int]) -> str:
    return ", ".join(str(int(i)) for i in ids)


def _scopes(actor: Actor, readable: list[int], kinds: list[str] | None) -> list[_Scope]:
    """Each kind's scope. Drafts stay inside their community: outsiders find only approved
    practices and standards, and chapter sections (drafts until approved) only members and
    facilitators find."""
    member_of = set(actor.roles)
    writers = {c for c, r in actor.roles.items() if r in ("member", "facilitator")}
    scopes = []
    for kind in KINDS:
        if kinds is not None and kind not in kinds:
            continue
        if actor.is_admin or kind in ("workshop", "action"):
            scope = _Scope(kind, readable, [])
        elif kind == "section":
            scope = _Scope(kind, [c for c in readable if c in writers], [])
        else:
            table = table_of(kind)
            reviewed = table is not None and "status" in table.c
            scope = _Scope(
                kind,
                [c for c in readable if c in member_of],
                [c for c in readable if c not in member_of] if reviewed else [],
            )
        if scope.everything or scope.approved:
            scopes.append(scope)
    return scopes


IN_TITLE, IN_TEXT = 0, 1  # how an entry matched: every phrase in its title, or not


def _fts5_search(
    conn: Connection, query: str, scopes: list[_Scope], limit: int
) -> dict[str, list[tuple[int, int]]]:
    """Each kind's best ``limit`` entries as (how it matched, rowid), on SQLite.

    Ranking by bm25 read every match's size, one row at a time, and counted the whole
    index's matches again for each query: 45 ms for a common word across communities.
    Here FTS5 reads each kind's rowid range backwards (newest first, see
    cop.search.index.index_rowid) and stops after ``limit``: first the title matches,
    then the others. The scope is kept to from the rowid alone.
    """
    community = f"(rowid & {COMMUNITY_MASK})"
    record = f"((rowid >> {RECORD_SHIFT}) & {RECORD_MASK})"
    found: dict[str, list[tuple[int, int]]] = {}
    for scope in scopes:
        first, last = kind_rowids(scope.kind)
        sql = sa.text(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH :q "
            f"AND rowid BETWEEN :first AND :last AND {scope.condition(community, record)} "
            "ORDER BY rowid DESC LIMIT :limit"
        )

        def newest(match: str, since: int, sql: Any = sql, last: int = last) -> list[int]:
            rows = conn.execute(sql, {"q": match, "first": since, "last": last, "limit": limit})
            return [int(rowid) for (rowid,) in rows]

        matches = newest(query, first)
        if not matches:
            continue
        # Fewer than ``limit`` matches: they are all, and so are the title matches among them.
        # Otherwise the newest title matches, then the newest of the others (all in matches:
        # it holds at least as many others as the title matches leave room for).
        in_title = newest(_fts5_in_title(query), first if len(matches) == limit else matches[-1])
        titled = set(in_title)
        found[scope.kind] = [(IN_TITLE, r) for r in in_title] + [
            (IN_TEXT, r) for r in matches if r not in titled
        ][: limit - len(in_title)]
    return found


def _fts5_entries(conn: Connection, rowids: list[int]) -> dict[int, Any]:
    """The entries at ``rowids``, read by rowid (the shown ones only: reading a row is what costs)."""
    if not rowids:
        return {}
    rows = conn.execute(
        sa.text(
            "SELECT rowid AS id, kind, record_id, community_id, title, body FROM search_fts "
            f"WHERE rowid IN ({_id_list(rowids)})"
        )
    )
    return {int(r.id): r for r in rows}


# PostgreSQL: each kind's newest records read to find a common word's newest matches. A rarer
# word's are looked up in GIN, at a cost that grows with their number (2.5 µs a match: 9 ms for
# the 3,600 actions titled "ref..."). The window that keeps both small grows as the square
# root of the kind's size (about sqrt(50 x records)): actions are many and small, practices
# few and long (800 read them in 3.4 ms), workshops in between, with long minutes.
RECENT = {"action": 2400, "practice": 200, "standard": 200}
RECENT_OTHERWISE = 800


def _recent(kind: str) -> int:
    """How many of the kind's newest records a search reads before looking in GIN."""
    return RECENT.get(kind, RECENT_OTHERWISE)


def _pg_matches(
    conn: Connection,
    lists: dict[str, dict[str, list[int]]],
    tier: str,
    scopes: list[_Scope],
    condition: str,
    params: dict[str, Any],
) -> None:
    """Replace each of ``scopes``' ``tier`` with its newest matches of ``condition``, from GIN.

    Sorted by ``record_id + 0``, not by the primary key's order: PostgreSQL's estimates come
    from the whole table, so a word common in one kind and absent from another would send it
    backwards along the key through every row of the other (100,000 actions, 40 ms). Turning
    index scans off for this statement cost two more round trips per search.
    """
    rare = " UNION ALL ".join(
        f"(SELECT '{scope.kind}' AS kind, record_id FROM search_document "
        f"WHERE kind = '{scope.kind}' AND {condition} "
        f"AND {scope.condition('community_id', 'record_id', 'approved')} "
        "ORDER BY record_id + 0 DESC LIMIT :limit)"
        for scope in scopes
    )
    for scope in scopes:
        lists[scope.kind][tier] = []
    for row in conn.execute(sa.text(rare), params):
        lists[row.kind][tier].append(int(row.record_id))


def _postgres_search(
    conn: Connection, phrases: list[list[str]], scopes: list[_Scope], limit: int
) -> dict[str, list[tuple[int, Any]]]:
    """Each kind's best ``limit`` entries as (how it matched, (kind, record id)), on PostgreSQL.

    Ranking every match of a common word read 70,000 rows. Here the ``_recent`` newest
    records of each kind (backwards along the primary key) give a common word's newest
    title and other matches at once. Only when they hold too few is the rest looked up in
    the kind's own GIN indexes (migration 0016); then the word is rare in that kind, so
    there are few matches to sort.
    """
    # to_tsquery is only stable: written in each condition it would be computed for every row
    query = "(SELECT to_tsquery('simple', cop_unaccent(:q)))"
    matches = f"document @@ {query}"
    in_title = f"title_document @@ {query}"
    params = {"q": _tsquery(phrases), "limit": limit}
    recent = " UNION ALL ".join(
        f"(SELECT '{scope.kind}' AS kind, count(*) AS seen, "
        "(array_agg(record_id ORDER BY record_id DESC) FILTER (WHERE matched AND titled))"
        "[1:(:limit)] AS titled, "
        "(array_agg(record_id ORDER BY record_id DESC) FILTER (WHERE matched AND NOT titled))"
        "[1:(:limit)] AS others "
        f"FROM (SELECT record_id, {scope.condition('community_id', 'record_id', 'approved')} "
        f"AND {matches} AS matched, {in_title} AS titled FROM (SELECT * FROM search_document "
        f"WHERE kind = '{scope.kind}' AND {scope.communities()} "
        f"ORDER BY record_id DESC LIMIT {_recent(scope.kind)}) AS newest) AS read)"
        for scope in scopes
    )
    seen = {row.kind: row for row in conn.execute(sa.text(recent), params)}
    lists: dict[str, dict[str, list[int]]] = {}
    read_all: set[str] = set()
    for scope in scopes:
        row = seen[scope.kind]
        lists[scope.kind] = {"titled": list(row.titled or []), "others": list(row.others or [])}
        if row.seen < _recent(scope.kind):  # every record of the kind in its communities was read
            read_all.add(scope.kind)

    # Title matches first: when they fill the page, the kind's other matches (every title
    # match is one of them: 7,000 actions for "guide") need not be read at all.
    def short(tier: str) -> list[_Scope]:
        """The scopes whose newest records held too few of ``tier``'s matches for the page."""
        wanted = {
            kind: limit if tier == "titled" else limit - len(tiers["titled"])
            for kind, tiers in lists.items()
        }
        return [
            s
            for s in scopes
            if s.kind not in read_all and len(lists[s.kind][tier]) < wanted[s.kind]
        ]

    titled, others = short("titled"), short("others")
    if titled:
        _pg_matches(conn, lists, "titled", titled, in_title, params)
        others = short("others")
    if others:
        _pg_matches(conn, lists, "others", others, f"{matches} AND NOT {in_title}", params)
    found: dict[str, list[tuple[int, Any]]] = {}
    for kind, tiers in lists.items():
        hits = [(IN_TITLE, (kind, r)) for r in tiers["titled"]]
        hits += [(IN_TEXT, (kind, r)) for r in tiers["others"]]
        if hits:
            found[kind] = hits[:limit]
    return found


def _postgres_entries(conn: Connection, keys: list[tuple[str, int]]) -> dict[tuple[str, int], Any]:
    """The shown entries' text, by primary key."""
    if not keys:
        return {}
    pairs = ", ".join(f"('{kind}', {int(record_id)})" for kind, record_id in keys)
    rows = conn.execute(
        sa.text(
            "SELECT kind, record_id, community_id, title, body FROM search_document "
            f"WHERE (kind, record_id) IN ({pairs})"
        )
    )
    return {(r.kind, int(r.record_id)): r for r in rows}


def _in_turn(found: dict[str, list[tuple[int, Any]]], limit: int) -> list[tuple[int, Any]]:
    """Every kind's hits taken in turn (each kind's best, then each one's second...): the first ``limit``.

    Kinds are shown in groups: a common word's workshops must not crowd its actions out of
    the page. Asking for more keeps the first ones in their places ("Show more").
    """
    order = [
        (position, KIND_CODES[kind], tier, item)
        for kind, hits in found.items()
        for position, (tier, item) in enumerate(hits)
    ]
    order.sort(key=lambda o: o[:2])
    return [(tier, item) for _position, _code, tier, item in order[:limit]]


def search(
    session: Session,
    actor: Actor,
    text: str,
    *,
    community_id: int | None = None,
    kinds: list[str] | None = None,
    limit: int = 50,
) -> list[Hit]:
    """Ranked results the actor may see, best first; a search over 200 characters is refused.

    Within each kind, records with every word in the title come first, then the others,
    each newest first; the kinds take turns, so each group on the page gets its share. The
    engines' relevance scores are not used: computing them for every match of a common
    word cost 45 ms on SQLite and over 100 ms on PostgreSQL in the large workspace, and
    stopping after the newest matches keeps a search within 20 ms whatever the words.
    """
    chk = Checker()
    text = chk.search("text", text)
    chk.raise_if_any()
    phrases = parse_query(text)
    if not phrases:
        return []
    readable = visible_community_ids(session, actor, include_archived=True)
    if community_id is not None:
        readable = [c for c in readable if c == community_id]
    scopes = _scopes(actor, readable, kinds or None)
    if not scopes:
        return []
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        best = _in_turn(_fts5_search(conn, _fts5_query(phrases), scopes, limit), limit)
        entries = _fts5_entries(conn, [rowid for _tier, rowid in best])
        found = [(entries[rowid], tier) for tier, rowid in best if rowid in entries]
    else:
        shown = _in_turn(_postgres_search(conn, phrases, scopes, limit), limit)
        texts = _postgres_entries(conn, [(kind, record_id) for _tier, (kind, record_id) in shown])
        found = [(texts[key], tier) for tier, key in shown if key in texts]
    return [
        Hit(
            r.kind,
            int(r.record_id),
            int(r.community_id),
            r.title,
            snippet(r.body if (r.body or "").strip() else r.title, phrases),
            1.0 if tier == IN_TITLE else 0.5,
        )
        for r, tier in found
    ]
