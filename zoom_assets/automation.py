"""The daily sync schedule, and the sensor that evaluates the freshness checks.

Schedules rather than automation conditions: one explicit, testable tick a day. Zoom fills reports
in late, so each tick re-syncs the two days before yesterday as well, as one run over a three-day
range (the daily assets use a single-run backfill policy, so that is one report request per host).
"""

from datetime import UTC, date, datetime, timedelta

import dagster as dg

from zoom_assets.assets import ASSETS
from zoom_assets.checks import freshness_evaluations
from zoom_assets.partitions import DAILY

RESYNC_DAYS = 3
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"

daily_sync_job = dg.define_asset_job(
    "zoom_daily_sync",
    selection=dg.AssetSelection.assets(*ASSETS),
    description=(
        "zoom_users, then meeting_reports, past_participants and meeting_attendance for a range "
        "of days"
    ),
)


def sync_range(tick: datetime) -> tuple[date, date] | None:
    """The days a tick syncs: yesterday (UTC) and the days before it, never before the first."""
    last = tick.astimezone(UTC).date() - timedelta(days=1)
    first = max(last - timedelta(days=RESYNC_DAYS - 1), DAILY.start.date())
    return None if last < first else (first, last)


@dg.schedule(
    job=daily_sync_job,
    cron_schedule="15 3 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def daily_sync_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    """Every day at 03:15 UTC: users, then the last three finished days in one run."""
    days = sync_range(context.scheduled_execution_time)
    if days is None:
        return dg.SkipReason("no finished day since the first partition yet")
    first, last = days
    return dg.RunRequest(
        run_key=f"sync-{first}-{last}",
        tags={RANGE_START: first.isoformat(), RANGE_END: last.isoformat()},
    )


@dg.sensor(minimum_interval_seconds=3600, default_status=dg.DefaultSensorStatus.RUNNING)
def freshness_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """Evaluates the freshness checks once an hour and reports their results; launches no run."""
    return dg.SensorResult(asset_events=freshness_evaluations(context.instance, datetime.now(UTC)))
