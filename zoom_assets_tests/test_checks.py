"""Checks pass on a faithful sync, and fail with counts and examples on deliberately broken data."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from zoom_assets.assets import ASSETS
from zoom_assets.assets.common import key_check_result
from zoom_assets.checks import (
    FRESHNESS_CHECKS,
    QUALITY_CHECKS,
    latest_day_recent,
    updated_recently,
)
from zoom_assets.emulator import ZoomEmulator
from zoom_assets.storage import connect
from zoom_assets.tables import MEETING_REPORTS

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def instance() -> Any:
    with dg.instance_for_test() as instance:
        yield instance


def run_checks(
    checks: list[dg.AssetChecksDefinition], resources: dict[str, Any], instance: Any
) -> dict[str, dg.AssetCheckEvaluation]:
    """Run only the given checks; their evaluations by '<asset>:<check>'."""
    result = dg.materialize(
        [*ASSETS, *checks],
        selection=dg.AssetSelection.checks(*checks),
        resources=resources,
        instance=instance,
    )
    return {
        f"{e.asset_key.to_user_string()}:{e.check_name}": e
        for e in result.get_asset_check_evaluations()
    }


@pytest.fixture
def synced(
    emulator: ZoomEmulator, pipeline_resources: dict[str, Any], instance: Any
) -> dg.ExecuteInProcessResult:
    """One run, as the daily schedule makes: users, then every emulated day, then all checks."""
    days = emulator.account.days
    return dg.materialize(
        [*ASSETS, *QUALITY_CHECKS, *FRESHNESS_CHECKS],
        resources=pipeline_resources,
        instance=instance,
        tags={
            "dagster/asset_partition_range_start": days[0].isoformat(),
            "dagster/asset_partition_range_end": days[-1].isoformat(),
        },
    )


def test_every_check_passes_after_a_faithful_sync(synced: dg.ExecuteInProcessResult) -> None:
    evaluations = synced.get_asset_check_evaluations()
    names = {f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations}
    assert names == {
        "zoom_users:key_is_unique_and_not_null",
        "meeting_reports:key_is_unique_and_not_null",
        "past_participants:key_is_unique_and_not_null",
        "past_participants:participants_belong_to_meetings",
        "meeting_reports:report_hosts_are_known_users",
        "zoom_users:updated_within_26_hours",
        "meeting_reports:latest_day_within_two_days",
        "past_participants:latest_day_within_two_days",
        "past_participants:skipped_meetings_within_share",
        "meeting_attendance:latest_day_within_two_days",
        "meeting_attendance:key_is_unique_and_not_null",
        "meeting_attendance:attended_seconds_within_meeting_length",
    }
    assert [e for e in evaluations if not e.passed] == []


def test_reference_checks_fail_on_orphans_with_count_and_examples(
    synced: Any, pipeline_resources: dict[str, Any], instance: Any, duckdb_path: Path
) -> None:
    with duckdb.connect(str(duckdb_path)) as conn:
        conn.execute(
            "INSERT INTO past_participants (meeting_uuid, user_id) "
            "VALUES ('gone==', '1'), ('gone==', '2')"
        )
        conn.execute(
            "UPDATE meeting_reports SET host_id = 'nobody' "
            "WHERE uuid = (SELECT min(uuid) FROM meeting_reports)"
        )
    evaluations = run_checks(QUALITY_CHECKS, pipeline_resources, instance)
    orphans = evaluations["past_participants:participants_belong_to_meetings"]
    assert not orphans.passed
    assert orphans.severity == dg.AssetCheckSeverity.ERROR
    assert orphans.metadata["failing_rows"].value == 2
    assert orphans.metadata["examples"].value == ["gone== / 1", "gone== / 2"]
    hosts = evaluations["meeting_reports:report_hosts_are_known_users"]
    assert not hosts.passed
    assert hosts.severity == dg.AssetCheckSeverity.WARN
    assert hosts.metadata["failing_rows"].value == 1
    assert hosts.description == "1 meeting reports whose host is not in zoom_users"


def test_key_check_fails_on_duplicate_and_missing_keys(duckdb_path: Path) -> None:
    day = date(2026, 12, 1)
    with connect(DuckDBResource(database=str(duckdb_path))) as conn:
        conn.execute(
            "INSERT INTO meeting_reports (uuid, report_date) "
            "VALUES ('a', ?), ('a', ?), ('b', ?), (NULL, ?), ('', ?), ('c', ?)",
            [day, day, day, day, day, day + timedelta(days=1)],
        )
        result = key_check_result(conn, MEETING_REPORTS, day, day)
        next_day = key_check_result(
            conn, MEETING_REPORTS, day + timedelta(days=1), day + timedelta(days=1)
        )
    assert not result.passed
    assert result.metadata["duplicate_rows"].value == 2  # both rows sharing 'a'
    assert result.metadata["duplicate_key_examples"].value == ["a"]
    assert result.metadata["rows_without_key"].value == 2
    assert next_day.passed


def test_freshness_checks_fail_when_nothing_was_ever_synced(
    pipeline_resources: dict[str, Any], instance: Any
) -> None:
    evaluations = run_checks(FRESHNESS_CHECKS, pipeline_resources, instance)
    assert len(evaluations) == 4
    assert not any(e.passed for e in evaluations.values())


@pytest.mark.parametrize(
    ("age", "passed"),
    [(timedelta(hours=25, minutes=59), True), (timedelta(hours=26, minutes=1), False)],
)
def test_users_must_be_updated_within_26_hours(age: timedelta, passed: bool) -> None:
    assert updated_recently(NOW - age, NOW).passed is passed


@pytest.mark.parametrize(
    ("keys", "passed"),
    [
        (["2026-11-01", "2026-12-03"], True),
        (["2026-12-02"], True),
        (["2026-12-01", "2026-11-30"], False),
        ([], False),
    ],
)
def test_the_latest_day_must_be_at_most_two_days_old(keys: list[str], passed: bool) -> None:
    assert latest_day_recent(keys, NOW.date()).passed is passed
