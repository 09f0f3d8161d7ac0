"""Engine, short sessions, SQLite pragmas, and the schema check at start.

One engine per database URL per process. Every write runs in its own short
transaction that bumps ``data_version``; on SQLite it starts with
``BEGIN IMMEDIATE`` so concurrent writers queue on ``busy_timeout`` instead of
failing with "database is locked" when a deferred transaction upgrades to a
write lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col

from cop.core import settings
from cop.core.errors import DatabaseUnavailable
from cop.core.i18n import N_

T = TypeVar("T")
READ_ONLY = "cop_read_only"

BUSY_TIMEOUT_MS = 30_000
FlushHook = Callable[[Session], None]
_flush_hooks: list[FlushHook] = []


def on_every_flush(hook: FlushHook) -> None:
    """Run ``hook(session)`` after every flush, inside the write transaction.

    Capabilities keep derived data in step this way (the search index); they
    are handed in by cop.registry, the one place that assembles the workspace,
    so nothing depends on an import's side effect.
    """
    if hook not in _flush_hooks:
        _flush_hooks.append(hook)


@event.listens_for(Session, "after_flush")
def _run_flush_hooks(session: Session, _context: object) -> None:
    for hook in _flush_hooks:
        hook(session)


_engines: dict[str, Engine] = {}
_writes_committed = 0
_lock = threading.Lock()


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        # Let us emit BEGIN ourselves (pysqlite's own BEGIN is always deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not dbapi_connection.execute("PRAGMA query_only").fetchone()[0]:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                try:
                    cursor.execute("PRAGMA journal_mode = WAL")
                except Exception:  # noqa: BLE001 - a read-only file keeps its journal mode
                    pass
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
        # SQLite's lower() (and so ILIKE, which SQLAlchemy compiles to lower() LIKE lower())
        # folds ASCII only: "ÖZGÜR" would not match "özgür" as it does on PostgreSQL.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        if conn.get_execution_options().get("cop_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: the configured database)."""
    if not _flush_hooks:
        raise RuntimeError(
            "Import cop.registry before opening the database: it registers every table and the search index."
        )
    url = url or settings.database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite"):
                path = url.split("///", 1)[-1].split("?", 1)[0]
                if path and path != ":memory:" and not path.startswith("file:"):
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                engine = sa.create_engine(
                    url,
                    connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
                )
                _configure_sqlite(engine)
            else:
                engine = sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    """Forget every engine (tests switch databases; a restore replaces one)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def _translate(exc: Exception) -> DatabaseUnavailable:
    text = str(getattr(exc, "orig", exc)).lower()
    if "readonly" in text or "read-only" in text or "permission denied" in text:
        return DatabaseUnavailable(N_("The workspace is read-only right now; nothing was saved."))
    return DatabaseUnavailable(
        N_("The database is unavailable right now; please try again shortly.")
    )


@contextmanager
def read_session(engine: Engine | None = None) -> Iterator[Session]:
    """A short read-only unit of work."""
    engine = engine or get_engine()
    try:
        with Session(engine, expire_on_commit=False) as session:
            # Nothing is written here, so a figure computed twice in this unit of work is the
            # same figure: services may keep one in ``session.info`` (see ``memo``).
            session.info[READ_ONLY] = True
            yield session  # closing expunges without expiring, so loaded values stay readable
    except sa.exc.OperationalError as exc:
        raise _translate(exc) from exc


def memo(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per read-only unit of work: the second caller gets the first's answer.

    A draft chapter asks for its community's key results for the table and again for the
    infographic; in a read session both see the same rows, so the dozen queries run once.
    In a write session nothing is kept: a flush between the two calls could change the answer.
    """
    if not session.info.get(READ_ONLY):
        return compute()
    store: dict[Hashable, Any] = session.info.setdefault("cop_memo", {})
    if key not in store:
        store[key] = compute()
    return store[key]


@contextmanager
def write_session(engine: Engine | None = None) -> Iterator[Session]:
    """A short write transaction: all or nothing, and ``data_version`` moves on."""
    engine = (engine or get_engine()).execution_options(cop_write=True)
    try:
        with Session(engine, expire_on_commit=False) as session:
            try:
                yield session
                session.flush()
                session.execute(
                    sa.update(DataVersion)
                    .where(col(DataVersion.id) == 1)
                    .values(value=DataVersion.value + 1)
                )
                session.commit()
                global _writes_committed
                _writes_committed += 1
            except BaseException:
                session.rollback()
                raise
    except sa.exc.OperationalError as exc:
        raise _translate(exc) from exc
    except sa.exc.ProgrammingError as exc:
        if "permission denied" in str(exc.orig).lower():
            raise _translate(exc) from exc
        raise


def writes_committed() -> int:
    """How many write transactions this process has committed (any thread).

    A page that wrote during its run compares this with the count at the start
    of the run and reads ``data_version`` again, so its cached reads do not
    show what was there before its own write.
    """
    return _writes_committed


def current_data_version(engine: Engine | None = None) -> int:
    """Read once per rerun; cached reads are keyed by it.

    The pool's plain DB-API connection and a literal query, not a session or
    even a Core ``connect()``: every page run starts with this read, and that
    machinery cost five times the query (65 µs against 11 µs on SQLite).
    """
    engine = engine or get_engine()
    # Here the driver's own errors arrive unwrapped, a refused connection included.
    unavailable = (sa.exc.OperationalError, engine.dialect.loaded_dbapi.OperationalError)
    try:
        connection = engine.raw_connection()
    except unavailable as exc:
        raise _translate(exc) from exc
    try:
        cursor = connection.cursor()
        cursor.execute(_DATA_VERSION_QUERY)
        row = cursor.fetchone()
        cursor.close()
    except unavailable as exc:
        connection.invalidate()
        raise _translate(exc) from exc
    finally:
        connection.close()
    return int(row[0] or 0) if row else 0


_DATA_VERSION_QUERY = "SELECT value FROM data_version WHERE id = 1"


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table of a table model: its ``__table__``, which SQLModel's type stubs do not declare."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


class DataVersion(SQLModel, table=True):
    """One row whose counter every write transaction bumps.

    Cached reads are keyed by it, so every replica sees fresh data on its next
    rerun without any cross-process cache invalidation.
    """

    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    value: int = 0
