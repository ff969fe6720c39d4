"""`meeting_reports`: each UTC day's meetings from every active and inactive host's report."""

from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime
from typing import Any

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
from zoom_assets.assets.overlap import fetch_then_write
from zoom_assets.assets.progress import Progress
from zoom_assets.assets.skips import host_reports, record_skips
from zoom_assets.assets.zoom_users import zoom_users
from zoom_assets.partitions import days_in, report_chunks, too_old_message
from zoom_assets.resources import ZoomResource
from zoom_assets.rows import report_rows
from zoom_assets.spool import DaySpool, day_spool
from zoom_assets.storage import connect, count_rows, read_days, replace_days, report_host_ids
from zoom_assets.tables import MEETING_REPORTS
from zoom_assets.zoom import UserReports

# Meetings (of the padded window) shaped and spooled at a time: far fewer than a day of a large
# account holds, so memory does not grow with the window or the account.
BATCH_MEETINGS = 2_000


def report_batches(reports: Iterable[UserReports]) -> Iterator[list[UserReports]]:
    """Hosts' reports in arrival order, cut into batches of about BATCH_MEETINGS meetings."""
    batch: list[UserReports] = []
    meetings = 0
    for report in reports:
        batch.append(report)
        meetings += len(report.meetings)
        if meetings >= BATCH_MEETINGS:
            yield batch
            batch, meetings = [], 0
    if batch:
        yield batch


@daily_zoom_asset(MEETING_REPORTS, deps=[zoom_users])
def meeting_reports(
    context: dg.AssetExecutionContext, zoom: ZoomResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """Meetings (with two or more participants) that started on the partition's UTC day.

    One report request per host per window of up to a month covers the run's days (a backfill runs
    as one run), padded by a day each side because Zoom does not say in which time zone it reads the
    dates. A window's meetings are shaped a batch of hosts at a time and spooled to disk by day,
    each batch while the next is fetched, so memory holds a batch, not the window. The window's
    days are then written one transaction each while the next window is fetched, so a backfill
    stopped by the daily quota keeps the days it finished, says which are left, and leaves the
    others as they were. Meetings are kept by the UTC date of `start_time`. `host_id` is the user
    whose report listed the meeting (Zoom's report rows do not carry it); of two hosts listing one
    meeting, the smaller id is kept. Key `uuid`. Hosts Zoom no longer knows are skipped and logged
    in `sync_skips`.
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

    def spool_window(chunk: list[date]) -> tuple[DaySpool, list[dict[str, Any]]]:
        """Fetch a window's reports and spool them batch by batch, each batch while the next is
        fetched; returns the spool and the hosts skipped so far, read before the next window."""
        synced_at = datetime.now(UTC)
        reports = zoom.client.reports_for_users(hosts, chunk[0], chunk[-1])
        spool = spools.enter_context(day_spool(MEETING_REPORTS, chunk[0], chunk[-1]))

        def shape(batch: list[UserReports]) -> pa.Table:
            return report_rows(((r.user_id, r.meetings) for r in batch), chunk, synced_at)

        for _ in fetch_then_write(
            report_batches(reports), shape, lambda _, rows: spool.append(rows)
        ):
            pass
        return spool, zoom.client.stats.snapshot()["skipped"]

    def write_window(chunk: list[date], spooled: tuple[DaySpool, list[dict[str, Any]]]) -> int:
        """Write a spooled window day by day, on the writer thread while the next is fetched."""
        spool, skipped = spooled
        written = 0
        for day in chunk:  # a connection per day, so that each day keeps row groups of its own
            with connect(duckdb) as conn:
                rows = spool.pop(day)
                written += replace_days(conn, MEETING_REPORTS, rows, day, day, prefer="host_id")
            progress.wrote([day])
        with connect(duckdb) as conn:
            attempt = host_reports(hosts, chunk[0], chunk[-1])
            record_skips(conn, attempt, skipped, context.run.run_id)
        return written

    # Every window's spool is removed when the step ends, whether or not it was written.
    with ExitStack() as spools, zoom_failures(progress):
        windows = report_chunks(days, today)
        for meetings in fetch_then_write(windows, spool_window, write_window):
            context.log.info("meeting_reports: a window of %d meetings written", meetings)
    with connect(duckdb) as conn:
        written = count_rows(conn, MEETING_REPORTS, first, last)
        row_count = count_rows(conn, MEETING_REPORTS)
        check = key_check_result(conn, MEETING_REPORTS, first, last)
        preview = read_days(conn, MEETING_REPORTS, first, last, limit=PREVIEW_ROWS)
    context.log.info(
        "meeting_reports %s..%s: %d meetings of %d hosts", first, last, written, len(hosts)
    )
    return dg.MaterializeResult(
        metadata={
            **table_metadata(MEETING_REPORTS, row_count, preview),
            "dagster/partition_row_count": written,
            "days": f"{first}..{last}",
            "hosts_asked": len(hosts),
            **api_metadata(
                stats_delta(before, zoom.client.stats.snapshot()), zoom.client.daily_quota()
            ),
        },
        check_results=[check],
    )
