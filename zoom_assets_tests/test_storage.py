"""The one write path on a real DuckDB file: atomic replaces, idempotent reruns, rollback, lock."""

import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from dagster_duckdb import DuckDBResource

from zoom_assets.rows import report_rows, user_rows
from zoom_assets.storage import (
    connect,
    count_rows,
    create_tables,
    meeting_uuids_on,
    replace_days,
    replace_table,
    report_host_ids,
)
from zoom_assets.tables import MEETING_REPORTS, TABLES, ZOOM_USERS

SYNCED = datetime(2026, 12, 4, tzinfo=UTC)
DAY1, DAY2, DAY3 = date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)


def meetings(*specs: tuple[str | None, str, date]) -> pa.Table:
    """Report rows from (uuid, host_id, day) triples."""
    pairs = [
        (host, [{"uuid": uuid, "start_time": f"{day}T12:00:00Z"}]) for uuid, host, day in specs
    ]
    return report_rows(pairs, [day for _, _, day in specs], SYNCED)


def uuids(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, date]]:
    return conn.execute("SELECT uuid, report_date FROM main.meeting_reports ORDER BY 1").fetchall()


@pytest.fixture
def warehouse(duckdb_path: Path) -> DuckDBResource:
    return DuckDBResource(database=str(duckdb_path))


def test_connect_creates_the_typed_tables(warehouse: DuckDBResource) -> None:
    with connect(warehouse) as conn:
        for table in TABLES:
            described = conn.execute(f"DESCRIBE {table.qualified_name}").fetchall()
            spelled = [
                (n, k.replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")) for n, k, *_ in described
            ]
            assert spelled == [(c.name, c.sql_type) for c in table.columns]


def test_connect_creates_the_parent_folder(tmp_path: Path) -> None:
    with connect(DuckDBResource(database=str(tmp_path / "new" / "dir" / "w.duckdb"))) as conn:
        assert count_rows(conn, ZOOM_USERS) == 0


def test_replace_table_swaps_every_row(warehouse: DuckDBResource) -> None:
    with connect(warehouse) as conn:
        replace_table(conn, ZOOM_USERS, user_rows([{"id": "a", "email": "a@x"}], SYNCED))
        users = [{"id": "b", "email": "b@x", "status": "active"}, {"email": "p@x"}]
        assert replace_table(conn, ZOOM_USERS, user_rows(users, SYNCED)) == 2
        keys = conn.execute("SELECT user_key FROM main.zoom_users ORDER BY 1").fetchall()
    assert keys == [("b",), ("p@x",)]


def test_replace_days_touches_only_its_days_and_a_rerun_changes_nothing(
    warehouse: DuckDBResource,
) -> None:
    with connect(warehouse) as conn:
        replace_days(
            conn, MEETING_REPORTS, meetings(("m1", "h", DAY1), ("m2", "h", DAY2)), DAY1, DAY2
        )
        replace_days(conn, MEETING_REPORTS, meetings(("m3", "h", DAY3)), DAY3, DAY3)
        new_day2 = meetings(("m4", "h", DAY2))
        assert replace_days(conn, MEETING_REPORTS, new_day2, DAY2, DAY2) == 1
        after_first = uuids(conn)
        assert replace_days(conn, MEETING_REPORTS, new_day2, DAY2, DAY2) == 1
        assert uuids(conn) == after_first == [("m1", DAY1), ("m3", DAY3), ("m4", DAY2)]
        assert meeting_uuids_on(conn, DAY2) == ["m4"]


def test_meetings_of_a_day_come_largest_first(warehouse: DuckDBResource) -> None:
    counts = {"small": 2, "large": 900, "unknown": None, "middle": 40}
    pairs = [
        ("h", [{"uuid": uuid, "start_time": f"{DAY1}T12:00:00Z", "participants_count": count}])
        for uuid, count in counts.items()
    ]
    with connect(warehouse) as conn:
        replace_days(conn, MEETING_REPORTS, report_rows(pairs, [DAY1], SYNCED), DAY1, DAY1)
        assert meeting_uuids_on(conn, DAY1) == ["unknown", "large", "middle", "small"]


def test_rows_outside_the_days_are_refused_before_anything_is_deleted(
    warehouse: DuckDBResource,
) -> None:
    with connect(warehouse) as conn:
        replace_days(conn, MEETING_REPORTS, meetings(("m1", "h", DAY1)), DAY1, DAY1)
        with pytest.raises(ValueError, match=r"outside 2026-12-01\.\.2026-12-01"):
            replace_days(conn, MEETING_REPORTS, meetings(("m2", "h", DAY2)), DAY1, DAY1)
        assert uuids(conn) == [("m1", DAY1)]


def test_a_failed_insert_rolls_back_the_delete(warehouse: DuckDBResource) -> None:
    with connect(warehouse) as conn:
        replace_days(conn, MEETING_REPORTS, meetings(("m1", "h", DAY1)), DAY1, DAY1)
        broken = meetings(("m2", "h", DAY1))
        broken = broken.set_column(
            broken.schema.get_field_index("raw"), "raw", pa.array(["{not json"])
        )
        with pytest.raises(duckdb.Error):
            replace_days(conn, MEETING_REPORTS, broken, DAY1, DAY1)
        assert uuids(conn) == [("m1", DAY1)]
        # the connection is still usable: the transaction was rolled back, not left open
        replace_days(conn, MEETING_REPORTS, meetings(("m3", "h", DAY1)), DAY1, DAY1)
        assert uuids(conn) == [("m3", DAY1)]


def test_the_file_lock_is_released_even_while_the_error_is_kept(
    warehouse: DuckDBResource, duckdb_path: Path
) -> None:
    kept: list[BaseException] = []
    try:
        with connect(warehouse) as conn:
            conn.execute("SELECT * FROM no_such_table")
    except duckdb.Error as error:
        kept.append(error)  # a traceback that still references the connection's frame
    assert kept
    other_process = subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(duckdb_path)!r}).close()"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert other_process.returncode == 0, other_process.stderr


