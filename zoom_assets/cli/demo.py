"""`zoom-demo` (`make demo`): sync a synthetic Zoom account into DuckDB and summarise it.

The emulator runs in this process on a free port with a 200-user account. One run of the
`zoom_daily_sync` job, recorded in the project's Dagster home so it shows in the UI later, writes
`zoom_users` and the last seven days of `meeting_reports` and `past_participants` (one range, one
run). Progress comes from the run's event log; a rerun replaces the same rows, so it duplicates
nothing, which the row counts before and after show.
"""

import argparse
import importlib
import os
import sys
import threading
import time
import uuid
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb

from zoom_assets.cli import progress
from zoom_assets.cli.local import DAGSTER_HOME, DEMO_ACCOUNT, emulator_env, prepare_dagster_home
from zoom_assets.cli.sql import SQL_DIR, show
from zoom_assets.emulator import ZoomEmulator
from zoom_assets.settings import DEFAULT_DUCKDB_PATH, load_settings
from zoom_assets.storage import count_rows
from zoom_assets.tables import TABLES

SYNC_JOB = "zoom_daily_sync"
SUMMARY = ("users_by_status", "meetings_per_day", "top_hosts_by_minutes")
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zoom-demo", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DUCKDB_PATH, help="the DuckDB file to write")
    parser.add_argument("--days", type=int, default=7, help="days to sync, up to yesterday")
    parser.add_argument(
        "--users", type=int, default=DEMO_ACCOUNT["users"], help="users of the synthetic account"
    )
    parser.add_argument(
        "--dagster-home", type=Path, default=DAGSTER_HOME, help="where the runs are recorded"
    )
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=dg.BetaWarning)  # single-run backfill policy
    started = time.monotonic()
    db = Path(args.db).resolve()
    os.environ["DAGSTER_HOME"] = str(prepare_dagster_home(args.dagster_home))
    account = {**DEMO_ACCOUNT, "users": args.users, "days": max(DEMO_ACCOUNT["days"], args.days)}
    last = datetime.now(UTC).date() - timedelta(days=1)
    first = last - timedelta(days=args.days - 1)
    say(f"Dagster home {os.environ['DAGSTER_HOME']}, DuckDB file {db}")
    say(
        f"Starting the Zoom API emulator: {account['users']} users, "
        f"{account['days']} days of meetings"
    )
    with ZoomEmulator(**account) as emulator:
        os.environ.update(emulator_env(emulator.base_url, emulator.token_url))
        os.environ["ZOOM_DUCKDB_PATH"] = str(db)
        say(f"Emulator at {emulator.base_url}")
        before = row_counts(db)
        say(f"Syncing zoom_users, then {first}..{last} in one run of {SYNC_JOB}")
        ok = sync(first, last)
        requests = sum(sum(codes.values()) for codes in emulator.stats()["requests"].values())
    if not ok:
        say(
            "The sync failed; the lines above say why. Every write is one transaction, "
            "so no table holds half of one."
        )
        return 1
    after = row_counts(db)
    say(f"Done: {requests} API requests, {time.monotonic() - started:.0f} s in all")
    print("\n  table               before   after")
    for name in after:
        print(f"  {name:<18} {before.get(name, 0):>7} {after[name]:>7}")
    with duckdb.connect(str(db), read_only=True) as conn:
        for name in SUMMARY:
            show(conn, SQL_DIR / f"{name}.sql", max_rows=14)
    print(
        "\nNext: `make dev` opens the Dagster UI at http://127.0.0.1:3000 (this run is listed "
        "under Runs); `.venv/bin/zoom-sql busiest_hours` runs another query from sql/."
    )
    return 0


def say(message: str) -> None:
    print(f"[demo] {message}", flush=True)


def sync(first: date, last: date) -> bool:
    """One run of the sync job over [first, last], printing its progress as it goes."""
    defs = importlib.import_module("zoom_assets.definitions").defs  # reads the ZOOM_* set above
    if load_settings().duckdb_path != os.environ["ZOOM_DUCKDB_PATH"]:
        raise RuntimeError("the pipeline's settings were read before the demo set ZOOM_*")
    job = defs.resolve_job_def(SYNC_JOB)
    instance = dg.DagsterInstance.get()
    run_id = str(uuid.uuid4())
    done = threading.Event()
    printer = threading.Thread(
        target=progress.follow,
        args=(
            instance,
            run_id,
            done,
            {key.path[-1] for key in job.asset_layer.executable_asset_keys},
        ),
        daemon=True,
        name="progress",
    )
    printer.start()
    try:
        result = job.execute_in_process(
            instance=instance,
            run_id=run_id,
            run_config=QUIET_CONSOLE,
            tags={
                "dagster/asset_partition_range_start": first.isoformat(),
                "dagster/asset_partition_range_end": last.isoformat(),
                "demo": "true",
            },
            raise_on_error=False,
        )
    finally:
        done.set()
        printer.join(timeout=10)
    return result.success


def row_counts(db: Path) -> dict[str, int]:
    """Rows per table, 0 for a table (or file) that does not exist yet."""
    counts = dict.fromkeys((table.name for table in TABLES), 0)
    if not db.is_file():
        return counts
    with duckdb.connect(str(db), read_only=True) as conn:
        existing = {
            name for (name,) in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        }
        for table in TABLES:
            if table.name in existing:
                counts[table.name] = count_rows(conn, table)
    return counts


if __name__ == "__main__":
    sys.exit(main())
