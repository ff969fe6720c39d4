"""The three assets against the emulator over real HTTP, into a DuckDB file, compared with the
emulator's own account: every user, report and participant, each once; reruns change nothing."""

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from zoom_assets.assets import ASSETS, meeting_reports, past_participants, zoom_users
from zoom_assets.emulator import ZoomEmulator
from zoom_assets.resources import ZoomResource
from zoom_assets.rows import as_timestamp

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def materialize_days(
    resources: dict[str, Any], first: date, last: date, **kwargs: Any
) -> dg.ExecuteInProcessResult:
    """meeting_reports then past_participants for first..last, as one single-run backfill does."""
    return dg.materialize(
        [meeting_reports, past_participants],
        resources=resources,
        tags={RANGE_START: first.isoformat(), RANGE_END: last.isoformat()},
        **kwargs,
    )


def resources_for(
    emu: ZoomEmulator,
    duckdb_path: Any,
    secret: str = "emu-secret",  # noqa: S107 (emulator's)
) -> dict[str, Any]:
    """Resources for an emulator from `emulator_factory`: its default credentials, or `secret`."""
    zoom = ZoomResource(
        account_id="emu-account",
        client_id="emu-client",
        client_secret=secret,
        api_base_url=emu.base_url,
        token_url=emu.token_url,
        rate_plan="business_plus",
    )
    return {"zoom": zoom, "duckdb": DuckDBResource(database=str(duckdb_path))}


def table(path: str, sql: str) -> list[tuple]:
    with duckdb.connect(path, read_only=True) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def synced(
    emulator: ZoomEmulator, pipeline_resources: dict[str, Any]
) -> tuple[dg.ExecuteInProcessResult, dg.ExecuteInProcessResult]:
    """Users, then every emulated day in one range run."""
    users = dg.materialize([zoom_users], resources=pipeline_resources)
    days = emulator.account.days
    return users, materialize_days(pipeline_resources, days[0], days[-1])


def test_tables_hold_exactly_the_emulated_account(
    emulator: ZoomEmulator, synced: Any, duckdb_path: Any
) -> None:
    path = str(duckdb_path)
    account = emulator.account
    users = table(path, "SELECT user_key, id, status FROM zoom_users")
    expected_users = [
        (u.get("id") or u["email"], u.get("id"), u["status"]) for u in account.users()
    ]
    assert sorted(users) == sorted(expected_users)
    assert {status for _, _, status in users} == {"active", "inactive", "pending"}

    truth = [(host, m) for day in emulator.account.days for host, m in account.meetings_on(day)]
    reports = table(path, "SELECT uuid, host_id, report_date, start_time, raw FROM meeting_reports")
    assert sorted((u, h) for u, h, *_ in reports) == sorted((m["uuid"], h) for h, m in truth)
    by_uuid = {m["uuid"]: m for _, m in truth}
    for uuid, _, report_date, start_time, raw in reports:
        assert json.loads(raw) == by_uuid[uuid]
        assert start_time == as_timestamp(by_uuid[uuid]["start_time"])
        assert report_date == start_time.date()

    participants = table(path, "SELECT meeting_uuid, user_id FROM past_participants")
    expected = [
        (m["uuid"], p["user_id"]) for _, m in truth for p in account.participants(m["uuid"])
    ]
    assert len(expected) > len(truth) > 0
    assert sorted(participants) == sorted(expected)


def test_one_report_request_per_host_for_a_multi_day_range(
    emulator: ZoomEmulator, synced: Any
) -> None:
    requests = emulator.stats()["requests"]
    hosts = emulator.account.user_ids_with_reports()
    assert sum(requests["report_meetings"].values()) == len(hosts)
    meetings = sum(len(emulator.account.meetings_on(d)) for d in emulator.account.days)
    assert sum(requests["past_participants"].values()) == meetings


def test_materializations_carry_table_and_api_metadata(emulator: ZoomEmulator, synced: Any) -> None:
    users_result, days_result = synced
    [users] = users_result.asset_materializations_for_node("zoom_users")
    assert users.metadata["dagster/row_count"].value == len(emulator.account.users())
    assert users.metadata["dagster/table_name"].value == "main.zoom_users"
    reports = days_result.asset_materializations_for_node("meeting_reports")
    assert len(reports) == 5  # one event per partition of the range
    metadata = reports[0].metadata
    truth = sum(len(emulator.account.meetings_on(d)) for d in emulator.account.days)
    assert metadata["dagster/partition_row_count"].value == truth
    assert metadata["api_requests_by_endpoint"].value == {
        "report_meetings": len(emulator.account.user_ids_with_reports())
    }
    schema = metadata["dagster/column_schema"].value
    assert {"uuid", "host_id", "report_date", "raw"} <= {c.name for c in schema.columns}
    preview = metadata["preview"].value
    assert "@" not in preview and "user_email" not in preview and "topic" not in preview
    checks = days_result.get_asset_check_evaluations()
    assert len(checks) == 3 and all(check.passed for check in checks)


