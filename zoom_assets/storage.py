"""The one place that writes to DuckDB (create tables, replace a table or days, log skipped
entities), plus its reads.

Every write is one transaction (DELETE, then a bulk INSERT BY NAME from Arrow or from a query; for
the skip log, update-or-insert by key), so a rerun never duplicates a row and a failure leaves the
previous rows in place. Table names come from `tables.py` constants only (hence the S608
waivers); values always travel as parameters.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
from dagster_duckdb import DuckDBResource

from zoom_assets.tables import MEETING_REPORTS, SCHEMA, SYNC_SKIPS, TABLES, ZOOM_USERS, Table

INCOMING = "incoming_rows"
FETCHED = "fetched_entities"
# What a new skip of an entity already in sync_skips replaces (first_seen stays).
SKIP_UPDATES = ("code", "message", "partition_key", "run_id", "last_seen")


@contextmanager
def connect(resource: DuckDBResource) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse with its tables in place, and always release the file lock.

    `DuckDBResource.get_connection()` does not close its connection when the block raises, so the
    file would stay locked as long as the exception is referenced; closing here prevents that.

    DuckDB's checkpoints (at a commit past the WAL limit, and when the last connection closes)
    are told not to merge small row groups (`max_vacuum_tasks = 0`). Every write here replaces
    whole days (or a whole table) in a transaction of its own, so each day keeps row groups of its
    own, and a rerun frees a replaced day's space by deleting them whole; there is nothing a
    merge would reclaim. Merging instead rewrites the history in memory at the next checkpoint:
    the participants of a 10,000-user account cost up to 250 MiB once a few days were in the
    table, and after a 30-day backfill of 2,000 users the next run's first checkpoint took
    +145 MiB and 0.3 s to fold 30 days into 2 row groups. The setting belongs to the database,
    not to the connection, so every `connect` sets it.
    """
    if resource.database != ":memory:":
        Path(resource.database).parent.mkdir(parents=True, exist_ok=True)
    with resource.get_connection() as conn:
        try:
            conn.execute("SET max_vacuum_tasks = 0")
            create_tables(conn)
            yield conn
        finally:
            conn.close()


