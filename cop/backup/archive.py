"""Backup and restore: one database-neutral archive that SQLite and PostgreSQL both read.

The archive is a zip: ``manifest.json`` (format version, Alembic schema
revision, creation time, every table with its columns and row count) and one
JSON-lines file per table under ``tables/``, written in dependency order.
Values are plain JSON: datetimes ISO 8601 with their UTC offset, bytes (the
attachments) base64, JSON columns as JSON. Every table of ``SQLModel.metadata``
is included, so tables that later capabilities add travel without changes
here; Alembic's own table, the ``search_*`` indexes (derived, rebuilt) and the
outbox (e-mail in transit, invitation links among it) are not.

A backup reads every table inside one transaction, so it is a consistent
online copy while people keep working: on SQLite (WAL) a read transaction is
a snapshot, on PostgreSQL the transaction is REPEATABLE READ. An archive
holds everyone's personal data, so who made it is audited (``backup.create``,
after the snapshot, so not in the archive itself) before the archive appears
under its name. A restore runs in one write transaction: the target reaches
the archive's schema revision, the rows go in, the schema is brought to this
code's head, and only then is anything committed, so a refused or failed
restore leaves the target as it was.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from cop.backup import column_values as archive_values
from cop.backup.bulk_load import (
    DATA_VERSION,
    NotEmpty,
    archived_tables,
    bump_data_version,
    delete_everything,
    describe,
    populated_tables,
    rebuild_derived,
    reset_id_sequences,
    settle,
)
from cop.core import clock
from cop.core.audit import AuditEvent
from cop.core.db import table_of, write_session
from cop.core.errors import CopError
from cop.core.permissions import SYSTEM, Actor, authorize
from cop.core.schema import alembic_config

FORMAT = "cop-workspace-backup"
FORMAT_VERSION = 1
BATCH_ROWS = 5_000
BATCH_BYTES = 32 * 1024 * 1024  # attachments are up to 10 MB each: batches are capped by size too
ROWS_WITH_BYTES = 20


class ArchiveError(CopError):
    """The file is not an archive this code can restore."""


# --- backup ----------------------------------------------------------------------------------


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read transaction that sees a single consistent state of every table."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn


def backup(engine: Engine, path: str | Path, *, actor: Actor = SYSTEM) -> dict[str, int]:
    """Write the whole workspace to ``path``; returns rows per table.

    The archive appears under its name only when complete: it is written
    beside it first and then renamed. An existing file is never overwritten.
    """
    authorize(actor, "backup.create")
    path = Path(path)
    if path.exists():
        raise ArchiveError(f"{path} already exists; choose a new file name.")
    if not path.parent.is_dir():
        raise ArchiveError(f"There is no folder {path.parent} to write the backup into.")
    partial = path.with_name(path.name + ".partial")
    counts: dict[str, int] = {}
    try:
        with _snapshot(engine) as conn, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            revision = MigrationContext.configure(conn).get_current_revision()
            if revision is None:
                raise ArchiveError("The database has no schema yet: there is nothing to back up.")
            inspector = sa.inspect(conn)
            existing = set(inspector.get_table_names())
            entries = []
            for table in archived_tables():
                if table.name not in existing:
                    continue
                stored = {c["name"] for c in inspector.get_columns(table.name)}
                columns = [c for c in table.columns if c.name in stored]
                counts[table.name] = _write_table(conn, zf, table, columns)
                entries.append(
                    {
                        "name": table.name,
                        "rows": counts[table.name],
                        "columns": [c.name for c in columns],
                    }
                )
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "schema_revision": revision,
                "created_at": clock.now().isoformat(),
                "source_database": engine.dialect.name,
                "app_version": package_metadata.version("cop-workspace"),
                "tables": entries,
            }
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        with write_session(
            engine
        ) as session:  # columns of every schema revision: old databases are backed up too
            session.execute(
                sa.insert(table_of(AuditEvent)).values(
                    at=clock.now(),
                    actor_user_id=actor.user_id or None,
                    actor_name=actor.username,
                    action="backup.create",
                    record_type="workspace",
                    record_id=None,
                    community_id=None,
                    changes={
                        "archive": path.name,
                        "created_at": manifest["created_at"],
                        "rows": counts,
                    },
                )
            )
        partial.replace(path)
    except OSError as exc:
        raise ArchiveError(f"Could not write {path}: {exc.strerror or exc}.") from exc
    finally:
        with suppress(FileNotFoundError):
            partial.unlink()
    return counts


def _write_table(
    conn: Connection, zf: zipfile.ZipFile, table: sa.Table, columns: list[sa.Column]
) -> int:
    encode = archive_values.encoder(columns)
    stmt = sa.select(*columns).order_by(*table.primary_key.columns)
    per_fetch = ROWS_WITH_BYTES if archive_values.holds_bytes(columns) else BATCH_ROWS
    rows = 0
    with zf.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        for row in conn.execution_options(yield_per=per_fetch).execute(stmt).mappings():
            out.write(json.dumps(encode(dict(row)), ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            rows += 1
        out.flush()
        out.detach()
    return rows


# --- restore ---------------------------------------------------------------------------------


def read_manifest(path: str | Path) -> dict[str, Any]:
    """The archive's manifest, after checking this code can restore it."""
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read("manifest.json"))
    except FileNotFoundError:
        raise ArchiveError(f"There is no file {path}.") from None
    except (
        zipfile.BadZipFile,
        KeyError,
        json.JSONDecodeError,
        UnicodeDecodeError,
        IsADirectoryError,
    ):
        raise ArchiveError(f"{path} is not a CoP Workspace backup.") from None
    except OSError as exc:
        raise ArchiveError(f"Could not read {path}: {exc.strerror or exc}.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{path} is not a CoP Workspace backup.")
    tables = manifest.get("tables")
    if not isinstance(tables, list) or not all(
        isinstance(t, dict) and {"name", "rows", "columns"} <= t.keys() for t in tables
    ):
        raise ArchiveError(f"The backup {path} is damaged: its list of tables is unreadable.")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise ArchiveError(
            "This backup was made by a newer version of CoP Workspace; upgrade this one first."
        )
    revision = manifest.get("schema_revision")
    script = ScriptDirectory.from_config(alembic_config())
    if revision not in {r.revision for r in script.walk_revisions()}:
        raise ArchiveError(
            f"This backup has schema revision {revision!r}, which this version of CoP Workspace "
            "does not know (it was probably made by a newer version): upgrade this one first."
        )
    known = {t.name for t in archived_tables()}
    unknown = [t["name"] for t in manifest["tables"] if t["name"] not in known]
    if unknown:
        raise ArchiveError(
            f"This backup holds tables this version does not know: {', '.join(unknown)}."
        )
    return manifest


