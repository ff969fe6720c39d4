"""The daily schedule asks for the right days in one run, and that run syncs them in one pass."""

from datetime import UTC, datetime, time, timedelta
from typing import Any

import dagster as dg
import duckdb

from zoom_assets.assets import ASSETS
from zoom_assets.automation import (
    RANGE_END,
    RANGE_START,
    daily_sync_job,
    daily_sync_schedule,
    freshness_sensor,
)
from zoom_assets.emulator import ZoomEmulator
from zoom_assets.partitions import DAILY


def tick(day_offset: int) -> dg.ScheduleEvaluationContext:
    """A schedule context at 03:15 UTC, `day_offset` days from today."""
    today = datetime.now(UTC).date() + timedelta(days=day_offset)
    return dg.build_schedule_context(
        scheduled_execution_time=datetime.combine(today, time(3, 15), tzinfo=UTC)
    )


def test_a_tick_syncs_yesterday_and_the_two_days_before_in_one_run() -> None:
    context = tick(0)
    [request] = daily_sync_schedule.evaluate_tick(context).run_requests
    yesterday = context.scheduled_execution_time.date() - timedelta(days=1)
    assert request.tags[RANGE_START] == (yesterday - timedelta(days=2)).isoformat()
    assert request.tags[RANGE_END] == yesterday.isoformat()
    assert request.partition_key is None  # a range, not one day


def test_the_range_never_starts_before_the_first_partition() -> None:
    first = DAILY.start.date()
    days_after_start = (first - datetime.now(UTC).date()).days
    [request] = daily_sync_schedule.evaluate_tick(tick(days_after_start + 2)).run_requests
    assert request.tags[RANGE_START] == first.isoformat()
    assert request.tags[RANGE_END] == (first + timedelta(days=1)).isoformat()
    skipped = daily_sync_schedule.evaluate_tick(tick(days_after_start))
    assert skipped.run_requests == [] and skipped.skip_message


def test_the_schedule_and_the_freshness_sensor_run_by_default() -> None:
    assert daily_sync_schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert freshness_sensor.default_status == dg.DefaultSensorStatus.RUNNING


def freshness(instance: dg.DagsterInstance) -> dict[str, bool]:
    """The freshness sensor's reported evaluations, as '<asset>:<check>' -> passed."""
    result = freshness_sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
    assert result.run_requests == []  # it reports results; it launches nothing
    return {f"{e.asset_key.to_user_string()}:{e.check_name}": e.passed for e in result.asset_events}


def test_the_scheduled_run_refreshes_users_and_three_days_with_one_request_per_host(
    emulator: ZoomEmulator, pipeline_resources: dict[str, Any], duckdb_path: Any
) -> None:
    [request] = daily_sync_schedule.evaluate_tick(tick(0)).run_requests
    job = dg.Definitions(
        assets=ASSETS, jobs=[daily_sync_job], resources=pipeline_resources
    ).resolve_job_def(daily_sync_job.name)
    with dg.instance_for_test() as instance:
        assert not any(freshness(instance).values())
        result = job.execute_in_process(tags=request.tags, instance=instance)
        assert freshness(instance) == {
            "zoom_users:updated_within_26_hours": True,
            "meeting_reports:latest_day_within_two_days": True,
            "past_participants:latest_day_within_two_days": True,
            "meeting_attendance:latest_day_within_two_days": True,
        }
    assert result.success
    hosts = emulator.account.user_ids_with_reports()
    assert sum(emulator.stats()["requests"]["report_meetings"].values()) == len(hosts)
    days = emulator.account.days[-3:]
    expected = sorted(m["uuid"] for d in days for _, m in emulator.account.meetings_on(d))
    with duckdb.connect(str(duckdb_path), read_only=True) as conn:
        uuids = [
            u for (u,) in conn.execute("SELECT uuid FROM meeting_reports ORDER BY 1").fetchall()
        ]
        [(users,)] = conn.execute("SELECT count(*) FROM zoom_users").fetchall()
    assert uuids == expected
    assert users == len(emulator.account.users())


def test_sensor_results_are_stored_as_check_executions_as_the_daemon_stores_them() -> None:
    with dg.instance_for_test() as instance:
        result = freshness_sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        for event in result.asset_events:  # what the sensor daemon does with them
            instance.report_runless_asset_event(event)
        key = dg.AssetCheckKey(dg.AssetKey("zoom_users"), "updated_within_26_hours")
        [record] = instance.event_log_storage.get_asset_check_execution_history(key, limit=5)
    assert record.status.value == "FAILED"
    assert record.event.dagster_event.event_specific_data.description == "never materialized"
