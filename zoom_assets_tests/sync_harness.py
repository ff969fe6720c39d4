"""Run the real assets against an emulator into a DuckDB file, and compare every table with the
emulator's account row for row.

The expected rows are the emulator's truth (`emu.account`) shaped by the pipeline's own row
functions, so a comparison checks every column of every row: nothing missing, nothing extra,
nothing doubled, and `raw` equal to what Zoom (the emulator) holds. Run as a module
(`python -m zoom_assets_tests.sync_harness FIRST LAST`), it syncs through the project's real
`Definitions` in a process of its own, configured by the ZOOM_* variables and DAGSTER_HOME as in
production: the crash, concurrency and secrets tests start it as a child process.
"""

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pyarrow as pa
from dagster_duckdb import DuckDBResource

from zoom_assets.assets import ASSETS, meeting_reports, past_participants
from zoom_assets.emulator import ZoomEmulator
from zoom_assets.resources import ZoomResource
from zoom_assets.rows import participant_rows, report_rows, user_rows
from zoom_assets.tables import MEETING_REPORTS, PAST_PARTICIPANTS, ZOOM_USERS, Table

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
SYNC_JOB = "zoom_daily_sync"
# (kind, record) -> the record as the emulator serves it, e.g. under schema drift.
Shape = Callable[[str, dict], dict]
SYNCED_AT = datetime(2000, 1, 1, tzinfo=UTC)  # never compared
PROJECT_DIR = Path(__file__).resolve().parents[1]


def resources(emu: ZoomEmulator, db_path: Path | str, **zoom: Any) -> dict[str, Any]:
    """The pipeline's resources pointed at `emu` (its credentials) and a DuckDB file; `zoom`
    overrides ZoomResource fields (the plan defaults to the emulator's default, Business+)."""
    credentials = emu.tokens.credentials
    settings = {
        "account_id": credentials.account_id,
        "client_id": credentials.client_id,
        "client_secret": credentials.client_secret,
        "api_base_url": emu.base_url,
        "token_url": emu.token_url,
        "rate_plan": "business_plus",
        "connect_timeout": 2.0,
        "read_timeout": 5.0,
        **zoom,
    }
    return {"zoom": ZoomResource(**settings), "duckdb": DuckDBResource(database=str(db_path))}


def sync(
    resources: Mapping[str, Any], first: date, last: date, *, users: bool = True, **kwargs: Any
) -> dg.ExecuteInProcessResult:
    """One run, as the daily job does it: zoom_users (unless `users=False`), then the days
    first..last of meeting_reports and past_participants as one range."""
    return dg.materialize(
        ASSETS if users else [meeting_reports, past_participants],
        resources=dict(resources),
        tags={RANGE_START: first.isoformat(), RANGE_END: last.isoformat()},
        **kwargs,
    )


def expected_tables(
    emu: ZoomEmulator,
    days: Iterable[date],
    *,
    gone_users: Iterable[str] = (),
    gone_meetings: Iterable[str] = (),
    shape: Shape = lambda _kind, record: record,
) -> dict[str, pa.Table]:
    """What each table must hold after syncing `days`, from the emulator's account.

    `gone_users` and `gone_meetings` were deleted from Zoom before they were fetched: their
    meetings (or participants) are expected to be missing, not the run to fail.
    """
    account, days = emu.account, sorted(days)
    gone_users, gone_meetings = set(gone_users), set(gone_meetings)
    users = user_rows((shape("users", dict(u)) for u in account.users()), SYNCED_AT)
    listed = [
        (host, shape("meetings", dict(meeting)))
        for day in days
        for host, meeting in account.meetings_on(day)
        if host not in gone_users
    ]
    reports = report_rows(((host, [meeting]) for host, meeting in listed), days, SYNCED_AT)
    participants = [
        participant_rows(
            (
                (uuid, [shape("participants", dict(p)) for p in account.participants(uuid)])
                for uuid, report_date in zip(
                    reports.column("uuid").to_pylist(),
                    reports.column("report_date").to_pylist(),
                    strict=True,
                )
                if report_date == day and uuid not in gone_meetings
            ),
            day,
            SYNCED_AT,
        )
        for day in days
    ]
    return {
        ZOOM_USERS.name: users,
        MEETING_REPORTS.name: reports,
        PAST_PARTICIPANTS.name: pa.concat_tables(participants),
    }


def differences(db_path: Path | str, expected: Mapping[str, pa.Table]) -> dict[str, Any]:
    """Per table, the rows missing from DuckDB and the rows it holds beyond the expected ones
    (duplicates count: the comparison is on multisets); empty when they match exactly."""
    found: dict[str, Any] = {}
    with duckdb.connect(str(db_path), read_only=True) as conn:
        for name, rows in expected.items():
            table = _table(name)
            columns = ", ".join(
                f"{c.name}::VARCHAR" if c.kind == "json" else c.name
                for c in table.columns
                if c.name != "synced_at"
            )
            conn.register("expected_rows", rows)
            try:
                actual = f"SELECT {columns} FROM {table.qualified_name}"  # noqa: S608
                wanted = f"SELECT {columns} FROM expected_rows"  # noqa: S608
                missing = conn.execute(f"{wanted} EXCEPT ALL {actual}").fetchall()
                extra = conn.execute(f"{actual} EXCEPT ALL {wanted}").fetchall()
            finally:
                conn.unregister("expected_rows")
            if missing or extra:
                found[name] = {"missing": missing[:3], "extra": extra[:3]}
                found[name]["counts"] = (len(missing), len(extra), rows.num_rows)
    return found


