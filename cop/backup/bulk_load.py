"""Loading rows without the ORM, as a restore and the seeder do, and what that asks of us.

Both insert with SQLAlchemy core, rows carrying their ids, into a database
that must be empty, so both need the same few things afterwards: PostgreSQL's
id sequences moved past the ids, the ``data_version`` counter moved on (no
replica may trust a cached read), and derived data that the ORM hooks would
have kept in step (the search index) rebuilt from the rows.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import cop.registry  # noqa: F401  (every table on the metadata, the search hook installed)
from cop.core.db import DATA_VERSION_ID, RECORDS_VERSION_ID, DataVersion, table_of
from cop.core.errors import CopError
from cop.search.index import reindex_all

DATA_VERSION = DataVersion.__tablename__

REBUILDERS: list[Callable[[Connection], object]] = [reindex_all]
"""What rebuilds derived data the archive leaves out (the search index) from the rows; run
inside the transaction after a restore or a seed, which both insert without the ORM."""


class NotEmpty(CopError):
    """The target database already holds data and replacing it was not asked for."""


# Not the workspace's records: Alembic's bookkeeping, and e-mail in transit (an
# invitation's carries its one-time link, which no backup may hold).
NOT_ARCHIVED = {"alembic_version", "outbox_message"}


def archived_tables() -> list[sa.Table]:
    """Every table of the metadata in dependency order, without Alembic's, the outbox and the search indexes."""
    return [
        t
        for t in SQLModel.metadata.sorted_tables
        if t.name not in NOT_ARCHIVED and not t.name.startswith("search_")
    ]


def populated_tables(conn: Connection) -> dict[str, int]:
    """Row counts of the workspace's tables that hold rows (``data_version``'s counter aside)."""
    existing = set(sa.inspect(conn).get_table_names())
    counts = {}
    for table in archived_tables():
        if table.name in existing and table.name != DATA_VERSION:
            n = conn.execute(
                sa.select(sa.func.count()).select_from(sa.table(table.name))
            ).scalar_one()
            if n:
                counts[table.name] = n
    return counts


def describe(counts: dict[str, int], shown: int = 4) -> str:
    """``person: 35 rows, user: 4 rows and 12 more tables``: short enough for one line."""
    parts = [f"{name}: {n:,} row{'' if n == 1 else 's'}" for name, n in counts.items()]
    more = len(parts) - shown
    return ", ".join(parts[:shown]) + (
        f" and {more} more table{'' if more == 1 else 's'}" if more > 0 else ""
    )


def rebuild_derived(conn: Connection) -> None:
    """Run every rebuilder inside the caller's transaction."""
    for rebuild in REBUILDERS:
        rebuild(conn)


def delete_everything(conn: Connection) -> None:
    """Delete all rows, dependants first (the data_version counter stays and moves on)."""
    existing = set(sa.inspect(conn).get_table_names())
    for table in reversed(archived_tables()):
        if table.name in existing and table.name != DATA_VERSION:
            conn.execute(sa.delete(sa.table(table.name)))


def bump_data_version(conn: Connection, archived: int = 0) -> None:
    """Past both an archive's counter and this database's, so no replica trusts a cached read:
    ``data_version`` and the records' version (cop.core.db) both."""
    table = table_of(DataVersion)
    current = conn.execute(sa.select(table.c.value).where(table.c.id == 1)).scalar()
    value = max(archived, current or 0) + 1
    for row in (DATA_VERSION_ID, RECORDS_VERSION_ID):
        if conn.execute(sa.select(table.c.id).where(table.c.id == row)).first() is None:
            conn.execute(sa.insert(table).values(id=row, value=value))
        else:
            conn.execute(sa.update(table).where(table.c.id == row).values(value=value))


def settle(engine: Engine) -> None:
    """After a bulk load on PostgreSQL: ``VACUUM (ANALYZE)``, outside any transaction.

    A freshly loaded database has no planner statistics and no visibility map until
    autovacuum comes round: its searches read the tables' pages instead of their indexes
    only (the large workspace's search p95 23.8 ms before, 11.3 ms after, issue 24).
    SQLite keeps no such state to settle.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE)")


def reset_id_sequences(conn: Connection) -> None:
    """PostgreSQL: make every id sequence continue after the largest id (rows came with their ids)."""
    if conn.dialect.name != "postgresql":
        return
    existing = set(sa.inspect(conn).get_table_names())
    quote = conn.dialect.identifier_preparer.quote
    for table in SQLModel.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if table.name not in existing or len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
            continue
        sequence = conn.execute(
            sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": quote(table.name), "column": pk[0].name},
        ).scalar()
        if sequence:
            conn.execute(
                sa.text(
                    f"SELECT setval(:sequence, coalesce((SELECT max({quote(pk[0].name)}) FROM "
                    f"{quote(table.name)}), 0) + 1, false)"
                ),
                {"sequence": sequence},
            )
