"""`sync_skips`: every user or meeting a run skips is a row (kind, id, endpoint, Zoom's code and
message, partition, run, first and last seen); a later run that fetches it marks it resolved; a
warning check flags a day that skipped more than the configured share of its meetings."""

from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from zoom_assets.assets import meeting_reports, past_participants, zoom_users
from zoom_assets.emulator import ZoomEmulator
from zoom_assets.settings import DEFAULT_MAX_SKIPPED_SHARE, Settings, SettingsError

TODAY = date(2026, 12, 4)
COLUMNS = (
    "entity_kind, entity_id, endpoint, code, message, partition_key, run_id, first_seen, "
    "last_seen, resolved_at"
)


def skips(path: Path) -> dict[str, dict[str, Any]]:
    with duckdb.connect(str(path), read_only=True) as conn:
        cursor = conn.execute(f"SELECT {COLUMNS} FROM sync_skips")  # noqa: S608
        names = [d[0] for d in cursor.description]
        return {row[1]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def run_day(resources: dict[str, Any], day: date) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [meeting_reports, past_participants], resources=resources, partition_key=day.isoformat()
    )


def share_check(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    [check] = [
        c
        for c in result.get_asset_check_evaluations()
        if c.check_name == "skipped_meetings_within_share"
    ]
    return check


@pytest.fixture
def users_synced(pipeline_resources: dict[str, Any]) -> dict[str, Any]:
    dg.materialize([zoom_users], resources=pipeline_resources)
    return pipeline_resources


def test_a_skipped_meeting_is_logged_then_resolved_by_a_later_run(
    emulator: ZoomEmulator, users_synced: dict[str, Any], duckdb_path: Path
) -> None:
    day = emulator.account.days[1]
    meetings = [m["uuid"] for _, m in emulator.account.meetings_on(day)]
    # More than the default share of the day's meetings, so the check warns.
    gone = meetings[: int(len(meetings) * DEFAULT_MAX_SKIPPED_SHARE) + 1]
    emulator.faults.deleted_meetings = gone

    first = run_day(users_synced, day)
    logged = skips(duckdb_path)
    assert sorted(logged) == sorted(gone)
    row = logged[gone[0]]
    assert (row["entity_kind"], row["endpoint"], row["code"]) == (
        "meeting",
        "past_participants",
        3001,
    )
    assert "Meeting does not exist" in row["message"]
    assert (row["partition_key"], row["run_id"]) == (day.isoformat(), first.run_id)
    assert row["first_seen"] == row["last_seen"] and row["resolved_at"] is None
    check = share_check(first)
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert check.metadata["days_over"].value == {day.isoformat(): f"{len(gone)} of {len(meetings)}"}

    again = run_day(users_synced, day)
    row_again = skips(duckdb_path)[gone[0]]
    assert row_again["first_seen"] == row["first_seen"] < row_again["last_seen"]
    assert row_again["run_id"] == again.run_id and row_again["resolved_at"] is None

    emulator.faults.deleted_meetings = []
    fixed = run_day(users_synced, day)
    resolved = skips(duckdb_path)
    assert sorted(resolved) == sorted(gone)  # the history stays, marked resolved
    assert all(r["resolved_at"] is not None for r in resolved.values())
    assert resolved[gone[0]]["last_seen"] == row_again["last_seen"]
    assert share_check(fixed).passed


def test_a_host_zoom_no_longer_knows_is_logged_for_the_range(
    emulator: ZoomEmulator, users_synced: dict[str, Any], duckdb_path: Path
) -> None:
    first, last = emulator.account.days[0], emulator.account.days[-1]
    gone = emulator.account.user_ids_with_reports()[-1]
    emulator.faults.deleted_users = [gone]
    result = dg.materialize(
        [meeting_reports],
        resources=users_synced,
        tags={
            "dagster/asset_partition_range_start": first.isoformat(),
            "dagster/asset_partition_range_end": last.isoformat(),
        },
    )
    row = skips(duckdb_path)[gone]
    assert (row["entity_kind"], row["endpoint"], row["code"]) == ("user", "report_meetings", 1001)
    assert row["partition_key"] == f"{first}...{last}" and row["run_id"] == result.run_id

    emulator.faults.deleted_users = []
    run_day(users_synced, last)
    assert skips(duckdb_path)[gone]["resolved_at"] is not None


def test_a_day_without_skips_passes_the_share_check(
    emulator: ZoomEmulator, users_synced: dict[str, Any], duckdb_path: Path
) -> None:
    result = run_day(users_synced, emulator.account.days[0])
    assert share_check(result).passed
    assert skips(duckdb_path) == {}


@pytest.mark.parametrize(("value", "share"), [("0", 0.0), ("0.25", 0.25), ("1", 1.0)])
def test_the_share_is_read_from_the_environment(value: str, share: float) -> None:
    env = {"ZOOM_MAX_SKIPPED_MEETING_SHARE": value}
    assert Settings.from_env(env, today=TODAY).max_skipped_share == share
    assert Settings.from_env({}, today=TODAY).max_skipped_share == DEFAULT_MAX_SKIPPED_SHARE


@pytest.mark.parametrize("value", ["-0.1", "1.5", "ten percent", "nan"])
def test_a_bad_share_names_the_variable(value: str) -> None:
    with pytest.raises(SettingsError, match="ZOOM_MAX_SKIPPED_MEETING_SHARE"):
        Settings.from_env({"ZOOM_MAX_SKIPPED_MEETING_SHARE": value}, today=TODAY)