def test_report_hosts_are_active_and_inactive_users_with_an_id(warehouse: DuckDBResource) -> None:
    users = [
        {"id": "a", "status": "active"},
        {"id": "b", "status": "inactive"},
        {"email": "p@x", "status": "pending"},
    ]
    with connect(warehouse) as conn:
        replace_table(conn, ZOOM_USERS, user_rows(users, SYNCED))
        assert report_host_ids(conn) == ["a", "b"]


def test_a_column_added_to_a_table_declaration_is_added_to_an_existing_file(
    duckdb_path: Path, warehouse: DuckDBResource
) -> None:
    with duckdb.connect(str(duckdb_path)) as conn:
        conn.execute("CREATE TABLE main.zoom_users (user_key VARCHAR, id VARCHAR)")
        conn.execute("INSERT INTO main.zoom_users VALUES ('a', 'a')")
    with connect(warehouse) as conn:
        columns = [name for name, *_ in conn.execute("DESCRIBE main.zoom_users").fetchall()]
        assert columns[:2] == ["user_key", "id"]
        assert set(columns) == {c.name for c in ZOOM_USERS.columns}
        assert count_rows(conn, ZOOM_USERS) == 1


def test_a_preferred_column_writes_each_key_once_whatever_the_order(
    warehouse: DuckDBResource,
) -> None:
    with connect(warehouse) as conn:
        replace_days(
            conn, MEETING_REPORTS, meetings(("old", "H1", DAY1), ("keep", "H1", DAY3)), DAY1, DAY3
        )
        batches = [
            meetings(("shared", "H9", DAY1), ("a", "H9", DAY2), (None, "H9", DAY1)),
            meetings(("shared", "H2", DAY1), ("b", "H2", DAY1), (None, "H2", DAY1)),
        ]
        for order in (batches, batches[::-1]):  # a rerun, batches the other way, ends the same
            rows = pa.concat_tables(order)
            written = replace_days(conn, MEETING_REPORTS, rows, DAY1, DAY2, prefer="host_id")
            assert written == 5  # both meetings without a uuid are kept for the key check
            assert uuids(conn) == [
                ("a", DAY2),
                ("b", DAY1),
                ("keep", DAY3),
                ("shared", DAY1),
                (None, DAY1),
                (None, DAY1),
            ]
            [(host,)] = conn.execute(
                "SELECT host_id FROM main.meeting_reports WHERE uuid = 'shared'"
            ).fetchall()
            assert host == "H2"


def row_groups(conn: duckdb.DuckDBPyConnection) -> int:
    [(count,)] = conn.execute(
        "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('main.meeting_reports')"
    ).fetchall()
    return int(count)


def write_days(open_warehouse: Callable[[], AbstractContextManager]) -> None:
    """Three days written one at a time, each in a connection of its own as the assets write
    them, then the second day rewritten."""
    for uuid, day in (("m1", DAY1), ("m2", DAY2), ("m3", DAY3), ("m4", DAY2)):
        with open_warehouse() as conn:
            replace_days(conn, MEETING_REPORTS, meetings((uuid, "h", day)), day, day)


def test_days_keep_their_own_row_groups_through_later_checkpoints(
    warehouse: DuckDBResource, duckdb_path: Path
) -> None:
    write_days(lambda: connect(warehouse))
    with connect(warehouse) as conn:  # a later write of another table, then a checkpoint
        replace_table(conn, ZOOM_USERS, user_rows([{"id": "a", "email": "a@x"}], SYNCED))
        conn.execute("CHECKPOINT")
        assert row_groups(conn) == 3
        assert uuids(conn) == [("m1", DAY1), ("m3", DAY3), ("m4", DAY2)]


def test_duckdb_on_its_own_would_merge_the_days(duckdb_path: Path) -> None:
    with duckdb.connect(str(duckdb_path)) as conn:
        create_tables(conn)
    write_days(lambda: duckdb.connect(str(duckdb_path)))
    with duckdb.connect(str(duckdb_path)) as conn:
        conn.execute("CHECKPOINT")
        assert row_groups(conn) == 1
