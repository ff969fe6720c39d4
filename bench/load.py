"""DuckDB load speed: participant rows written through `storage` (one bulk INSERT from Arrow)
against a row-by-row `executemany` of the same rows into the same table, in one run.

The rows are the emulator's own participants, shaped by the pipeline's `rows.participant_rows`,
whose speed is measured too: it is the per-row Python work every synced row goes through.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from zoom_assets.emulator.account import Account
from zoom_assets.rows import participant_rows
from zoom_assets.storage import create_tables, replace_days
from zoom_assets.tables import PAST_PARTICIPANTS

DAY = date(2026, 1, 1)  # one report_date for all rows: the write replaces one day


def participant_records(target_rows: int) -> list[tuple[str, list[dict]]]:
    """(meeting UUID, participant rows) of an emulated account until `target_rows` are reached."""
    account = Account(seed=3, users=10_000, days=10, end_date=DAY)
    meetings: list[tuple[str, list[dict]]] = []
    total = 0
    for offset in range(10):
        for _host, item in account.meetings_on(DAY - timedelta(days=offset)):
            rows = account.participants(item["uuid"])
            meetings.append((item["uuid"], rows))
            total += len(rows)
            if total >= target_rows:
                return meetings
    return meetings


def measure(workdir: Path, *, rows: int, baseline_rows: int) -> dict[str, Any]:
    """Shape `rows` participant rows, write them in bulk, and write `baseline_rows` of them one
    by one with executemany; rows per second of each, and the ratio."""
    meetings = participant_records(rows)
    started = time.perf_counter()
    table = participant_rows(meetings, DAY, synced_at=datetime.now(UTC))
    shaping = time.perf_counter() - started
    with duckdb.connect(str(workdir / "load.duckdb")) as conn:
        create_tables(conn)
        started = time.perf_counter()
        replace_days(conn, PAST_PARTICIPANTS, table, DAY, DAY)
        bulk = time.perf_counter() - started
        conn.execute(f"DELETE FROM {PAST_PARTICIPANTS.qualified_name}")  # noqa: S608
        baseline = executemany_seconds(conn, table.slice(0, baseline_rows))
    bulk_rate = table.num_rows / bulk
    baseline_rate = min(baseline_rows, table.num_rows) / baseline
    return {
        "rows": table.num_rows,
        "shaping_rows_per_second": round(table.num_rows / shaping),
        "bulk_seconds": round(bulk, 3),
        "bulk_rows_per_second": round(bulk_rate),
        "executemany_rows": min(baseline_rows, table.num_rows),
        "executemany_seconds": round(baseline, 3),
        "executemany_rows_per_second": round(baseline_rate),
        "bulk_over_executemany": round(bulk_rate / baseline_rate, 1),
    }


def executemany_seconds(conn: duckdb.DuckDBPyConnection, rows: pa.Table) -> float:
    """Seconds to insert `rows` with one parameterised INSERT per row, in one transaction."""
    names = rows.column_names
    values = list(zip(*(rows.column(name).to_pylist() for name in names), strict=True))
    sql = (
        f"INSERT INTO {PAST_PARTICIPANTS.qualified_name} ({', '.join(names)}) "  # noqa: S608
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    started = time.perf_counter()
    conn.execute("BEGIN TRANSACTION")
    conn.executemany(sql, values)
    conn.execute("COMMIT")
    return time.perf_counter() - started