def written_days(db_path: Path | str, table: Table = PAST_PARTICIPANTS) -> list[date]:
    """The days that hold rows in a partitioned table, in order."""
    with duckdb.connect(str(db_path), read_only=True) as conn:
        rows = conn.execute(
            f"SELECT DISTINCT {table.day_column} FROM {table.qualified_name} ORDER BY 1"  # noqa: S608
        ).fetchall()
    return [day for (day,) in rows]


def through(expected: Mapping[str, pa.Table], last: date) -> dict[str, pa.Table]:
    """`expected` with past_participants cut after the day `last` (a run that stopped there)."""
    rows = expected[PAST_PARTICIPANTS.name]
    kept = rows.filter([day <= last for day in rows.column("report_date").to_pylist()])
    return {**expected, PAST_PARTICIPANTS.name: kept}


def assert_synced(emu: ZoomEmulator, db_path: Path | str, days: Iterable[date], **kw: Any) -> None:
    """Every table equals the emulator's account for `days`, row for row (see expected_tables)."""
    expected = expected_tables(emu, days, **kw)
    assert all(rows.num_rows for rows in expected.values()), "the scenario's account is empty"
    assert differences(db_path, expected) == {}


def failure_messages(result: dg.ExecuteInProcessResult) -> list[str]:
    """The error message of each failed step, with the messages of its causes after it."""
    messages = []
    for event in result.all_events:
        error = event.step_failure_data.error if event.is_step_failure else None
        chain = []
        while error is not None:
            chain.append(error.message)
            error = error.cause
        if chain:
            messages.append("\n".join(chain))
    return messages


def step_starts(result: dg.ExecuteInProcessResult, step: str) -> int:
    """How often a step started (a Dagster retry starts it again)."""
    return sum(1 for e in result.all_events if e.is_step_start and e.step_key == step)


def requests_to(emu: ZoomEmulator, endpoint: str, status: str | None = None) -> int:
    """Requests the emulator answered at `endpoint` (with that status, if given)."""
    counts = emu.stats()["requests"].get(endpoint, {})
    return counts.get(status, 0) if status is not None else sum(counts.values())


@contextmanager
def when(condition: Callable[[], bool], action: Callable[[], None]) -> Iterator[threading.Event]:
    """Run `action` once, from a watcher thread, as soon as `condition()` holds (polled every
    few milliseconds) while the block runs; the event tells whether it fired."""
    fired, stop = threading.Event(), threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if condition():
                action()
                fired.set()
                return
            time.sleep(0.003)

    watcher = threading.Thread(target=watch, name="scenario-trigger", daemon=True)
    watcher.start()
    try:
        yield fired
    finally:
        stop.set()
        watcher.join(timeout=5)


def child_env(emu: ZoomEmulator, db_path: Path, dagster_home: Path, **extra: str) -> dict[str, str]:
    """The environment of a deployment pointed at `emu`: ZOOM_* variables and a DAGSTER_HOME
    holding the project's dagster.yaml (its DuckDB pool admits one step at a time), with its
    storage created, as `dagster dev` leaves it."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT_DIR / "dagster.yaml", dagster_home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(dagster_home)):
        pass
    credentials = emu.tokens.credentials
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(dagster_home),
        "DAGSTER_HOME": str(dagster_home),
        "ZOOM_ACCOUNT_ID": credentials.account_id,
        "ZOOM_CLIENT_ID": credentials.client_id,
        "ZOOM_CLIENT_SECRET": credentials.client_secret,
        "ZOOM_API_BASE_URL": emu.base_url,
        "ZOOM_OAUTH_TOKEN_URL": emu.token_url,
        "ZOOM_RATE_PLAN": "business_plus",
        "ZOOM_DUCKDB_PATH": str(db_path),
        **extra,
    }


def start_child(env: Mapping[str, str], first: date, last: date) -> subprocess.Popen[str]:
    """Start `main` in a process of its own; its output is piped (read it with communicate)."""
    return subprocess.Popen(
        [sys.executable, "-m", "zoom_assets_tests.sync_harness", str(first), str(last)],
        env=dict(env),
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def lock_holders(path: Path) -> set[int]:
    """Pids holding a POSIX lock on `path` (Linux /proc/locks): DuckDB locks its file while a
    connection is open, so this says, without touching the file, who is in it right now."""
    try:
        inode = path.stat().st_ino
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return set()
    holders = set()
    for line in lines:
        fields = line.split()
        if len(fields) > 5 and fields[5].rsplit(":", 1)[-1] == str(inode):
            holders.add(int(fields[4]))
    return holders


def _table(name: str) -> Table:
    return {t.name: t for t in (ZOOM_USERS, MEETING_REPORTS, PAST_PARTICIPANTS)}[name]


def main(argv: list[str]) -> int:
    """Child process: one run of the project's sync job over FIRST..LAST, configured by the
    environment exactly as a deployment is (ZOOM_* variables, DAGSTER_HOME)."""
    first, last = argv
    from zoom_assets.definitions import defs  # noqa: PLC0415 (reads ZOOM_* when imported)

    job = defs.resolve_job_def(SYNC_JOB)
    result = job.execute_in_process(
        instance=dg.DagsterInstance.get(),
        tags={RANGE_START: first, RANGE_END: last},
        raise_on_error=False,
    )
    print(f"sync {'succeeded' if result.success else 'failed'}: {result.run_id}", flush=True)
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
