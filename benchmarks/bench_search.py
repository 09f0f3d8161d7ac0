"""Search p95 over 200 queries on the large workspace, as a member of three communities (SQLite).

Queries are drawn from the workspace's own text so they hit: 50 common
words, 50 prefixes (first three letters), 50 two-word phrases in quotes, 50
accent variants (a word with diacritics typed without them, or vice versa).
"""

from __future__ import annotations

import json
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

from benchmarks.workspaces import BENCH_USER, large_workspace  # noqa: E402
from cop.accounts import service as accounts  # noqa: E402
from cop.core import db  # noqa: E402
from cop.search.queries import search  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


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


def main() -> dict:
    url = large_workspace()
    engine = db.get_engine(url)
    with db.read_session(engine) as session:
        actor = accounts.load_actor(session, username=BENCH_USER)
    rng = random.Random(7)
    timings: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    for family, items in queries(engine, rng).items():
        for text in items:
            with db.read_session(engine) as session:
                started = time.perf_counter()
                found = search(session, actor, text, limit=50)
                timings.setdefault(family, []).append((time.perf_counter() - started) * 1000)
                hits[family] = hits.get(family, 0) + (1 if found else 0)
    every = sorted(t for ts in timings.values() for t in ts)
    p95 = every[int(len(every) * 0.95) - 1]
    result = {
        "queries": len(every),
        "p95_ms": p95,
        "median_ms": statistics.median(every),
        "per_family_p95_ms": {f: sorted(ts)[int(len(ts) * 0.95) - 1] for f, ts in timings.items()},
        "per_family_median_ms": {f: statistics.median(ts) for f, ts in timings.items()},
        "queries_with_results": hits,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "search.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
