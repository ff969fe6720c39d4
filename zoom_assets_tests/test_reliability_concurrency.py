"""Two runs started at the same moment against the same DuckDB file, each in its own process and
configured like a deployment (one Dagster home, the project's dagster.yaml): both finish (the
DuckDB pool makes one step wait for the other), no lock error reaches anyone, and the tables hold
every row exactly once."""

from pathlib import Path

from zoom_assets.emulator import ZoomEmulator
from zoom_assets_tests.sync_harness import assert_synced, child_env, start_child


def test_two_runs_at_once_on_one_duckdb_file_both_finish_with_every_row_once(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "zoom.duckdb"
    with ZoomEmulator(seed=10, users=10, days=3, latency=0.01) as emu:
        days = emu.account.days
        env = child_env(emu, db_path, tmp_path / "dagster_home")
        children = [start_child(env, days[0], days[-1]) for _ in range(2)]
        outputs = [child.communicate(timeout=180)[0] for child in children]
        for child, output in zip(children, outputs, strict=True):
            assert child.returncode == 0, output
            assert "sync succeeded" in output
            assert "Could not set lock" not in output and "IOException" not in output
        assert any("blocked by limit for pool duckdb" in output for output in outputs)
        assert_synced(emu, db_path, days)
