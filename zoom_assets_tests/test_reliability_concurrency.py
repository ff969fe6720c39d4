"""Two runs started at the same moment against the same DuckDB file, each in its own process and
configured like a deployment: both finish, no lock error reaches anyone, and the tables hold every
row exactly once. With one Dagster home (the project's dagster.yaml) the DuckDB pool makes one
step wait for the other; with two homes (two deployments, or ad-hoc runs) nothing coordinates them
but DuckDB's file lock, which the pipeline holds only for short transactions and retries to get."""

from pathlib import Path

import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets_tests.sync_harness import assert_synced, child_env, start_child


@pytest.mark.parametrize("homes", [1, 2], ids=["one-dagster-home", "two-dagster-homes"])
def test_two_runs_at_once_on_one_duckdb_file_both_finish_with_every_row_once(
    tmp_path: Path, homes: int
) -> None:
    db_path = tmp_path / "zoom.duckdb"
    with ZoomEmulator(seed=10, users=10, days=3, latency=0.01) as emu:
        days = emu.account.days
        envs = [child_env(emu, db_path, tmp_path / f"dagster_home_{n % homes}") for n in range(2)]
        children = [start_child(env, days[0], days[-1]) for env in envs]
        outputs = [child.communicate(timeout=180)[0] for child in children]
        for child, output in zip(children, outputs, strict=True):
            assert child.returncode == 0, output
            assert "sync succeeded" in output
            assert "Could not set lock" not in output and "IOException" not in output
        if homes == 1:
            assert any("blocked by limit for pool duckdb" in output for output in outputs)
        assert_synced(emu, db_path, days)
