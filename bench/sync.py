"""One sync run of the real assets in a process of its own, measured: `python -m bench.sync`.

The run materializes `zoom_users` (unless `--no-users`) and the days first..last of
`meeting_reports` and `past_participants` as one range run, as the daily job and a backfill do,
with the resources pointed at an emulator and a DuckDB file. It prints one JSON object: the run's
wall time, each step's seconds, the client's counters and the process's peak resident memory.
A process of its own, so that the peak memory is this run's alone and the client does not share
an interpreter lock with the emulator or the benchmark.
"""

from __future__ import annotations

import argparse
import json
import resource
import threading
import time
import warnings
from datetime import date
from typing import Any

import dagster as dg
import psutil
from dagster_duckdb import DuckDBResource

from bench.emulator import CREDENTIALS
from zoom_assets.assets import meeting_reports, past_participants, zoom_users
from zoom_assets.automation import RANGE_END, RANGE_START
from zoom_assets.resources import ZoomResource

SAMPLE_SECONDS = 0.2
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


class MemorySampler:
    """Resident memory sampled in the background, to tell which step the peak belongs to."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="rss")
        self._process = psutil.Process()

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.samples.append((time.time(), self._process.memory_info().rss))


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Materialize and measure; returns the figures as plain JSON-ready data."""
    zoom = ZoomResource(
        account_id=CREDENTIALS.account_id,
        client_id=CREDENTIALS.client_id,
        client_secret=CREDENTIALS.client_secret,
        api_base_url=args.api,
        token_url=args.token_url,
        rate_plan="business_plus",
        rate_limit_scale=args.scale,
        max_workers=args.workers,
    )
    assets = [meeting_reports, past_participants]
    if args.users:
        assets.insert(0, zoom_users)
    instance = dg.DagsterInstance.ephemeral()
    rss_before = psutil.Process().memory_info().rss
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    with MemorySampler() as memory:
        started = time.time()
        result = dg.materialize(
            assets,
            resources={"zoom": zoom, "duckdb": DuckDBResource(database=args.db)},
            instance=instance,
            tags={RANGE_START: args.first.isoformat(), RANGE_END: args.last.isoformat()},
            run_config=QUIET,
        )
        ended = time.time()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    steps = step_spans(instance, result.run_id)
    return {
        "first": args.first.isoformat(),
        "last": args.last.isoformat(),
        "started": started,
        "seconds": round(ended - started, 3),
        "steps": {name: [round(t - started, 3) for t in span] for name, span in steps.items()},
        "step_peak_rss": step_peaks(steps, memory.samples),
        "rss_before_run": rss_before,
        "peak_rss": usage.ru_maxrss * 1024,
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime - cpu_before, 2),
        "api": api_counts(result),
    }


def step_spans(instance: dg.DagsterInstance, run_id: str) -> dict[str, tuple[float, float]]:
    """(start, end) wall-clock times of each step, from the run's event log."""
    spans: dict[str, list[float]] = {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            spans[event.step_key] = [entry.timestamp, entry.timestamp]
        elif event.event_type == dg.DagsterEventType.STEP_SUCCESS:
            spans[event.step_key][1] = entry.timestamp
    return {name: (a, b) for name, (a, b) in spans.items()}


def step_peaks(
    steps: dict[str, tuple[float, float]], samples: list[tuple[float, int]]
) -> dict[str, int]:
    """The highest sampled resident memory while each step ran."""
    return {
        name: max((rss for t, rss in samples if a <= t <= b), default=0)
        for name, (a, b) in steps.items()
    }


def api_counts(result: dg.ExecuteInProcessResult) -> dict[str, dict[str, Any]]:
    """Each asset's API metadata (requests per endpoint, retries, 429s, pages) as plain data."""
    counts = {}
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        metadata = materialization.metadata  # every partition of a range run carries the same
        counts[materialization.asset_key.path[-1]] = {
            "requests_by_endpoint": metadata["api_requests_by_endpoint"].value,
            "retries": metadata["api_retries"].value,
            "rate_limited_429": metadata["api_429s"].value,
            "pages": metadata["api_pages"].value,
        }
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", required=True, help="the emulator's /v2 base URL")
    parser.add_argument("--token-url", required=True, help="the emulator's token URL")
    parser.add_argument("--db", required=True, help="DuckDB file to write")
    parser.add_argument("--first", type=date.fromisoformat, required=True)
    parser.add_argument("--last", type=date.fromisoformat, required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="factor on Business+ limits")
    parser.add_argument("--workers", type=int, default=16, help="ZoomResource.max_workers")
    parser.add_argument("--no-users", dest="users", action="store_false", help="skip zoom_users")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=dg.BetaWarning)  # single-run backfill policy
    print(json.dumps(run(args)))


if __name__ == "__main__":
    main()