def restore(
    engine: Engine, path: str | Path, replace: bool = False, *, actor: Actor = SYSTEM
) -> dict[str, int]:
    """Load an archive into ``engine``'s database; returns rows per table.

    Refuses a database that holds data unless ``replace`` is true; then every
    row is deleted first, in the same transaction.
    """
    authorize(actor, "backup.restore")
    manifest = read_manifest(path)
    tables = {t.name: t for t in archived_tables()}
    counts: dict[str, int] = {}
    with (
        engine.execution_options(cop_write=True).connect() as conn,
        conn.begin(),
        zipfile.ZipFile(path) as zf,
    ):
        present = populated_tables(conn)
        if present and not replace:
            raise NotEmpty(
                f"The database already holds data ({describe(present)}); nothing was restored."
            )
        if present:
            delete_everything(conn)
        _migrate(conn, manifest["schema_revision"])
        order = [tables[name] for name in tables if name in {t["name"] for t in manifest["tables"]}]
        entries = {t["name"]: t for t in manifest["tables"]}
        deferred: list[tuple[sa.Table, list[dict[str, Any]]]] = []
        archived_data_version = 0
        for position, table in enumerate(order):
            if table.name == DATA_VERSION:
                archived_data_version = _archived_data_version(zf)
                counts[table.name] = entries[table.name]["rows"]
                continue
            later = {t.name for t in order[position:]}
            try:
                counts[table.name], updates = _load_table(
                    conn, zf, table, entries[table.name], later
                )
            except (ValueError, TypeError, sa.exc.IntegrityError, sa.exc.DataError) as exc:
                raise ArchiveError(
                    f"The backup is damaged: the rows of {table.name} do not fit this database "
                    f"({type(exc).__name__}); nothing was restored."
                ) from exc
            deferred.append((table, updates))
        for table, updates in deferred:
            _apply_updates(conn, table, updates)
        _migrate(conn, "head")
        reset_id_sequences(conn)
        bump_data_version(conn, archived_data_version)
        conn.execute(
            sa.insert(table_of(AuditEvent)).values(
                at=clock.now(),
                actor_user_id=actor.user_id or None,
                actor_name=actor.username,
                action="backup.restore",
                record_type="workspace",
                record_id=None,
                community_id=None,
                changes={
                    "archive": Path(path).name,
                    "archive_created_at": manifest["created_at"],
                    "schema_revision": manifest["schema_revision"],
                    "rows": counts,
                },
            )
        )
        rebuild_derived(conn)
    settle(engine)
    return counts


