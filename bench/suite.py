"""`make bench`: the pipeline's performance against the limits Zoom sets, on three accounts.

S (100 users, 7 days), M (2,000 users, 30 days) and L (10,000 users, 30 days, about a million
participant rows) are synced by the real assets, each run in a process of its own, against the
emulator (its own process) with Business+ limits and 100 ms per response. Every limit is
multiplied by one factor (printed) so that the whole suite ends in minutes; the client's workers
grow by the same factor, so that a run is the real one with time compressed. Prints a table of
the figures against their targets and saves them in bench/results.json under "suite".
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import load
from bench.emulator import SEED, Emulator, emulator
from bench.figures import achieved_rates, floor_seconds, minimum_requests
from bench.plot import requests_per_second
from bench.report import RESULTS, evaluate, print_table, save
from bench.runs import Setup, count_rows, host_ids, keep_days, report_requests_per_user, sync
from zoom_assets.automation import sync_range
from zoom_assets.emulator.account import Account

PLOT = Path(__file__).with_name("out") / "requests_per_second.png"
TIMELINE = PLOT.with_name("m_backfill_timeline.json")  # [seconds, endpoint, status] per request
ACCOUNTS = {"S": (100, 7), "M": (2_000, 30), "L": (10_000, 30)}


def measured_sync(
    setup: Setup, emu: Emulator, account: Account, *, name: str, first: date, last: date
) -> dict[str, Any]:
    """Sync first..last into a fresh warehouse; the run's figures against the minimum."""
    today = datetime.now(UTC).date()
    started = time.monotonic()
    minimum = minimum_requests(account, first, last, today=today)
    minimum["seconds_to_compute"] = round(time.monotonic() - started, 1)
    db = setup.workdir / f"{name}.duckdb"
    run = sync(setup, emu, db, first, last)
    made, needed = sum(run["served"].values()), sum(minimum["requests"].values())
    floor = floor_seconds(minimum["requests"], setup.limits)
    run.update(
        db=str(db),
        minimum=minimum,
        requests_over_minimum=round(made / needed, 4),
        floor_seconds=round(floor, 2),
        wall_over_floor=round(run["seconds"] / floor, 3),
        participant_rows_written=count_rows(db, "past_participants"),
        rates=achieved_rates(run["timeline"], setup.limits),
    )
    say(
        f"{name} {first}..{last}: {made} requests (minimum {needed}), {run['seconds']} s "
        f"(floor {floor:.1f} s), peak RSS {run['peak_rss'] / 2**20:.0f} MiB, "
        f"{run['participant_rows_written']} participant rows (truth {minimum['participant_rows']})"
    )
    return run


def account_s(setup: Setup, end: date) -> dict[str, Any]:
    users, days = ACCOUNTS["S"]
    account = Account(seed=SEED, users=users, days=days, end_date=end)
    with emulator(users=users, days=days, end_date=end, **setup.emulator) as emu:
        run = measured_sync(
            setup, emu, account, name="S", first=end - timedelta(days=days - 1), last=end
        )
    run.pop("timeline")
    return {"sync": run}


def account_m(setup: Setup, end: date, single_day_hosts: int) -> dict[str, Any]:
    """The 30-day backfill (rates, plot), single-day runs, and a daily run after 30 and 7 days.

    The emulated account has one day more than the backfill: the daily run's newest day.
    """
    users, days = ACCOUNTS["M"]
    account = Account(seed=SEED, users=users, days=days + 1, end_date=end)
    first, last = end - timedelta(days=days), end - timedelta(days=1)
    with emulator(users=users, days=days + 1, end_date=end, **setup.emulator) as emu:
        backfill = measured_sync(setup, emu, account, name="M", first=first, last=last)
        timeline = backfill.pop("timeline")
        TIMELINE.parent.mkdir(parents=True, exist_ok=True)
        TIMELINE.write_text(json.dumps(timeline))
        requests_per_second(
            timeline,
            setup.limits,
            PLOT,
            f"Sync of M (2,000 users, 30 days): Business+ limits x{setup.scale:g}, "
            f"{setup.workers} workers, 100 ms per response",
        )
        db = Path(backfill["db"])
        hosts = host_ids(db, single_day_hosts)
        per_user = report_requests_per_user(setup, emu, hosts, first, last)
        say(f"report requests per user: {per_user}")
        daily_first, daily_last = sync_range(datetime.now(UTC))
        daily = {}
        for history in (30, 7):
            since = last - timedelta(days=history - 1)
            copy = keep_days(db, setup.workdir / f"M-{history}.duckdb", since)
            run = sync(setup, emu, copy, daily_first, daily_last)
            run.pop("timeline")
            daily[f"after_{history}_days"] = run
            say(f"daily run after {history} days: {run['seconds']} s, {run['served']}")
    return {
        "backfill": backfill,
        "report_requests_per_user": {
            **per_user,
            "backfill_all_hosts_per_user": round(
                backfill["served"]["report_meetings"] / backfill["minimum"]["hosts"], 2
            ),
        },
        "daily": daily,
        "plot": str(PLOT),
    }


def account_l(setup: Setup, end: date) -> dict[str, Any]:
    """The 30-day sync, and a 7-day one, to see how memory grows with the days synced."""
    users, days = ACCOUNTS["L"]
    account = Account(seed=SEED, users=users, days=days, end_date=end)
    runs = {}
    with emulator(users=users, days=days, end_date=end, **setup.emulator) as emu:
        for span in (7, days):
            run = measured_sync(
                setup, emu, account, name=f"L{span}", first=end - timedelta(span - 1), last=end
            )
            run.pop("timeline")
            runs[f"{span}_days"] = run
    return runs


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=5.0, help="factor on every limit")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per response")
    parser.add_argument("--single-day-hosts", type=int, default=100, help="hosts for figure 3")
    parser.add_argument("--load-rows", type=int, default=200_000, help="rows for figure 5")
    parser.add_argument("--accounts", default="SML", help="which accounts to sync")
    args = parser.parse_args()
    started = time.monotonic()
    workers = round(16 * args.scale)
    end = datetime.now(UTC).date() - timedelta(days=1)
    say(
        f"Business+ limits x{args.scale:g} (Heavy {40 * args.scale:g}/s, Medium "
        f"{60 * args.scale:g}/s), {workers} client workers (16 x {args.scale:g}), "
        f"{args.latency * 1000:g} ms per response; emulator and each sync in their own process"
    )
    results: dict[str, Any] = {
        "command": "make bench  (.venv/bin/python -m bench)",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "workers": workers,
        "latency_seconds": args.latency,
    }
    with tempfile.TemporaryDirectory(prefix="zoom-bench-") as tmp:
        setup = Setup(args.scale, workers, Path(tmp), args.latency)
        if "S" in args.accounts:
            results["S"] = account_s(setup, end)
        if "M" in args.accounts:
            results["M"] = account_m(setup, end, args.single_day_hosts)
        if "L" in args.accounts:
            results["L"] = account_l(setup, end)
        results["load"] = load.measure(Path(tmp), rows=args.load_rows, baseline_rows=5_000)
    results["seconds"] = round(time.monotonic() - started)
    results["figures"] = evaluate(results)
    print_table(results)
    save("suite", results)
    say(f"saved to {RESULTS}; plot {PLOT}; {results['seconds']} s in all")


if __name__ == "__main__":
    main()
