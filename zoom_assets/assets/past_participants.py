"""`past_participants`: the participants of each meeting in a day's `meeting_reports`."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import dagster as dg
import pyarrow as pa
from dagster_duckdb import DuckDBResource

from zoom_assets.assets.common import (
    PREVIEW_ROWS,
    api_metadata,
    daily_zoom_asset,
    key_check_result,
    stats_delta,
    table_metadata,
    zoom_failures,
)
from zoom_assets.assets.meeting_reports import meeting_reports
from zoom_assets.assets.overlap import write_behind
from zoom_assets.assets.progress import Progress
from zoom_assets.assets.skips import (
    SKIP_SHARE_SPEC,
    meeting_participants,
    record_skips,
    skip_share_result,
)
from zoom_assets.partitions import days_in
from zoom_assets.resources import ZoomResource
from zoom_assets.rows import participant_rows
from zoom_assets.storage import connect, count_rows, meeting_uuids_on, replace_days
from zoom_assets.tables import PAST_PARTICIPANTS
from zoom_assets.zoom import MeetingParticipants


@dataclass(frozen=True)
class Written:
    """One day written: its row count, and a few of its rows for the metadata preview (a copy,
    so that the day's table itself is freed once written)."""

    day: date
    rows: int
    meetings: int
    preview: pa.Table

    def log(self, context: dg.AssetExecutionContext) -> None:
        """Logged from the step's own thread, not the writer's."""
        context.log.info(
            "past_participants %s: %d rows, %d meetings", self.day, self.rows, self.meetings
        )


@daily_zoom_asset(PAST_PARTICIPANTS, deps=[meeting_reports], checks=[SKIP_SHARE_SPEC])
def past_participants(
    context: dg.AssetExecutionContext, zoom: ZoomResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """One row per participant session of each meeting held on the partition's UTC day.

    Key (`meeting_uuid`, `user_id`): a participant who rejoins gets a new `user_id` and a new row,
    as in Zoom. Days are written one at a time (one transaction each), each while the next day is
    fetched, so a long backfill holds about two days of participants in memory, not the whole range.
    The days' meetings feed one stream of requests, so the rate limit stays busy across the boundary
    between two days. A failure keeps the days already written and leaves the others as they were.
    Meetings Zoom no longer serves are skipped, listed in the metadata and logged in `sync_skips`; a
    warning check flags a day that skipped more than ZOOM_MAX_SKIPPED_MEETING_SHARE of its meetings.
    """
    days = days_in(context.partition_time_window)
    before = zoom.client.stats.snapshot()
    rows_per_day: dict[str, int] = {}
    progress = Progress(days)

    asked: dict[date, list[str]] = {}  # each day's meetings, from reading until written

    def meetings_by_day() -> Iterator[tuple[date, list[str]]]:
        for day in days:
            with connect(duckdb) as conn:
                asked[day] = meeting_uuids_on(conn, day)
            yield day, asked[day]

    def write(day: date, found: list[MeetingParticipants]) -> Written:
        uuids = asked.pop(day)
        rows = participant_rows(
            ((m.meeting_uuid, m.participants) for m in found), day, synced_at=datetime.now(UTC)
        )
        with connect(duckdb) as conn:
            rows_per_day[day.isoformat()] = replace_days(conn, PAST_PARTICIPANTS, rows, day, day)
            skipped = zoom.client.stats.snapshot()["skipped"]
            record_skips(conn, meeting_participants(uuids, day), skipped, context.run.run_id)
        progress.wrote([day])
        preview = pa.Table.from_pylist(rows.slice(0, PREVIEW_ROWS).to_pylist(), rows.schema)
        return Written(day, rows.num_rows, len(uuids), preview)

    fetched = zoom.client.participants_by_group(meetings_by_day())
    with zoom_failures(progress):
        for last in write_behind(fetched, write):
            last.log(context)
    with connect(duckdb) as conn:
        row_count = count_rows(conn, PAST_PARTICIPANTS)
        checks = [
            key_check_result(conn, PAST_PARTICIPANTS, days[0], days[-1]),
            skip_share_result(conn, days[0], days[-1]),
        ]
    return dg.MaterializeResult(
        metadata={
            **table_metadata(PAST_PARTICIPANTS, row_count, last.preview),
            "dagster/partition_row_count": sum(rows_per_day.values()),
            "rows_per_day": dg.MetadataValue.json(rows_per_day),
            **api_metadata(
                stats_delta(before, zoom.client.stats.snapshot()), zoom.client.daily_quota()
            ),
        },
        check_results=checks,
    )
