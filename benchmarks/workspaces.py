"""The two workspaces every benchmark runs on: the demo, and `cop seed --scale large`.

Both are SQLite files under benchmarks/.data/, rebuilt when the schema head
changes. A benchmark account, ``bench`` (a member of three communities, as
the issues ask for search), is added to the large workspace through the
services so pages can be run signed in.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

import cop.registry  # noqa: F401  (every table, and the search index kept in step)
from cop.accounts import service as accounts
from cop.backup.demo import load_demo
from cop.communities import service as communities
from cop.communities.models import Community
from cop.core import db, schema
from cop.core.permissions import SYSTEM

DATA = Path(__file__).resolve().parent / ".data"
BENCH_USER = "bench"
BENCH_PASSWORD = "benchmark passphrase"


def _fresh(path: Path) -> bool:
    marker = path.with_suffix(".rev")
    return path.exists() and marker.exists() and marker.read_text() == schema.head_revision()


def _mark(path: Path) -> None:
    path.with_suffix(".rev").write_text(schema.head_revision())


def demo_workspace() -> str:
    path = DATA / "demo.db"
    url = f"sqlite:///{path}"
    if not _fresh(path):
        DATA.mkdir(exist_ok=True)
        for stale in DATA.glob("demo.db*"):
            stale.unlink()
        engine = db.get_engine(url)
        schema.upgrade(engine)
        load_demo(engine)
        _mark(path)
    return url


def large_workspace() -> str:
    """The large workspace's URL: seeded by bench_seed.py --keep (or here), plus the bench user."""
    path = DATA / "large.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        from benchmarks.bench_seed import measure

        measure("large", 0, keep=path)
    engine = db.get_engine(url)
    if schema.current_revision(engine) != schema.head_revision():
        raise SystemExit(f"{path} is from an older schema: delete it and run make bench again")
    add_bench_user(engine)
    return url


def add_bench_user(engine: Engine) -> None:
    """The ``bench`` account, a member of the first three communities, unless it exists."""
    with db.write_session(engine) as session:
        if accounts.find_user(session, BENCH_USER) is None:
            user = accounts.create_user(
                session, SYSTEM, username=BENCH_USER, password=BENCH_PASSWORD, name="Bench Member"
            )
            for community in session.exec(select(Community).order_by(Community.id).limit(3)):
                communities.add_member(session, SYSTEM, community.id, user.person_id, "member")  # type: ignore[arg-type]
