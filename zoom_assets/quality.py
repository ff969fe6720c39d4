"""Read-only queries behind the data-quality checks: key problems and orphan rows.

They return counts and a few example keys, so a failing check can say how many rows are wrong and
show which. Table and column names come from `tables.py` constants only.
"""

from dataclasses import dataclass
from datetime import date

import duckdb

from zoom_assets.tables import MEETING_ATTENDANCE, MEETING_REPORTS, SYNC_SKIPS, Table
from zoom_assets.zoom.windows import days_between

EXAMPLES = 5


@dataclass(frozen=True)
class Problems:
    """How many rows break a rule, and up to EXAMPLES of their keys."""

    count: int
    examples: list[str]

    @property
    def ok(self) -> bool:
        return self.count == 0


def _scope(table: Table, first: date | None, last: date | None) -> tuple[str, list[object]]:
    if first is None or last is None or table.day_column is None:
        return "true", []
    return f"{table.day_column} BETWEEN ? AND ?", [first, last]


def _key_text(columns: tuple[str, ...], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    parts = ", ".join(f"coalesce({prefix}{c}::VARCHAR, '<NULL>')" for c in columns)
    return f"concat_ws(' / ', {parts})"


def _problems(
    conn: duckdb.DuckDBPyConnection, key_text: str, rest: str, params: list[object]
) -> Problems:
    """Count the rows of `FROM ... WHERE ...` (`rest`) and list a few of their keys."""
    [(count,)] = conn.execute(f"SELECT count(*) {rest}", params).fetchall()
    examples = conn.execute(
        f"SELECT DISTINCT {key_text} AS k {rest} ORDER BY k LIMIT {EXAMPLES}",
        params,
    ).fetchall()
    return Problems(int(count), [text for (text,) in examples])


def duplicate_keys(
    conn: duckdb.DuckDBPyConnection,
    table: Table,
    first: date | None = None,
    last: date | None = None,
) -> Problems:
    """Rows whose key appears more than once (in the days first..last, if given).

    A range is checked one day at a time: every key of a daily table belongs to one day (its
    meeting's UTC start day), and counting keys over a month of a large account's participants
    at once would hold them all in memory (over 100 MiB for 10,000 users).
    """
    if first is None or last is None or table.day_column is None:
        return _duplicates(conn, table, "true", [])
    by_day = [
        _duplicates(conn, table, f"{table.day_column} = ?", [day])
        for day in days_between(first, last)
    ]
    examples = sorted({key for problems in by_day for key in problems.examples})
    return Problems(sum(problems.count for problems in by_day), examples[:EXAMPLES])


def _duplicates(
    conn: duckdb.DuckDBPyConnection, table: Table, where: str, params: list[object]
) -> Problems:
    key = ", ".join(table.key)
    rest = (
        f"FROM (SELECT *, count(*) OVER (PARTITION BY {key}) AS copies "  # noqa: S608
        f"FROM {table.qualified_name} WHERE {where}) WHERE copies > 1"
    )
    return _problems(conn, _key_text(table.example_key), rest, params)


def null_keys(
    conn: duckdb.DuckDBPyConnection,
    table: Table,
    first: date | None = None,
    last: date | None = None,
) -> Problems:
    """Rows with a NULL or empty key column (in the days first..last, if given)."""
    where, params = _scope(table, first, last)
    missing = " OR ".join(f"coalesce({c}::VARCHAR, '') = ''" for c in table.key)
    rest = f"FROM {table.qualified_name} WHERE ({where}) AND ({missing})"
    return _problems(conn, _key_text(table.example_key), rest, params)


def orphans(
    conn: duckdb.DuckDBPyConnection,
    child: Table,
    child_column: str,
    parent: Table,
    parent_column: str,
) -> Problems:
    """Child rows whose `child_column` value has no parent row with that `parent_column` value."""
    rest = (
        f"FROM {child.qualified_name} c ANTI JOIN {parent.qualified_name} p "
        f"ON c.{child_column} = p.{parent_column}"
    )
    return _problems(conn, _key_text(child.example_key, "c"), rest, [])


def attendance_beyond_meeting(
    conn: duckdb.DuckDBPyConnection, first: date, last: date, tolerance_seconds: int
) -> Problems:
    """Attendance rows of the days first..last whose attended_seconds exceed their meeting's
    length (meeting_reports end_time - start_time) by more than `tolerance_seconds`."""
    rest = (
        f"FROM {MEETING_ATTENDANCE.qualified_name} c JOIN {MEETING_REPORTS.qualified_name} p "
        "ON p.uuid = c.meeting_uuid WHERE c.report_date BETWEEN ? AND ? "
        "AND c.attended_seconds > date_diff('second', p.start_time, p.end_time) + ?"
    )
    key_text = _key_text(MEETING_ATTENDANCE.example_key, "c")
    return _problems(conn, key_text, rest, [first, last, tolerance_seconds])


def skipped_meetings_by_day(
    conn: duckdb.DuckDBPyConnection, first: date, last: date
) -> list[tuple[date, int, int]]:
    """(day, meetings skipped and not resolved since, meetings in meeting_reports) per day."""
    return conn.execute(
        f"SELECT r.report_date, count(s.entity_id), count(*) "  # noqa: S608
        f"FROM {MEETING_REPORTS.qualified_name} r LEFT JOIN {SYNC_SKIPS.qualified_name} s "
        "ON s.entity_kind = 'meeting' AND s.entity_id = r.uuid AND s.resolved_at IS NULL "
        "WHERE r.report_date BETWEEN ? AND ? GROUP BY r.report_date ORDER BY r.report_date",
        [first, last],
    ).fetchall()
