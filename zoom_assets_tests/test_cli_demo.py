"""`zoom-demo`: run twice into a fresh DuckDB file and Dagster home, in its own process.

Guards what `make demo` promises: progress per step, one run per invocation covering the whole
range, a summary printed from SQL, row counts that a second run leaves unchanged, both runs
recorded where the UI will find them, and no credential in the output.
"""

import re
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from zoom_assets.assets import ASSETS
from zoom_assets.tables import TABLES

DAYS = 3


def run_demo(db: Path, home: Path) -> str:
    options = ["--db", str(db), "--dagster-home", str(home), "--users", "30", "--days", str(DAYS)]
    done = subprocess.run(
        [sys.executable, "-m", "zoom_assets.cli.demo", *options],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def counts(output: str) -> dict[str, tuple[int, int]]:
    """The before/after row counts of the table the demo prints."""
    found = re.findall(rf"^  ({'|'.join(t.name for t in TABLES)})\s+(\d+)\s+(\d+)$", output, re.M)
    return {name: (int(before), int(after)) for name, before, after in found}


@pytest.mark.slow
def test_demo_twice_duplicates_nothing(tmp_path: Path) -> None:
    db, home = tmp_path / "data" / "zoom.duckdb", tmp_path / "dagster_home"
    first = run_demo(db, home)
    for step in (asset.key.to_user_string() for asset in ASSETS):
        assert f"->  {step}" in first and f"ok  {step}" in first
    assert first.count("past_participants 20") == DAYS  # one progress line per day
    assert "key_is_unique_and_not_null: passed" in first
    for title in ("Users by status", "Meetings per UTC day", "The ten hosts"):
        assert title in first
    assert "make dev" in first
    once = counts(first)
    assert set(once) == {table.name for table in TABLES}
    assert once["zoom_users"] == (0, 30)
    assert all(once[asset.key.to_user_string()][1] > 0 for asset in ASSETS)

    again = run_demo(db, home)
    assert {name: (after, after) for name, (_, after) in once.items()} == counts(again)

    for output in (first, again):
        assert "emu-secret" not in output and "eyJ" not in output
    assert (home / "dagster.yaml").is_file()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs()
    assert len(runs) == 2
    assert all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs)
    assert {run.job_name for run in runs} == {"zoom_daily_sync"}
    assert all(run.tags["dagster/asset_partition_range_start"] for run in runs)
