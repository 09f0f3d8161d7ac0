"""The two workspaces every benchmark runs on: the demo, and `cop seed --scale large`.

Both are SQLite files under benchmarks/.data/, rebuilt when the schema head
changes. A benchmark account, ``bench`` (a member of three communities, as
the issues ask for search), is added to the large workspace through the
services so pages can be run signed in.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlmodel import select

from cop import db, schema
from cop.demo import load_demo
from cop.models import Community
from cop.permissions import SYSTEM
from cop.seed import seed
from cop.services import accounts, communities

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


def large_workspace(random_seed: int = 1) -> tuple[str, float | None]:
    """The large workspace's URL and the seconds its seed took (None when reused)."""
    path = DATA / "large.db"
    url = f"sqlite:///{path}"
    if _fresh(path):
        return url, None
    DATA.mkdir(exist_ok=True)
    for stale in DATA.glob("large.db*"):
        stale.unlink()
    engine = db.get_engine(url)
    schema.upgrade(engine)
    started = time.perf_counter()
    seed(engine, "large", random_seed)
    seconds = time.perf_counter() - started
    with db.write_session(engine) as session:
        user = accounts.create_user(session, SYSTEM, username=BENCH_USER, password=BENCH_PASSWORD, name="Bench Member")
        for community in session.exec(select(Community).order_by(Community.id).limit(3)):
            communities.add_member(session, SYSTEM, community.id, user.person_id, "member")  # type: ignore[arg-type]
    _mark(path)
    return url, seconds
