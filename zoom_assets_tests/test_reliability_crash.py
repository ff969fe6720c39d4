"""The run's process is killed with SIGKILL while it writes a partition range: the rows that were
there before stay whole (DuckDB rolls the open transaction back), and the next run completes the
range. The run executes in a child process configured like a deployment; the kill lands while that
process holds the DuckDB file, right after it fetched every meeting report of the range. The
killed run never ends, so the next run must first give back the DuckDB pool slot it held."""

import os
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets_tests.sync_harness import (
    assert_synced,
    child_env,
    lock_holders,
    requests_to,
    resources,
    start_child,
    sync,
)

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks")


def kill_while_writing(child, db_path: Path, emu: ZoomEmulator, hosts: int) -> bool:
    """SIGKILL the child once it holds the file after its last report answer; True if it did."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if requests_to(emu, "report_meetings") >= hosts and child.pid in lock_holders(db_path):
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=10)
            return True
        time.sleep(0.0005)
    return False


def test_sigkill_while_writing_leaves_the_previous_rows_and_the_next_run_completes(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "zoom.duckdb"
    with ZoomEmulator(seed=9, users=10, days=4) as emu:
        days = emu.account.days
        assert sync(resources(emu, db_path), days[0], days[-1]).success  # the previous rows
        before = datetime.now(UTC)
        emu.reset_stats()
        hosts = len(emu.account.user_ids_with_reports())
        env = child_env(emu, db_path, tmp_path / "dagster_home")
        child = start_child(env, days[0], days[-1])
        try:
            killed = kill_while_writing(child, db_path, emu, hosts)
        finally:
            if child.poll() is None:
                child.kill()
        output = child.communicate()[0]
        assert killed, output
        assert child.returncode == -signal.SIGKILL
        assert requests_to(emu, "past_participants") == 0  # it died before participants
        assert_synced(emu, db_path, days)  # every previous row is still there, none doubled

        rerun = start_child(env, days[0], days[-1])
        try:
            output = rerun.communicate(timeout=60)[0]
        except subprocess.TimeoutExpired:
            rerun.kill()
            output = rerun.communicate()[0]
        assert rerun.returncode == 0, output
        assert "its process is gone" in output  # the dead run's pool slot was given back
        assert_synced(emu, db_path, days)
        with duckdb.connect(str(db_path), read_only=True) as conn:
            [(oldest,)] = conn.execute("SELECT min(synced_at) FROM meeting_reports").fetchall()
        assert oldest > before  # the next run rewrote the whole range