def test_a_rerun_of_one_partition_changes_nothing(
    emulator: ZoomEmulator, pipeline_resources: dict[str, Any], synced: Any, duckdb_path: Any
) -> None:
    snapshot = "SELECT * EXCLUDE (synced_at) FROM {} ORDER BY ALL"
    before = {
        name: table(str(duckdb_path), snapshot.format(name))
        for name in ("meeting_reports", "past_participants")
    }
    day = emulator.account.days[2].isoformat()
    result = dg.materialize(
        [meeting_reports, past_participants], resources=pipeline_resources, partition_key=day
    )
    assert result.success
    after = {name: table(str(duckdb_path), snapshot.format(name)) for name in before}
    assert after == before


def test_a_failed_run_leaves_the_previous_rows(
    emulator: ZoomEmulator, pipeline_resources: dict[str, Any], synced: Any, duckdb_path: Any
) -> None:
    before = table(str(duckdb_path), "SELECT uuid FROM meeting_reports ORDER BY 1")
    emulator.faults.revoke_credentials = True
    day = emulator.account.days[0]
    result = materialize_days(pipeline_resources, day, day, raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    message = failure.step_failure_data.error.message
    assert "ZoomAuthError" in message
    assert pipeline_resources["zoom"].client_secret not in message
    assert table(str(duckdb_path), "SELECT uuid FROM meeting_reports ORDER BY 1") == before


def test_meetings_zoom_no_longer_has_are_skipped_and_reported(
    emulator: ZoomEmulator, pipeline_resources: dict[str, Any], synced: Any, duckdb_path: Any
) -> None:
    day = emulator.account.days[1]
    gone = emulator.account.meetings_on(day)[0][1]["uuid"]
    emulator.faults.deleted_meetings = [gone]
    result = dg.materialize(
        [past_participants], resources=pipeline_resources, partition_key=day.isoformat()
    )
    [event] = result.asset_materializations_for_node("past_participants")
    assert event.metadata["skipped_count"].value == 1
    assert event.metadata["skipped_sample"].value[0]["id"] == gone
    uuids = table(str(duckdb_path), "SELECT DISTINCT meeting_uuid FROM past_participants")
    assert (gone,) not in uuids
    assert len(uuids) > 1


def test_meeting_reports_needs_users_first(pipeline_resources: dict[str, Any]) -> None:
    result = dg.materialize(
        [meeting_reports],
        resources=pipeline_resources,
        partition_key=(datetime.now(UTC).date() - timedelta(days=1)).isoformat(),
        raise_on_error=False,
    )
    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    assert "materialize zoom_users first" in failure.step_failure_data.error.message


def test_missing_credentials_fail_the_run_naming_the_variables(
    emulator: ZoomEmulator, pipeline_resources: dict[str, Any]
) -> None:
    zoom = ZoomResource(
        account_id="emu-account",
        client_id="",
        client_secret=" ",
        api_base_url=emulator.base_url,
        token_url=emulator.token_url,
    )
    resources = {**pipeline_resources, "zoom": zoom}
    result = dg.materialize([zoom_users], resources=resources, raise_on_error=False)
    assert not result.success
    text = " ".join(str(e.event_specific_data) for e in result.all_events if e.is_failure)
    assert "set ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET" in text
    assert sum(emulator.stats()["requests"].get("token", {}).values()) == 0


def test_the_secret_stays_out_of_repr(pipeline_resources: dict[str, Any]) -> None:
    resource = pipeline_resources["zoom"]
    assert resource.client_secret not in repr(resource)
    assert resource.client_secret not in str(resource)


def test_assets_share_partitions_and_dependencies() -> None:
    assert [a.key.to_user_string() for a in ASSETS] == [
        "zoom_users",
        "meeting_reports",
        "past_participants",
        "meeting_attendance",
    ]
    assert meeting_reports.partitions_def == past_participants.partitions_def
    assert zoom_users.key in meeting_reports.dependency_keys
    assert meeting_reports.key in past_participants.dependency_keys


def test_schema_drift_keeps_new_fields_in_raw_and_missing_ones_null(
    emulator: ZoomEmulator, pipeline_resources: dict[str, Any], duckdb_path: Any
) -> None:
    emulator.faults.schema_drift = True
    day = emulator.account.days[-1]
    dg.materialize([zoom_users], resources=pipeline_resources)
    materialize_days(pipeline_resources, day, day)
    [(sources, drifted, total)] = table(
        str(duckdb_path),
        "SELECT count(source), count(*) FILTER (raw->>'$.emulator_new_field' IS NOT NULL), "
        "count(*) FROM meeting_reports",
    )
    assert total > 0 and sources == 0 and drifted == total
    [(internal, depts)] = table(
        str(duckdb_path),
        "SELECT (SELECT count(internal_user) FROM past_participants), "
        "(SELECT count(dept) FROM zoom_users)",
    )
    assert internal == 0 and depts == 0


def test_a_partition_past_the_six_month_window_fails_before_any_request(
    emulator: ZoomEmulator, pipeline_resources: dict[str, Any]
) -> None:
    too_old = (datetime.now(UTC).date() - timedelta(days=200)).isoformat()
    with (
        dg.build_asset_context(resources=pipeline_resources, partition_key=too_old) as context,
        pytest.raises(dg.Failure, match="six months") as failure,
    ):
        meeting_reports(context)
    assert failure.value.allow_retries is False
    assert emulator.stats()["requests"] == {}


def test_a_sentinel_secret_never_reaches_events_metadata_or_the_warehouse(
    emulator_factory: Any, duckdb_path: Any
) -> None:
    sentinel = "S3NTINEL-client-secret-7f3a"
    emu = emulator_factory(seed=3, users=6, days=2, client_secret=sentinel)
    resources = resources_for(emu, duckdb_path, secret=sentinel)
    day = emu.account.days[-1]
    with dg.instance_for_test() as instance:
        dg.materialize([zoom_users], resources=resources, instance=instance)
        materialize_days(resources, day, day, instance=instance)
        emu.faults.revoke_credentials = True
        failed = materialize_days(resources, day, day, instance=instance, raise_on_error=False)
        logs = [
            str(entry) for run in instance.get_runs() for entry in instance.all_logs(run.run_id)
        ]
    assert not failed.success  # the revoked run failed, with its error in the event log
    assert not [line for line in logs if sentinel in line]
    assert sentinel.encode() not in duckdb_path.read_bytes()


def test_a_range_longer_than_a_month_asks_one_report_per_host_per_window(
    emulator_factory: Any, duckdb_path: Any
) -> None:
    emu = emulator_factory(seed=11, users=4, days=40)
    resources = resources_for(emu, duckdb_path)
    first, last = emu.account.days[0], emu.account.days[-1]
    dg.materialize([zoom_users], resources=resources)
    emu.reset_stats()
    dg.materialize(
        [meeting_reports],
        resources=resources,
        tags={RANGE_START: first.isoformat(), RANGE_END: last.isoformat()},
    )
    with resources["zoom"].build_client() as client:
        windows = len(client.report_windows(first, last))
    assert windows == 2
    hosts = emu.account.user_ids_with_reports()
    assert sum(emu.stats()["requests"]["report_meetings"].values()) == windows * len(hosts)
    expected = sorted(m["uuid"] for d in emu.account.days for _, m in emu.account.meetings_on(d))
    assert [
        u for (u,) in table(str(duckdb_path), "SELECT uuid FROM meeting_reports ORDER BY 1")
    ] == expected


@pytest.mark.parametrize(
    ("setup", "error", "advice"),
    [
        ({"scopes": ["user:read:list_users:admin"]}, "ZoomScopeError", "report:read:user:admin"),
        ({"daily_quota_remaining": {"Heavy": 0}}, "ZoomDailyLimitError", ""),
    ],
)
def test_errors_a_retry_cannot_fix_fail_at_once(
    emulator_factory: Any, duckdb_path: Any, setup: dict[str, Any], error: str, advice: str
) -> None:
    scopes = setup.get("scopes")
    emu = emulator_factory(seed=5, users=4, days=1, **({"scopes": scopes} if scopes else {}))
    resources = resources_for(emu, duckdb_path)
    dg.materialize([zoom_users], resources=resources)
    emu.faults.daily_quota_remaining = setup.get("daily_quota_remaining")
    day = emu.account.days[-1]
    result = materialize_days(resources, day, day, raise_on_error=False)
    assert not result.success
    failures = [e for e in result.all_events if e.is_step_failure]
    assert [f.step_key for f in failures] == ["meeting_reports"]
    assert not [e for e in result.all_events if e.is_step_up_for_retry]
    message = failures[0].step_failure_data.error.message
    assert error in message and advice in message
