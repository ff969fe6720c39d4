"""How close the client runs to Zoom's per-second limits when every request takes 100 ms.

Starts the emulator with Business+ limits (optionally scaled) and 0.1 s latency, syncs meeting
reports for many users (Heavy) and then participants for many meetings (Medium), and reports each
category's achieved request rate as a fraction of its limit, from the emulator's own counters in
the same run. The target is 0.9 or more with no 429 and never more than the limit in any second.

    .venv/bin/python -m bench.rate_limits   # prints the figures, saves bench/results.json
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.emulator import Emulator, emulator
from bench.figures import steady_rate
from bench.report import RESULTS, save
from zoom_assets.zoom import PLANS


def measure(emu: Emulator, category: str, work: Callable[[], list[Any]]) -> dict[str, Any]:
    """Run `work` and read the emulator's figures for `category` over exactly that run."""
    emu.admin("reset")
    started = time.monotonic()
    results = work()
    seconds = time.monotonic() - started
    stats = emu.admin("stats")
    limit = stats["limits_per_second"][category]
    requests_made = stats["requests_by_category"].get(category, 0)
    rate = requests_made / seconds
    return {
        **steady_state(stats["timeline"], limit),
        "limit_per_second": limit,
        "requests": requests_made,
        "items": len(results),
        "seconds": round(seconds, 2),
        "rate_per_second": round(rate, 2),
        "fraction_of_limit": round(rate / limit, 3),
        "max_in_any_second": stats["max_in_any_second"][category],
        "served_429": stats["served_429"],
        "peak_concurrency": stats["peak_concurrency"],
        "results": results,
    }


def steady_state(timeline: list[list[Any]], limit: float) -> dict[str, float | None]:
    """The rate the client keeps up once the opening second is over (`figures.steady_rate`)."""
    rate = steady_rate(row[0] for row in timeline if row[2] == 200)
    if rate is None:
        return {"steady_rate_per_second": None, "steady_fraction": None}
    return {"steady_rate_per_second": round(rate, 2), "steady_fraction": round(rate / limit, 3)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Both phases against one emulator; returns the figures to save."""
    with emulator(users=args.users, days=args.days, scale=args.scale, latency=args.latency) as emu:
        client = emu.client(scale=args.scale, workers=args.workers)
        with client:
            hosts = [u["id"] for s in ("active", "inactive") for u in client.iter_users(s)]
            last = datetime.now(UTC).date() - timedelta(days=1)
            first = last - timedelta(days=args.days - 1)
            hosts = hosts[: args.hosts]
            heavy = measure(
                emu, "Heavy", lambda: list(client.reports_for_users(hosts, first, last))
            )
            uuids = [m["uuid"] for r in heavy.pop("results") for m in r.meetings][: args.meetings]
            medium = measure(emu, "Medium", lambda: list(client.participants_for_meetings(uuids)))
            medium.pop("results")
    return {
        "command": "python -m bench.rate_limits",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "plan": "business_plus",
        "scale": args.scale,
        "latency_seconds": args.latency,
        "max_workers": args.workers,
        "categories": {"Heavy": heavy, "Medium": medium},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=1000, help="users whose reports are synced")
    parser.add_argument("--meetings", type=int, default=1500, help="meetings whose participants")
    parser.add_argument("--users", type=int, default=1200, help="users in the emulated account")
    parser.add_argument("--days", type=int, default=7, help="days of meetings to sync")
    parser.add_argument("--scale", type=float, default=1.0, help="factor on Business+ limits")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added per response")
    parser.add_argument("--workers", type=int, default=16, help="client max_workers")
    args = parser.parse_args()
    limits = PLANS["business_plus"].scaled(args.scale)
    print(
        f"Business+ limits x{args.scale:g} (Heavy {limits.heavy:g}/s, Medium {limits.medium:g}/s), "
        f"latency {args.latency:g} s, {args.workers} workers"
    )
    figures = run(args)
    for category, row in figures["categories"].items():
        print(
            f"{category:6}: {row['requests']} requests in {row['seconds']} s = "
            f"{row['rate_per_second']}/s of {row['limit_per_second']:g}/s -> "
            f"{row['fraction_of_limit']:.3f} of the limit, steady {row['steady_fraction']:.3f} "
            f"(max in any 1 s: "
            f"{row['max_in_any_second']}, 429s: {row['served_429']}, "
            f"peak concurrency: {row['peak_concurrency']})"
        )
    save("rate_limits", figures)
    print(f"saved to {RESULTS}")


if __name__ == "__main__":
    main()
