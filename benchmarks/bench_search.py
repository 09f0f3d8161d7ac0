"""Search p95 over 200 queries on the large workspace, as a member of three communities (SQLite; PostgreSQL too when asked).

Queries are drawn from the workspace's own text so they hit: 50 common
words, 50 prefixes (first three letters), 50 two-word phrases in quotes, 50
accent variants (a word with diacritics typed without them, or vice versa).
Each asks what the search page asks first: its first 20 results and one more (to know
whether to offer "Show more"); across all communities also 50, the most the page
asked before it showed 20 at a time. Each database is searched once with the same queries
before it is measured.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cop.registry  # noqa: E402, F401  (every table; a benchmark is an entry point)
from benchmarks.workspaces import BENCH_USER, add_bench_user, large_workspace  # noqa: E402
from cop.accounts import service as accounts  # noqa: E402
from cop.core import db  # noqa: E402
from cop.search.queries import search  # noqa: E402
from cop.search.ui.page import PAGE  # noqa: E402  (what the search page shows first)

RESULTS = ROOT / "benchmarks" / "results"
ONE_COMMUNITY = 2  # one of the bench member's three communities
FIRST = PAGE + 1  # the page's first request: the results it shows and one more


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def queries(engine, rng: random.Random) -> dict[str, list[str]]:
    with engine.connect() as conn:
        titles = [
            t for (t,) in conn.execute(sa.text("SELECT title FROM workshop ORDER BY id LIMIT 5000"))
        ]
        titles += [
            t for (t,) in conn.execute(sa.text("SELECT title FROM practice ORDER BY id LIMIT 2000"))
        ]
    words = [w for t in titles for w in re.findall(r"\w{4,}", t)]
    accented = [w for w in words if _fold(w) != w] or words
    pairs = [m for t in titles for m in re.findall(r"\w{3,} \w{3,}", t)]
    return {
        "word": [rng.choice(words) for _ in range(50)],
        "prefix": [rng.choice(words)[:3] for _ in range(50)],
        "phrase": [f'"{rng.choice(pairs)}"' for _ in range(50)],
        "accent": [_fold(rng.choice(accented)) for _ in range(50)],
    }


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def measure(
    url: str, items: dict[str, list[str]], community_id: int | None = None, limit: int = FIRST
) -> dict:
    """Every query once as the bench member, in all readable communities or in ``community_id``."""
    engine = db.get_engine(url)
    with db.read_session(engine) as session:
        actor = accounts.load_actor(session, username=BENCH_USER)
    timings: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    for family, texts in items.items():
        for text in texts:
            with db.read_session(engine) as session:
                started = time.perf_counter()
                found = search(session, actor, text, community_id=community_id, limit=limit)
                timings.setdefault(family, []).append((time.perf_counter() - started) * 1000)
                hits[family] = hits.get(family, 0) + (1 if found else 0)
    every = [t for ts in timings.values() for t in ts]
    return {
        "queries": len(every),
        "limit": limit,
        "p95_ms": _p95(every),
        "median_ms": statistics.median(every),
        "per_family_p95_ms": {f: _p95(ts) for f, ts in timings.items()},
        "per_family_median_ms": {f: statistics.median(ts) for f, ts in timings.items()},
        "queries_with_results": hits,
    }


def main() -> dict:
    """SQLite, and PostgreSQL when COP_BENCH_POSTGRES_URL names a database seeded with
    ``cop seed --scale large --random-seed 0`` (the bench member is added to it): the same
    queries, in all readable communities and in one (the search page's default when a
    community is chosen in the sidebar)."""
    url = large_workspace()
    items = queries(db.get_engine(url), random.Random(7))
    databases = {"sqlite": url}
    if os.environ.get("COP_BENCH_POSTGRES_URL"):
        databases["postgresql"] = os.environ["COP_BENCH_POSTGRES_URL"]
        add_bench_user(db.get_engine(databases["postgresql"]))
    result: dict = {}
    for name, database in databases.items():
        # One unmeasured pass first: a server's pages are in memory once people search, and
        # a freshly seeded database's are not (its first pass measured reading from disk).
        measure(database, items)
        figures = measure(database, items)
        figures["one_community"] = measure(database, items, community_id=ONE_COMMUNITY)
        figures["fifty_results"] = measure(database, items, limit=50)
        if name == "sqlite":
            result.update(figures)  # the top level stays SQLite, as before
        else:
            result[name] = figures
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "search.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
