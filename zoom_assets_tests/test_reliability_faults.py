"""Transient faults: 5xx answers, connection resets, truncated or invalid JSON bodies and answers
slower than the client's read timeout. The run retries through them and ends with every row."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets_tests.sync_harness import assert_synced, resources, sync


@pytest.fixture
def emu() -> Iterator[ZoomEmulator]:
    """About 40 API requests; with this seed each 5% fault hits at least one of them."""
    with ZoomEmulator(seed=3, users=16, days=3) as emulator:
        yield emulator


def retries(result: dg.ExecuteInProcessResult) -> int:
    """Client retries the run's materializations report (one event per step is enough)."""
    steps = ("zoom_users", "meeting_reports", "past_participants")
    return sum(
        result.asset_materializations_for_node(s)[0].metadata["api_retries"].value for s in steps
    )


def statuses(emu: ZoomEmulator) -> set[str]:
    return {status for counts in emu.stats()["requests"].values() for status in counts}


@pytest.mark.parametrize(
    ("faults", "seen"),
    [
        ({"error_5xx_rate": 0.05}, {"500", "502", "503", "504"}),
        ({"connection_reset_rate": 0.05}, {"0"}),  # the emulator counts a reset as status 0
        ({"malformed_json_rate": 0.05}, set()),  # a 200 with a truncated body
        (
            {"error_5xx_rate": 0.05, "connection_reset_rate": 0.05, "malformed_json_rate": 0.05},
            {"0"},
        ),
    ],
    ids=["5xx", "resets", "malformed-json", "all-at-once"],
)
def test_transient_faults_lose_no_row(
    emu: ZoomEmulator, tmp_path: Path, faults: dict[str, Any], seen: set[str]
) -> None:
    emu.faults.merge(faults)
    days = emu.account.days
    result = sync(resources(emu, tmp_path / "zoom.duckdb"), days[0], days[-1])
    assert result.success
    assert_synced(emu, tmp_path / "zoom.duckdb", days)
    assert retries(result) > 0
    if seen:
        assert statuses(emu) & seen


def test_answers_slower_than_the_read_timeout_are_retried(
    emu: ZoomEmulator, tmp_path: Path
) -> None:
    emu.faults.merge({"slow_rate": 0.1, "slow_seconds": 1.0, "endpoints": ["past_participants"]})
    days = emu.account.days
    result = sync(resources(emu, tmp_path / "zoom.duckdb", read_timeout=0.3), days[0], days[-1])
    assert result.success
    assert_synced(emu, tmp_path / "zoom.duckdb", days)
    [event] = result.asset_materializations_for_node("past_participants")[:1]
    assert event.metadata["api_retries"].value > 0
