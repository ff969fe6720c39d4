"""The benchmark's runs: one sync in a child process, the same days twice with different history,
and the report requests of single-day runs against one backfill."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from dagster_duckdb import DuckDBResource

from bench.emulator import Emulator
from bench.figures import served
from zoom_assets.storage import connect
from zoom_assets.tables import TABLES
from zoom_assets.zoom import PLANS
from zoom_assets.zoom.windows import days_between


@dataclass(frozen=True)
class Setup:
    """What every run shares: the limit factor, the client's workers and the work directory."""

    scale: float
    workers: int
    workdir: Path
    latency: float

    @property
    def emulator(self) -> dict[str, float]:
        """The emulator's arguments for these limits and this latency."""
        return {"scale": self.scale, "latency": self.latency}

    @property
    def limits(self) -> dict[str, float]:
        plan = PLANS["business_plus"].scaled(self.scale)
        return {"Heavy": plan.heavy, "Medium": plan.medium, "Light": plan.light}


def sync(
    setup: Setup, emu: Emulator, db: Path, first: date, last: date, *, users: bool = True
) -> dict[str, Any]:
    """One measured run of `bench.sync` (its own process), with the emulator's view of it."""
    emu.admin("reset")
    command = [
        sys.executable, "-m", "bench.sync", "--api", emu.api, "--token-url", emu.token_url,
        "--db", str(db), "--first", first.isoformat(), "--last", last.isoformat(),
        "--scale", str(setup.scale), "--workers", str(setup.workers),
    ]  # fmt: skip
    if not users:
        command.append("--no-users")
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the sync {first}..{last} failed:\n{done.stderr[-4000:]}")
    run = json.loads(done.stdout.strip().splitlines()[-1])
    run["process_seconds"] = round(time.monotonic() - started, 2)
    stats = emu.admin("stats")
    run["served"] = served(stats)
    run["served_429"] = stats["served_429"]
    run["max_in_any_second"] = stats["max_in_any_second"]
    run["timeline"] = stats["timeline"]
    return run


def keep_days(source: Path, target: Path, first: date) -> Path:
    """A copy of a warehouse that holds only the days from `first` on: a shorter history, laid
    out as the pipeline's own connections leave it (see `storage.connect`)."""
    shutil.copy(source, target)
    with connect(DuckDBResource(database=str(target))) as conn:
        for table in TABLES:
            if table.day_column:
                conn.execute(
                    f"DELETE FROM {table.qualified_name} WHERE {table.day_column} < ?",  # noqa: S608
                    [first],
                )
        conn.execute("CHECKPOINT")
    return target


def report_requests_per_user(
    setup: Setup, emu: Emulator, hosts: list[str], first: date, last: date
) -> dict[str, Any]:
    """Report requests per host for one backfill of first..last and for one run per day, as the
    meeting_reports asset makes them (`reports_for_users`), on the same hosts. Answered requests
    are counted; the 429s that pacing did not avoid are counted apart."""
    client = emu.client(scale=setup.scale, workers=setup.workers)
    days = days_between(first, last)
    with client:
        emu.admin("reset")
        list(client.reports_for_users(hosts, first, last))
        backfill = emu.admin("stats")["requests"]["report_meetings"]
        emu.admin("reset")
        for day in days:
            list(client.reports_for_users(hosts, day, day))
        single = emu.admin("stats")["requests"]["report_meetings"]
    return {
        "hosts": len(hosts),
        "days": len(days),
        "backfill_per_user": round(backfill["200"] / len(hosts), 2),
        "single_day_runs_per_user": round(single["200"] / len(hosts), 2),
        "answered_429": backfill.get("429", 0) + single.get("429", 0),
    }


def host_ids(db: Path, limit: int) -> list[str]:
    """The first `limit` report hosts of a synced warehouse."""
    with duckdb.connect(str(db), read_only=True) as conn:
        rows = conn.execute(
            "SELECT id FROM main.zoom_users WHERE status IN ('active', 'inactive') "
            "ORDER BY id LIMIT ?",
            [limit],
        ).fetchall()
    return [host for (host,) in rows]


def count_rows(db: Path, table: str) -> int:
    """Rows of one table of a synced warehouse."""
    with duckdb.connect(str(db), read_only=True) as conn:
        [(count,)] = conn.execute(f"SELECT count(*) FROM main.{table}").fetchall()  # noqa: S608
    return int(count)