def create_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables, and add the columns a newer version of a table declares."""
    existing = set(
        conn.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = ?", [SCHEMA]
        ).fetchall()
    )
    for table in TABLES:
        conn.execute(table.ddl())
        for column in table.columns:
            if existing and (table.name, column.name) not in existing:
                conn.execute(
                    f"ALTER TABLE {table.qualified_name} ADD COLUMN IF NOT EXISTS "
                    f"{column.name} {column.sql_type}"
                )


def replace_table(conn: duckdb.DuckDBPyConnection, table: Table, rows: pa.Table) -> int:
    """Swap the whole table's rows for `rows` atomically; returns the table's row count."""
    _replace(conn, table, rows, where="true", params=[])
    return count_rows(conn, table)


def replace_days(
    conn: duckdb.DuckDBPyConnection,
    table: Table,
    rows: pa.Table,
    first: date,
    last: date,
    *,
    prefer: str | None = None,
) -> int:
    """Swap the rows of the days first..last (inclusive) for `rows`; returns the rows now there.

    Rows outside those days are refused before anything is deleted: a bug upstream must not
    overwrite, or leak into, days this write does not own. With `prefer`, rows that share a key
    are written once: the one with the smallest `prefer` value, so that the result does not
    depend on the order in which the rows arrived. Rows missing a key column are all written.
    """
    table.refuse_outside(rows, first, last)  # also refuses a table without a day column
    between = f"{table.day_column} BETWEEN ? AND ?"
    _replace(conn, table, rows, where=between, params=[first, last], prefer=prefer)
    return count_rows(conn, table, first, last)


def replace_days_from_query(
    conn: duckdb.DuckDBPyConnection, table: Table, select: str, first: date, last: date
) -> int:
    """Swap the rows of the days first..last for what `select` computes inside DuckDB.

    `select` reads `$first` and `$last`; rows it returns outside those days are not inserted,
    so a derived table can only replace the days it was asked for. One transaction, as above.
    """
    if table.day_column is None:
        raise ValueError(f"{table.name} has no day column")
    between = f"{table.day_column} BETWEEN $first AND $last"
    days = {"first": first, "last": last}
    with _transaction(conn):
        conn.execute(f"DELETE FROM {table.qualified_name} WHERE {between}", days)  # noqa: S608
        conn.execute(
            f"INSERT INTO {table.qualified_name} BY NAME "  # noqa: S608
            f"SELECT * FROM ({select}) WHERE {between}",
            days,
        )
    return count_rows(conn, table, first, last)


def log_skips(
    conn: duckdb.DuckDBPyConnection, skipped: pa.Table, fetched: pa.Table, now: datetime
) -> None:
    """Record skipped entities in `sync_skips` and resolve the ones fetched, in one transaction.

    `skipped` holds `sync_skips` rows: an entity already listed keeps its `first_seen` and takes
    the new code, message, partition, run and `last_seen`, and is unresolved again if it had been
    resolved. `fetched` holds the keys of the entities this run did get from Zoom: their open
    rows are marked resolved at `now`.
    """
    table = SYNC_SKIPS.qualified_name
    [(open_rows,)] = conn.execute(
        f"SELECT count(*) FROM {table} WHERE resolved_at IS NULL"  # noqa: S608
    ).fetchall()
    if skipped.num_rows == 0 and open_rows == 0:
        return  # the usual day: nothing skipped now, nothing waiting to be resolved
    same = " AND ".join(f"t.{c} = i.{c}" for c in SYNC_SKIPS.key)
    updated = ", ".join(f"{c} = i.{c}" for c in SKIP_UPDATES)
    incoming = SYNC_SKIPS.shape(skipped)
    try:
        with _transaction(conn):
            conn.register(INCOMING, incoming)
            conn.register(FETCHED, fetched)
            conn.execute(
                f"UPDATE {table} t SET {updated}, resolved_at = NULL FROM {INCOMING} i WHERE {same}"  # noqa: S608
            )
            conn.execute(
                f"INSERT INTO {table} BY NAME SELECT * FROM {INCOMING} i "  # noqa: S608
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {same})"
            )
            conn.execute(
                f"UPDATE {table} t SET resolved_at = ? FROM {FETCHED} i "  # noqa: S608
                f"WHERE {same} AND t.resolved_at IS NULL",
                [now],
            )
    finally:
        conn.unregister(INCOMING)
        conn.unregister(FETCHED)


@contextmanager
def _transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit what the block executes, or roll all of it back."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _replace(
    conn: duckdb.DuckDBPyConnection,
    table: Table,
    rows: pa.Table,
    *,
    where: str,
    params: list,
    prefer: str | None = None,
) -> None:
    """DELETE `where`, then bulk-insert `rows` (each key once if `prefer`), in one transaction."""
    once = ""
    if prefer is not None:  # rows without a key are all kept, for the key check to report
        keyless = " OR ".join(f"{c} IS NULL" for c in table.key)
        first_of_key = f"row_number() OVER (PARTITION BY {', '.join(table.key)} ORDER BY {prefer})"
        once = f" QUALIFY {keyless} OR {first_of_key} = 1"
    try:
        conn.register(INCOMING, table.shape(rows))
        with _transaction(conn):
            conn.execute(f"DELETE FROM {table.qualified_name} WHERE {where}", params)  # noqa: S608
            conn.execute(
                f"INSERT INTO {table.qualified_name} BY NAME SELECT * FROM {INCOMING}{once}"  # noqa: S608
            )
    finally:
        conn.unregister(INCOMING)


def count_rows(
    conn: duckdb.DuckDBPyConnection,
    table: Table,
    first: date | None = None,
    last: date | None = None,
) -> int:
    """Rows in the table, or in the days first..last of a partitioned table."""
    sql = f"SELECT count(*) FROM {table.qualified_name}"  # noqa: S608
    params: list[date] = []
    if first is not None and last is not None and table.day_column is not None:
        sql += f" WHERE {table.day_column} BETWEEN ? AND ?"
        params = [first, last]
    [(count,)] = conn.execute(sql, params).fetchall()
    return int(count)


def read_days(
    conn: duckdb.DuckDBPyConnection, table: Table, first: date, last: date, *, limit: int
) -> pa.Table:
    """Up to `limit` rows of the days first..last, in key order (for run-metadata previews)."""
    return conn.sql(
        f"SELECT * FROM {table.qualified_name} "  # noqa: S608
        f"WHERE {table.day_column} BETWEEN ? AND ? ORDER BY {', '.join(table.key)} LIMIT ?",
        params=[first, last, limit],
    ).to_arrow_table()


def report_host_ids(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Ids of the active and inactive users: the hosts whose meeting reports Zoom can have."""
    rows = conn.execute(
        f"SELECT DISTINCT id FROM {ZOOM_USERS.qualified_name} "  # noqa: S608
        "WHERE status IN ('active', 'inactive') AND coalesce(id, '') <> '' ORDER BY id"
    ).fetchall()
    return [user_id for (user_id,) in rows]


def meeting_uuids_on(conn: duckdb.DuckDBPyConnection, day: date) -> list[str]:
    """UUIDs of the meetings that `meeting_reports` holds for one UTC day, largest first.

    A meeting of many participants takes several pages, one after another; started first, its
    pages run alongside the small meetings instead of trailing after them at the end of the day,
    when the other workers would have nothing left to do.
    """
    rows = conn.execute(
        f"SELECT uuid FROM {MEETING_REPORTS.qualified_name} "  # noqa: S608
        "WHERE report_date = ? AND coalesce(uuid, '') <> '' "
        "GROUP BY uuid ORDER BY max(participants_count) DESC NULLS FIRST, uuid",
        [day],
    ).fetchall()
    return [uuid for (uuid,) in rows]