def _migrate(conn: Connection, revision: str) -> None:
    """Bring the schema to ``revision`` inside the caller's transaction (down only on an emptied database)."""
    config = alembic_config(conn.engine.url.render_as_string(hide_password=False))
    config.attributes["connection"] = conn
    current = MigrationContext.configure(conn).get_current_revision()
    script = ScriptDirectory.from_config(config)
    target = script.get_current_head() if revision == "head" else revision
    assert target is not None  # the migration scripts have a head
    if current == target:
        return
    if current is not None and target in {
        r.revision for r in script.iterate_revisions(current, "base")
    }:
        command.downgrade(config, target)
    else:
        command.upgrade(config, target)


def _load_table(
    conn: Connection, zf: zipfile.ZipFile, table: sa.Table, entry: dict[str, Any], later: set[str]
) -> tuple[int, list[dict[str, Any]]]:
    """Insert one table's rows in batches; returns the count and the deferred foreign keys.

    A foreign key to this very table (a parent action) or to a table not yet
    loaded is inserted empty and set afterwards, so row order never matters.
    """
    columns = entry["columns"]
    missing = [c for c in columns if c not in table.c]
    if missing:
        raise ArchiveError(
            f"The backup's table {table.name} has columns this version does not know: {missing}."
        )
    decode = archive_values.decoder([table.c[c] for c in columns])
    pk = [c.name for c in table.primary_key.columns]
    deferred_cols = [
        c for c in columns if any(fk.column.table.name in later for fk in table.c[c].foreign_keys)
    ]
    updates: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    rows = batch_bytes = 0
    for size, row in _read_rows(zf, table.name):
        row = decode(row)
        if deferred_cols:
            later_values = {c: row[c] for c in deferred_cols if row.get(c) is not None}
            if later_values:
                updates.append(
                    {
                        **{f"pk_{k}": row[k] for k in pk},
                        **{f"v_{k}": v for k, v in later_values.items()},
                    }
                )
                row.update(dict.fromkeys(later_values))
        batch.append(row)
        rows += 1
        batch_bytes += size
        if len(batch) >= BATCH_ROWS or batch_bytes >= BATCH_BYTES:
            conn.execute(table.insert(), batch)
            batch, batch_bytes = [], 0
    if batch:
        conn.execute(table.insert(), batch)
    if rows != entry["rows"]:
        raise ArchiveError(
            f"The backup is damaged: {table.name} holds {rows} rows, its manifest says {entry['rows']}."
        )
    return rows, updates


def _apply_updates(conn: Connection, table: sa.Table, updates: list[dict[str, Any]]) -> None:
    """Set the deferred foreign keys, one UPDATE per set of columns."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for update in updates:
        by_columns.setdefault(tuple(k[2:] for k in update if k.startswith("v_")), []).append(update)
    pk = [c.name for c in table.primary_key.columns]
    for cols, params in by_columns.items():
        stmt = (
            sa.update(table)
            .where(*[table.c[k] == sa.bindparam(f"pk_{k}") for k in pk])
            .values({c: sa.bindparam(f"v_{c}") for c in cols})
        )
        conn.execute(stmt, params)


def _read_rows(zf: zipfile.ZipFile, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each row of a table's file, with the length of its line."""
    try:
        raw = zf.open(f"tables/{name}.jsonl")
    except KeyError:
        raise ArchiveError(f"The backup is damaged: the rows of {name} are missing.") from None
    try:
        with raw, io.TextIOWrapper(raw, encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield len(line), json.loads(line)
    except (zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveError(
            f"The backup is damaged: the rows of {name} are unreadable ({exc})."
        ) from None


def _archived_data_version(zf: zipfile.ZipFile) -> int:
    return max((int(row.get("value") or 0) for _, row in _read_rows(zf, DATA_VERSION)), default=0)
