"""Engine, short sessions, SQLite pragmas, and the schema check at start.

One engine per database URL per process. Every write runs in its own short
transaction that bumps ``data_version``; on SQLite it starts with
``BEGIN IMMEDIATE`` so concurrent writers queue on ``busy_timeout`` instead of
failing with "database is locked" when a deferred transaction upgrades to a
write lock.
"""

from __future__ import annotations

import re
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
WRITTEN = "cop_tables_written"  # in a write connection's info: what this transaction wrote
NO_JOURNAL = "cop_no_journal"  # on a read kept through journal writes: it must not read them

# The journals: tables that only ever gain records of what happened (an action's updates,
# the audit log, the search index kept from the records). A write to them alone moves
# ``data_version`` but not the records' version (``RECORDS``), so a read that shows none of
# them stays fresh when someone posts an update elsewhere (cop.shell.cache).
JOURNAL_TABLES = frozenset({"action_update", "audit_event", "search_document", "search_fts"})
DATA_VERSION_ID, RECORDS_VERSION_ID = 1, 2
_WRITE = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)
_NOT_WRITES = frozenset({"SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})
_JOURNAL_READ = re.compile(r"\b(?:" + "|".join(sorted(JOURNAL_TABLES)) + r")\b")

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


def _watch_statements(engine: Engine) -> None:
    """Note the tables a write transaction writes; refuse a journal read where none may be.

    A statement whose target is not plain to see (a ``WITH`` before the write, a function
    call) counts as a write to some table other than the journals: the records' version
    moves on and no read is trusted wrongly.
    """

    @event.listens_for(engine, "begin")
    def _forget(conn) -> None:  # noqa: ANN001
        conn.info.pop(WRITTEN, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _note(conn, _cursor, statement, _params, _context, _many) -> None:  # noqa: ANN001
        options = conn.get_execution_options()
        if options.get("cop_write"):
            if statement.lstrip().split(None, 1)[0].upper() in _NOT_WRITES:
                return
            found = _WRITE.match(statement)
            conn.info.setdefault(WRITTEN, set()).add(found.group(1).lower() if found else "?")
        elif conn.info.get(NO_JOURNAL) and _JOURNAL_READ.search(statement):
            raise AssertionError(
                "a read kept while only journals change read one: " + statement[:200]
            )


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
            _watch_statements(engine)
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
                written = session.connection().info.get(WRITTEN, set())
                moved = [DATA_VERSION_ID]
                if not written <= JOURNAL_TABLES:
                    moved.append(RECORDS_VERSION_ID)  # a record changed, not only a journal
                session.execute(
                    sa.update(DataVersion)
                    .where(col(DataVersion.id).in_(moved))
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


@contextmanager
def journal_free_read(engine: Engine | None = None) -> Iterator[Session]:
    """A read session that may not read the journals (an ``AssertionError`` if it does): for
    reads cached by the records' version, which a journal write leaves where it was."""
    with read_session(engine) as session, no_journal(session):
        yield session


@contextmanager
def no_journal(session: Session) -> Iterator[None]:
    """While open, ``session`` may not read the journals (its read is kept by the records' version)."""
    connection = session.connection()
    connection.info[NO_JOURNAL] = True
    try:
        yield
    finally:
        connection.info.pop(NO_JOURNAL, None)


def current_versions(engine: Engine | None = None) -> tuple[int, int]:
    """``data_version`` and the records' version, read together once per rerun.

    Without the records' row (a database before migration 0019) both are ``data_version``,
    so nothing is kept longer than before.
    """
    rows = dict(_raw_query(engine, _VERSIONS_QUERY))
    version = int(rows.get(DATA_VERSION_ID) or 0)
    return version, int(rows.get(RECORDS_VERSION_ID, version) or 0)


def current_data_version(engine: Engine | None = None) -> int:
    """Read once per rerun; cached reads are keyed by it.

    The pool's plain DB-API connection and a literal query, not a session or
    even a Core ``connect()``: every page run starts with this read, and that
    machinery cost five times the query (65 µs against 11 µs on SQLite).
    """
    rows = _raw_query(engine, _DATA_VERSION_QUERY)
    return int(rows[0][0] or 0) if rows else 0


def _raw_query(engine: Engine | None, query: str) -> list[tuple[Any, ...]]:
    engine = engine or get_engine()
    # Here the driver's own errors arrive unwrapped, a refused connection included.
    unavailable = (sa.exc.OperationalError, engine.dialect.loaded_dbapi.OperationalError)
    try:
        connection = engine.raw_connection()
    except unavailable as exc:
        raise _translate(exc) from exc
    try:
        cursor = connection.cursor()
        cursor.execute(query)
        rows = [tuple(row) for row in cursor.fetchall()]
        cursor.close()
    except unavailable as exc:
        connection.invalidate()
        raise _translate(exc) from exc
    finally:
        connection.close()
    return rows


_DATA_VERSION_QUERY = "SELECT value FROM data_version WHERE id = 1"
_VERSIONS_QUERY = "SELECT id, value FROM data_version WHERE id IN (1, 2)"


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table of a table model: its ``__table__``, which SQLModel's type stubs do not declare."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


class DataVersion(SQLModel, table=True):
    """Row 1: the counter every write transaction bumps; row 2 (the records' version): the
    counter every write bumps unless it wrote the journals alone (``JOURNAL_TABLES``).

    Cached reads are keyed by one of them, so every replica sees fresh data on its next
    rerun without any cross-process cache invalidation.
    """

    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    value: int = 0
