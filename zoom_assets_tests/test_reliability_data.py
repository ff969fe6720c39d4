"""What Zoom's data does under the pipeline's feet: a user deleted between the user listing and
their report (1001), a meeting deleted before its participants are fetched (3001), a page token
that expires halfway through a long listing, and schema drift. Each run still ends with tables
equal to what Zoom holds."""

from pathlib import Path

import dagster as dg

from zoom_assets.assets import zoom_users
from zoom_assets.emulator import ZoomEmulator
from zoom_assets.emulator.routes import DRIFT_ADDED, DRIFT_DROPPED
from zoom_assets_tests.sync_harness import (
    assert_synced,
    differences,
    expected_tables,
    requests_to,
    resources,
    sync,
    when,
)


def metadata(result: dg.ExecuteInProcessResult, step: str) -> dict:
    return result.asset_materializations_for_node(step)[0].metadata


def test_a_user_deleted_between_listing_and_report_is_skipped_and_counted(
    tmp_path: Path,
) -> None:
    with ZoomEmulator(seed=8, users=10, days=3) as emu:
        days = emu.account.days
        host = next(h for day in days for h, _ in emu.account.meetings_on(day))
        delete = lambda: emu.faults.deleted_users.append(host)  # noqa: E731
        with when(lambda: requests_to(emu, "users") >= 3, delete) as fired:
            result = sync(resources(emu, tmp_path / "zoom.duckdb"), days[0], days[-1])
        assert fired.is_set() and result.success
        assert requests_to(emu, "report_meetings", "404") == 1
        reports = metadata(result, "meeting_reports")
        assert reports["skipped_count"].value == 1
        assert reports["skipped_sample"].value == [{"kind": "user", "id": host, "code": 1001}]
        assert_synced(emu, tmp_path / "zoom.duckdb", days, gone_users=[host])


def test_a_meeting_deleted_before_its_participants_is_skipped_and_counted(
    tmp_path: Path,
) -> None:
    with ZoomEmulator(seed=8, users=10, days=3) as emu:
        days = emu.account.days
        _, meeting = emu.account.meetings_on(days[1])[0]
        emu.faults.deleted_meetings = [meeting["uuid"]]
        result = sync(resources(emu, tmp_path / "zoom.duckdb"), days[0], days[-1])
        assert result.success
        participants = metadata(result, "past_participants")
        assert participants["skipped_count"].value == 1
        assert participants["skipped_sample"].value == [
            {"kind": "meeting", "id": meeting["uuid"], "code": 3001}
        ]
        assert_synced(emu, tmp_path / "zoom.duckdb", days, gone_meetings=[meeting["uuid"]])


def test_a_page_token_expiring_mid_listing_restarts_it_without_duplicates(
    tmp_path: Path,
) -> None:
    # 700 users: the active ones take three pages of 300, so the listing has tokens to expire.
    with ZoomEmulator(seed=8, users=700, days=1) as emu:
        db_path = tmp_path / "zoom.duckdb"
        emu.faults.expire_next_page_token_once = True
        result = dg.materialize([zoom_users], resources=resources(emu, db_path))
        assert result.success
        assert requests_to(emu, "users", "400") == 1
        users = {"zoom_users": expected_tables(emu, emu.account.days)["zoom_users"]}
        assert users["zoom_users"].num_rows == 700
        assert differences(db_path, users) == {}


def test_schema_drift_keeps_the_new_field_in_raw_and_the_dropped_one_null(
    tmp_path: Path,
) -> None:
    def drifted(kind: str, record: dict) -> dict:
        record.pop(DRIFT_DROPPED[kind], None)
        return {**record, DRIFT_ADDED[0]: DRIFT_ADDED[1]}

    with ZoomEmulator(seed=8, users=10, days=2) as emu:
        emu.faults.schema_drift = True
        days = emu.account.days
        result = sync(resources(emu, tmp_path / "zoom.duckdb"), days[0], days[-1])
        assert result.success
        # Every row equals Zoom's drifted record: the new field in raw, the dropped column NULL.
        assert_synced(emu, tmp_path / "zoom.duckdb", days, shape=drifted)
