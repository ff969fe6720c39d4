"""`meeting_reports`: each UTC day's meetings from every active and inactive host's report."""

from datetime import UTC, date, datetime

import dagster as dg
import pyarrow as pa
from dagster_duckdb import DuckDBResource

from zoom_assets.assets.common import (
    api_metadata,
    daily_zoom_asset,
    key_check_result,
    stats_delta,
    table_metadata,
    zoom_failures,
)
from zoom_assets.assets.overlap import fetch_then_write
from zoom_assets.assets.progress import Progress
from zoom_assets.assets.skips import host_reports, record_skips
from zoom_assets.assets.zoom_users import zoom_users
from zoom_assets.partitions import days_in, report_chunks, too_old_message
from zoom_assets.resources import ZoomResource
from zoom_assets.rows import report_rows
from zoom_assets.storage import connect, count_rows, replace_days, report_host_ids
from zoom_assets.tables import MEETING_REPORTS
from zoom_assets.zoom import UserReports


@daily_zoom_asset(MEETING_REPORTS, deps=[zoom_users])
def meeting_reports(
    context: dg.AssetExecutionContext, zoom: ZoomResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """Meetings (with two or more participants) that started on the partition's UTC day.

    One report request per host per window of up to a month covers the run's days (a backfill
    runs as one run), padded by a day each side because Zoom does not say in which time zone it
    reads the dates; the days are written one window at a time, each while the next window is
    fetched, so a backfill stopped by the daily quota keeps the windows it finished and says
    which days are left; meetings are kept by the UTC date of `start_time`. `host_id` is the user
    whose report listed the meeting: Zoom's report rows do not carry it. Key `uuid`. Hosts Zoom no
    longer knows are skipped and logged in `sync_skips`.
    """
    days = days_in(context.partition_time_window)
    first, last = days[0], days[-1]
    today = datetime.now(UTC).date()
    too_old = too_old_message(first, today)
    if too_old:
        raise dg.Failure(too_old, allow_retries=False)
    with connect(duckdb) as conn:
        hosts = report_host_ids(conn)
    if not hosts:
        raise dg.Failure(
            "zoom_users has no active or inactive user: materialize zoom_users first.",
            allow_retries=False,
        )
    before = zoom.client.stats.snapshot()
    progress = Progress(days)

    def fetch(chunk: list[date]) -> list[UserReports]:
        return list(zoom.client.reports_for_users(hosts, chunk[0], chunk[-1]))

    def write(chunk: list[date], reports: list[UserReports]) -> pa.Table:
        rows = report_rows(
            ((r.user_id, r.meetings) for r in reports), chunk, synced_at=datetime.now(UTC)
        )
        with connect(duckdb) as conn:
            replace_days(conn, MEETING_REPORTS, rows, chunk[0], chunk[-1])
            skipped = zoom.client.stats.snapshot()["skipped"]
            attempt = host_reports(hosts, chunk[0], chunk[-1])
            record_skips(conn, attempt, skipped, context.run.run_id)
        progress.wrote(chunk)
        return rows

    with zoom_failures(progress):
        for rows in fetch_then_write(report_chunks(days, today), fetch, write):
            context.log.info("meeting_reports: a window of %d meetings written", rows.num_rows)
    with connect(duckdb) as conn:
        written = count_rows(conn, MEETING_REPORTS, first, last)
        row_count = count_rows(conn, MEETING_REPORTS)
        check = key_check_result(conn, MEETING_REPORTS, first, last)
    context.log.info(
        "meeting_reports %s..%s: %d meetings of %d hosts", first, last, written, len(hosts)
    )
    return dg.MaterializeResult(
        metadata={
            **table_metadata(MEETING_REPORTS, row_count, rows),
            "dagster/partition_row_count": written,
            "days": f"{first}..{last}",
            "hosts_asked": len(hosts),
            **api_metadata(
                stats_delta(before, zoom.client.stats.snapshot()), zoom.client.daily_quota()
            ),
        },
        check_results=[check],
    )
