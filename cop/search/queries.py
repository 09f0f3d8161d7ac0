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
from collections.abc import Iterator
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
    return next(_unicode_matches(text, words), None)


def _marked(text: str, words: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """Every word of ``text`` that begins with one of ``words`` once folded, in order."""
    if text.isascii():  # folding is lower-casing: one regular expression finds them, in C
        # only lower-case letters, digits and underscores can begin a folded ASCII word
        ascii_words = tuple(w for w in words if w.isascii() and _FOLDED_ASCII.fullmatch(w))
        return _ascii_words(ascii_words).finditer(text) if ascii_words else iter(())
    return _unicode_matches(text, words)


_WORDS = re.compile(r"\w+")
_FOLDED_ASCII = re.compile(r"[a-z0-9_]*")


@lru_cache(maxsize=256)
def _ascii_starts(words: tuple[str, ...]) -> re.Pattern[str]:
    """A word's start followed by one of ``words`` (ASCII), in any case."""
    pattern = _word_start(words) + "(?:" + "|".join(map(re.escape, words)) + ")"
    return re.compile(pattern, re.IGNORECASE | re.ASCII)


@lru_cache(maxsize=256)
def _ascii_words(words: tuple[str, ...]) -> re.Pattern[str]:
    """A whole ASCII word that begins with one of ``words`` (lower-case), in any case."""
    pattern = _word_start(words) + "(?=\\w)(?:" + "|".join(map(re.escape, words)) + r")\w*"
    return re.compile(pattern, re.IGNORECASE | re.ASCII)


def _word_start(words: tuple[str, ...]) -> str:
    """A word's start before one of ``words``: a boundary, three times faster to find than
    "not after a letter", and the same when each begins with a letter, digit or underscore
    (one folded from "⑴" begins with a bracket)."""
    if all(_ASCII_WORD_START.match(w) for w in words):
        return r"\b"
    return r"(?<!\w)"


_ASCII_WORD_START = re.compile(r"\w", re.ASCII)


def _unicode_matches(text: str, words: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """The words of ``text`` that begin with one of ``words`` once folded, in order.

    A word is folded letter by letter, so only one whose first letter folds to the start of
    one of ``words`` (or to all of it) can begin with it: a regular expression finds those,
    in C, and only they are folded whole. Folding every word of the text cost a third of a
    snippet's time.
    """
    letters = set(text)
    may, may_not = _first_letters(words)
    for letter in letters - may - may_not:
        folded = _fold(letter)
        begins = _WORDS.fullmatch(letter) and any(
            folded.startswith(w) or w.startswith(folded) for w in words
        )
        (may if begins else may_not).add(letter)
    first = frozenset(letters & may)
    if not first:
        return iter(())
    return (t for t in _starting(first).finditer(text) if _fold(t.group()).startswith(words))


@lru_cache(maxsize=256)
def _first_letters(words: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """The letters seen so far that may begin a word beginning with one of ``words``, folded,
    and those that may not (``_unicode_matches`` fills them in)."""
    return set(), set()


@lru_cache(maxsize=256)
def _starting(letters: frozenset[str]) -> re.Pattern[str]:
    """A whole word (of any script) that begins with one of ``letters``."""
    return re.compile(r"(?<!\w)[" + "".join(map(re.escape, sorted(letters))) + r"]\w*")


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
    for token in _marked(excerpt, words):
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

    def condition(self, community: str, record: str) -> str:
        """SQLite keeping to this scope; ``community`` and ``record`` are the expressions for an
        entry's ids. (PostgreSQL's entries carry their approved flag, migration 0017, and its
        function takes the scope as flags by community, migration 0018.)"""
        clauses = []
        if self.everything:
            clauses.append(f"{community} IN ({_id_list(self.everything)})")
        if self.approved:
            approved = f"{record} IN (SELECT id FROM {self.kind} WHERE status = 'approved')"
            clauses.append(f"({community} IN ({_id_list(self.approved)}) AND {approved})")
        return "(" + " OR ".join(clauses) + ")"

    def read(self) -> list[int]:
        """The communities the scope reads, approved records or not."""
        return sorted({*self.everything, *self.approved})


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


# PostgreSQL: each kind's newest records are read, newest first, until they hold the page's
# title matches: a common word's are among the first few hundred. Otherwise what was read
# tells how common the word is: a word found a few times is looked for further back, along
# the same index; a rarer one, whose matches are few, in the kind's own GIN indexes, at a
# cost that grows with their number (about 2.5 µs a match, twice a record read in order:
# 9 ms for the 3,600 actions titled "ref..."). The first window is small, so a rare
# word costs little before GIN; it is sized to the kind: actions many and small, practices
# few and long, workshops in between, with long minutes. The function that does it,
# cop_search_newest, is migration 0018's.
RECENT = {"action": 150, "practice": 25, "standard": 25}
RECENT_OTHERWISE = 100
GIN_MATCH_COST = 2  # reading one GIN match costs about as much as reading two records in order


# A few communities' entries are read along their own index, none of another's, and GIN
# would read them all again to find a word's matches among them: their windows are larger.
FEW_COMMUNITIES = 8  # as migration 0018's function
FEW_COMMUNITIES_READ = 4


# The most records a first window may read (migration 0018's function: its plan is kept, and
# made for no more).
WINDOW_MOST, WINDOW_MOST_FEW = 1000, 5000


def _recent(kind: str, communities: int) -> int:
    """How many of the kind's newest records a search in ``communities`` communities reads first."""
    recent = RECENT.get(kind, RECENT_OTHERWISE)
    if communities <= FEW_COMMUNITIES:
        return min(recent * FEW_COMMUNITIES_READ, WINDOW_MOST_FEW)
    return min(recent, WINDOW_MOST)


def _flags(ids: list[int]) -> str | None:
    """A PostgreSQL boolean array literal, true at each of ``ids`` (1-based, as community ids)."""
    if not ids:
        return None
    flags = ["f"] * max(ids)
    for community_id in ids:
        flags[community_id - 1] = "t"
    return "{" + ",".join(flags) + "}"


def _postgres_search(
    conn: Connection, phrases: list[list[str]], scopes: list[_Scope], limit: int
) -> list[tuple[Any, int]]:
    """The shown entries, best first, with how each matched, on PostgreSQL.

    Ranking every match of a common word read 70,000 rows. Here the newest records of each
    kind (backwards along an index) give a common word's newest title and other matches;
    only when they hold too few is the rest read further back or looked up in the kind's own
    GIN indexes (migration 0016), where the word is rare, so there are few matches to sort.
    One function call a kind (migration 0018), then the kinds in turn as ``_in_turn`` takes
    them, and the shown entries' text, all in one statement: a statement for each step,
    each planned anew (psycopg prepares nothing on a connection that rolls back after each
    read), cost as much as the reading.
    """
    params: dict[str, Any] = {
        "q": _tsquery(phrases),
        "wanted": int(limit),
        "gin_cost": float(GIN_MATCH_COST),
    }
    flags: dict[tuple[int, ...], str] = {}  # kinds reading the same communities share a parameter

    def bound(ids: list[int]) -> str:
        if tuple(ids) not in flags:
            flags[tuple(ids)] = name = f"c{len(flags)}"
            params[name] = _flags(ids)
        return f"CAST(:{flags[tuple(ids)]} AS boolean[])"

    calls = []
    for i, scope in enumerate(scopes):
        # array literals: psycopg would adapt a list element by element, in Python
        params[f"read{i}"] = "{" + _id_list(scope.read()) + "}"
        calls.append(
            f"SELECT {KIND_CODES[scope.kind]} AS code, '{scope.kind}' AS kind, "
            "found.titled, found.others FROM query, "
            f"LATERAL cop_search_newest('{scope.kind}', query.q, :wanted, "
            f"{_recent(scope.kind, len(scope.read()))}, "
            f":gin_cost, CAST(:read{i} AS integer[]), {bound(scope.everything)}, "
            f"{bound(scope.approved)}) AS found"
        )
    # to_tsquery is only stable: computed once here, not for every row the function reads
    sql = (
        "WITH query AS MATERIALIZED (SELECT to_tsquery('simple', cop_unaccent(:q)) AS q), "
        f"found AS MATERIALIZED ({' UNION ALL '.join(calls)}), "
        "shown AS MATERIALIZED (SELECT found.code, found.kind, hit.record_id, hit.position, "
        "hit.position <= cardinality(found.titled) AS in_title FROM found, "
        "unnest(found.titled || found.others) WITH ORDINALITY AS hit(record_id, position) "
        "ORDER BY hit.position, found.code LIMIT :wanted) "
        "SELECT d.kind, d.record_id, d.community_id, d.title, d.body, shown.in_title "
        "FROM shown JOIN search_document AS d "
        "ON d.kind = shown.kind AND d.record_id = shown.record_id "
        "ORDER BY shown.position, shown.code"
    )
    return [
        (row, IN_TITLE if row.in_title else IN_TEXT) for row in conn.execute(sa.text(sql), params)
    ]


def _in_turn(found: dict[str, list[tuple[int, Any]]], limit: int) -> list[tuple[int, Any]]:
    """Every kind's hits taken in turn (each kind's best, then each one's second...): the first ``limit``.

    Kinds are shown in groups: a common word's workshops must not crowd its actions out of
    the page. Asking for more keeps the first ones in their places ("Show more"). (SQLite;
    PostgreSQL takes them in the same order in its statement, ``_postgres_search``.)
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
        found = _postgres_search(conn, phrases, scopes, limit)
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
