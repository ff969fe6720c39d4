"""`meeting_attendance`: one row per person per meeting, computed in DuckDB from two tables."""

from datetime import date

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from zoom_assets.assets.common import (
    PREVIEW_ROWS,
    daily_zoom_asset,
    key_check_result,
    table_metadata,
)
from zoom_assets.assets.meeting_reports import meeting_reports
from zoom_assets.assets.past_participants import past_participants
from zoom_assets.attendance import ATTENDANCE_SELECT, LENGTH_TOLERANCE_SECONDS
from zoom_assets.partitions import days_in
from zoom_assets.quality import attendance_beyond_meeting
from zoom_assets.storage import connect, count_rows, read_days, replace_days_from_query
from zoom_assets.tables import MEETING_ATTENDANCE

WITHIN_LENGTH = "attended_seconds_within_meeting_length"
WITHIN_LENGTH_SPEC = dg.AssetCheckSpec(
    WITHIN_LENGTH,
    asset=MEETING_ATTENDANCE.name,
    description=(
        "no one attended longer than the meeting lasted (meeting_reports start to end, "
        f"plus {LENGTH_TOLERANCE_SECONDS} s for Zoom's clocks)"
    ),
)


@daily_zoom_asset(
    MEETING_ATTENDANCE, deps=[past_participants, meeting_reports], checks=[WITHIN_LENGTH_SPEC]
)
def meeting_attendance(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """Who attended which meeting, for how long: one row per meeting UUID and person.

    A person is the Zoom user id when signed in, else the e-mail, else the display name
    (`person_kind` says which); attended seconds are the union of the person's sessions, so a
    rejoin's gap is not counted and two devices at once count once. Built in SQL from the same
    days of `past_participants` and `meeting_reports` (see `zoom_assets/attendance.py`), one day
    at a time, each in its own transaction: DuckDB then holds one day's sessions in memory, not a
    whole backfill's. Key (`meeting_uuid`, `person_kind`, `person_key`).
    """
    days = days_in(context.partition_time_window)
    first, last = days[0], days[-1]
    with connect(duckdb) as conn:
        written = sum(
            replace_days_from_query(conn, MEETING_ATTENDANCE, ATTENDANCE_SELECT, day, day)
            for day in days
        )
        row_count = count_rows(conn, MEETING_ATTENDANCE)
        checks = [
            key_check_result(conn, MEETING_ATTENDANCE, first, last),
            _within_length(conn, first, last),
        ]
        preview = read_days(conn, MEETING_ATTENDANCE, first, last, limit=PREVIEW_ROWS)
    context.log.info("meeting_attendance %s..%s: %d rows", first, last, written)
    return dg.MaterializeResult(
        metadata={
            **table_metadata(MEETING_ATTENDANCE, row_count, preview),
            "dagster/partition_row_count": written,
            "days": f"{first}..{last}",
        },
        check_results=checks,
    )


def _within_length(conn: duckdb.DuckDBPyConnection, first: date, last: date) -> dg.AssetCheckResult:
    longer = attendance_beyond_meeting(conn, first, last, LENGTH_TOLERANCE_SECONDS)
    return dg.AssetCheckResult(
        check_name=WITHIN_LENGTH,
        asset_key=MEETING_ATTENDANCE.name,
        passed=longer.ok,
        description=None
        if longer.ok
        else f"{longer.count} people attended longer than the meeting",
        metadata={"failing_rows": longer.count, "examples": longer.examples},
    )
