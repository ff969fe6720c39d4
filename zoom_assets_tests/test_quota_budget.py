"""A backfill meets its daily-quota budget: it stops before taking the share kept for the
account's other apps, says which days it wrote, which are left and when the quota resets, keeps
what it wrote; after the reset the same backfill completes, and nothing is doubled. Each step's
metadata shows the quota it used."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from zoom_assets.assets import meeting_attendance, meeting_reports, past_participants, zoom_users
from zoom_assets.emulator import ZoomEmulator
from zoom_assets.partitions import report_chunks
from zoom_assets.settings import Settings, SettingsError
from zoom_assets.zoom import PLANS, ZoomConfigError
from zoom_assets.zoom.budget import DailyBudget
from zoom_assets.zoom.ratelimit import next_utc_midnight
from zoom_assets.zoom.windows import report_windows
from zoom_assets_tests.test_assets import resources_for

DAYS = 34
HEAVY_DAILY = 60_000  # Business+, the emulator's default plan
RANGE = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")


def backfill(resources: dict[str, Any], first: date, last: date) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [meeting_reports, past_participants, meeting_attendance],
        resources=resources,
        tags=dict(zip(RANGE, (first.isoformat(), last.isoformat()), strict=True)),
        raise_on_error=False,
    )


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def truth(emu: ZoomEmulator, days: list[date]) -> list[str]:
    return sorted(m["uuid"] for day in days for _, m in emu.account.meetings_on(day))


def test_a_backfill_stops_at_its_budget_and_completes_after_the_reset(
    emulator_factory: Any, duckdb_path: Path
) -> None:
    ahead = [timedelta(0)]
    emu = emulator_factory(seed=11, users=4, days=DAYS, clock=lambda: datetime.now(UTC) + ahead[0])
    resources = resources_for(emu, duckdb_path)
    days = emu.account.days
    hosts = len(emu.account.user_ids_with_reports())
    first_chunk, second_chunk = report_chunks(days, datetime.now(UTC).date())
    dg.materialize([zoom_users], resources=resources)
    reserve = DailyBudget(0.8, PLANS["business_plus"]).reserve(HEAVY_DAILY)
    # Other apps have used the day's quota down to what one window of reports needs, plus ours.
    emu.faults.daily_quota_remaining = {"Heavy": reserve + hosts}

    stopped = backfill(resources, days[0], days[-1])

    assert not stopped.success
    [failure] = [e for e in stopped.all_events if e.is_step_failure]
    assert failure.step_key == "meeting_reports"
    message = failure.step_failure_data.error.message
    resets_at = next_utc_midnight(datetime.now(UTC))
    assert "ZoomQuotaBudgetError" in message and f"{reserve} of {HEAVY_DAILY}" in message
    assert resets_at.isoformat() in message
    assert f"written by this step: {first_chunk[0]}..{first_chunk[-1]}" in message
    assert f"still to write: {second_chunk[0]}..{second_chunk[-1]}" in message
    assert [e for e in stopped.all_events if e.is_step_up_for_retry] == []
    stats = emu.stats()
    assert stats["served_daily_limit"] == 0  # the reserve was never touched
    assert sum(stats["requests"]["report_meetings"].values()) == hosts
    written = [u for (u,) in query(duckdb_path, "SELECT uuid FROM meeting_reports ORDER BY 1")]
    assert written == truth(emu, first_chunk)

    ahead[0] = datetime.combine(resets_at.date(), datetime.min.time(), UTC) - datetime.now(UTC)
    ahead[0] += timedelta(seconds=1)
    completed = backfill(resources, days[0], days[-1])

    assert completed.success
    uuids = [u for (u,) in query(duckdb_path, "SELECT uuid FROM meeting_reports ORDER BY 1")]
    assert uuids == truth(emu, days)  # each meeting once
    participants = sum(len(emu.account.participants(u)) for u in uuids)
    [(rows, keys)] = query(
        duckdb_path,
        "SELECT count(*), count(DISTINCT (meeting_uuid, user_id)) FROM past_participants",
    )
    assert rows == keys == participants
    [(people, distinct)] = query(
        duckdb_path,
        "SELECT count(*), count(DISTINCT (meeting_uuid, person_kind, person_key)) "
        "FROM meeting_attendance",
    )
    assert people == distinct > 0
    [event, *_] = completed.asset_materializations_for_node("meeting_reports")
    assert event.metadata["api_requests_by_category"].value == {"Heavy": 2 * hosts}
    quota = event.metadata["daily_quota"].value["Heavy"]
    assert quota["limit"] == HEAVY_DAILY and quota["reserved_for_other_apps"] == reserve
    assert quota["remaining"] == HEAVY_DAILY - 2 * hosts


@pytest.mark.parametrize(
    ("env", "per_second", "daily"),
    [({}, 1.0, 0.8), ({"ZOOM_RATE_LIMIT_SHARE": "0.5", "ZOOM_DAILY_QUOTA_SHARE": "1"}, 0.5, 1.0)],
)
def test_the_shares_are_read_from_the_environment(
    env: dict[str, str], per_second: float, daily: float
) -> None:
    settings = Settings.from_env(env, today=date(2026, 12, 4))
    assert (settings.rate_limit_share, settings.daily_quota_share) == (per_second, daily)


@pytest.mark.parametrize("name", ["ZOOM_RATE_LIMIT_SHARE", "ZOOM_DAILY_QUOTA_SHARE"])
def test_a_share_of_nothing_is_refused(name: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: "0"}, today=date(2026, 12, 4))


@pytest.mark.parametrize(("count", "chunks"), [(1, 1), (3, 1), (29, 1), (34, 2), (180, 7)])
def test_report_chunks_cover_the_days_in_order_one_window_each(count: int, chunks: int) -> None:
    today = date(2026, 12, 4)
    days = [today - timedelta(days=n) for n in range(count, 0, -1)]
    found = report_chunks(days, today)
    assert [day for chunk in found for day in chunk] == days
    assert len(found) == chunks
    for chunk in found:
        assert len(report_windows(chunk[0], chunk[-1], today=today)) == 1


def test_the_resource_refuses_a_share_out_of_range(emulator: ZoomEmulator) -> None:
    zoom = resources_for(emulator, "unused.duckdb")["zoom"]
    with pytest.raises(ZoomConfigError, match="ZOOM_DAILY_QUOTA_SHARE"):
        zoom.model_copy(update={"daily_quota_share": 1.5}).build_client()
