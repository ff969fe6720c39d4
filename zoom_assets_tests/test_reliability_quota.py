"""The account's daily quota runs out halfway through a 30-day backfill.

The run stops at once with a message that says when Zoom's quota resets; the days it had already
written stay as written; after the reset (the emulator's clock moved past 00:00 UTC) the same
backfill run again completes the remaining days and duplicates nothing.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets.zoom import ZoomDailyLimitError
from zoom_assets_tests.sync_harness import (
    differences,
    expected_tables,
    failure_messages,
    requests_to,
    resources,
    step_starts,
    sync,
    through,
    written_days,
)

DAYS = 30
WORKERS = 4


def test_quota_exhausted_mid_backfill_then_rerun_after_the_reset(tmp_path: Path) -> None:
    ahead = [timedelta(0)]
    emu = ZoomEmulator(seed=5, users=3, days=DAYS, clock=lambda: datetime.now(UTC) + ahead[0])
    db_path = tmp_path / "zoom.duckdb"
    with emu:
        days = emu.account.days
        meetings = sum(len(emu.account.meetings_on(day)) for day in days)
        # Medium: three user listings, then participants of about half of the meetings.
        emu.faults.daily_quota_remaining = {"Medium": 3 + meetings // 2}
        failed = sync(
            resources(emu, db_path, max_workers=WORKERS), days[0], days[-1], raise_on_error=False
        )

        assert not failed.success
        reset = emu.clock().date() + timedelta(days=1)
        [message] = failure_messages(failed)
        assert "ZoomDailyLimitError" in message and "daily Medium rate limit" in message
        assert f"again at {reset.isoformat()}T00:00:00+00:00" in message
        assert step_starts(failed, "past_participants") == 1  # no retry against a spent quota
        # Only requests already in flight met the limit; no worker asked again after it.
        assert 1 <= requests_to(emu, "past_participants", "429") <= WORKERS

        expected = expected_tables(emu, days)
        done = written_days(db_path)
        assert done and done == sorted(done) and done[-1] < days[-1]  # stopped mid-range
        so_far = through(expected, done[-1])
        assert 0 < so_far["past_participants"].num_rows < expected["past_participants"].num_rows
        assert differences(db_path, so_far) == {}

        ahead[0] = datetime.combine(reset, datetime.min.time(), UTC) - datetime.now(UTC)
        ahead[0] += timedelta(seconds=1)
        rerun = sync(resources(emu, db_path), days[0], days[-1])
        assert rerun.success
        assert differences(db_path, expected) == {}


def test_a_spent_daily_quota_is_not_asked_again_before_the_reset(tmp_path: Path) -> None:
    # Medium has no daily cap on this plan, so only the 429 itself tells that it is spent.
    with ZoomEmulator(seed=5, users=3, days=2) as emu:
        emu.faults.daily_quota_remaining = {"Medium": 0}
        _, meeting = emu.account.meetings_on(emu.account.days[-1])[0]
        with resources(emu, tmp_path / "zoom.duckdb")["zoom"].build_client() as client:
            for _ in range(3):  # e.g. the other meetings of the same run
                with pytest.raises(ZoomDailyLimitError, match="again at"):
                    list(client.iter_past_participants(meeting["uuid"]))
        assert requests_to(emu, "past_participants") == 1
