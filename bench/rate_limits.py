"""How close the client runs to Zoom's per-second limits when every request takes 100 ms.

Starts the emulator with Business+ limits (optionally scaled) and 0.1 s latency, syncs meeting
reports for many users (Heavy) and then participants for many meetings (Medium), and reports each
category's achieved request rate as a fraction of its limit, from the emulator's own counters in
the same run. The target is 0.9 or more with no 429 and never more than the limit in any second.

    .venv/bin/python -m bench.rate_limits   # prints the figures, saves bench/results.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from zoom_assets.zoom import PLANS, Credentials, ZoomClient

RESULTS = Path(__file__).with_name("results.json")
CREDENTIALS = Credentials("bench-account", "bench-client", "bench-secret")
READY = "Zoom API emulator ready: api="


@contextmanager
def emulator(args: argparse.Namespace) -> Iterator[tuple[str, str]]:
    """Run the emulator in its own process, as Zoom would be; yields (api URL, token URL).

    A separate process keeps the emulator's threads from competing with the client's for one
    interpreter lock, which would blur what the client itself achieves.
    """
    creds = CREDENTIALS
    command = [
        sys.executable, "-m", "zoom_assets.emulator", "--port", "0",
        "--account-id", creds.account_id, "--client-id", creds.client_id,
        "--client-secret", creds.client_secret, "--seed", "11",
        "--users", str(args.users), "--days", str(args.days), "--plan", "business_plus",
        "--rate-limit-scale", str(args.scale), "--latency", str(args.latency),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(READY):
                api, token = line[len(READY) :].split(" token=")
                yield api.strip(), token.strip()
                break
        else:
            raise RuntimeError("the emulator stopped before it was ready")
    finally:
        process.terminate()
        process.wait(timeout=10)


def admin(api: str, action: str) -> dict[str, Any]:
    """The emulator's out-of-process admin endpoints: stats (GET) and reset (POST)."""
    url = api.removesuffix("/v2") + f"/_emulator/{action}"
    response = requests.request("GET" if action == "stats" else "POST", url, timeout=30)
    response.raise_for_status()
    return response.json()


def measure(api: str, category: str, work: Callable[[], list[Any]]) -> dict[str, Any]:
    """Run `work` and read the emulator's figures for `category` over exactly that run."""
    admin(api, "reset")
    started = time.monotonic()
    results = work()
    seconds = time.monotonic() - started
    stats = admin(api, "stats")
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


def steady_state(timeline: list[list[Any]], limit: float) -> dict[str, float]:
    """The rate the client keeps up once the opening burst is spent.

    A sliding-window pacer lets one full window of requests (`limit` of them) go at once, which
    flatters the plain average of a short run; leaving that burst out gives the long-run rate.
    """
    times = sorted(row[0] for row in timeline if row[2] == 200)
    burst = int(limit)
    rate = (len(times) - burst) / (times[-1] - times[0])
    return {"steady_rate_per_second": round(rate, 2), "steady_fraction": round(rate / limit, 3)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Both phases against one emulator; returns the figures to save."""
    with emulator(args) as (api, token_url):
        client = ZoomClient(
            CREDENTIALS,
            token_url=token_url,
            api_base_url=api,
            rate_limits=PLANS["business_plus"].scaled(args.scale),
            max_workers=args.workers,
        )
        with client:
            hosts = [u["id"] for s in ("active", "inactive") for u in client.iter_users(s)]
            last = datetime.now(UTC).date() - timedelta(days=1)
            first = last - timedelta(days=args.days - 1)
            hosts = hosts[: args.hosts]
            heavy = measure(
                api, "Heavy", lambda: list(client.reports_for_users(hosts, first, last))
            )
            uuids = [m["uuid"] for r in heavy.pop("results") for m in r.meetings][: args.meetings]
            medium = measure(api, "Medium", lambda: list(client.participants_for_meetings(uuids)))
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


def save(figures: dict[str, Any]) -> None:
    """Write the figures under "rate_limits", keeping other benchmarks' keys."""
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    saved["rate_limits"] = figures
    RESULTS.write_text(json.dumps(saved, indent=2) + "\n")


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
    save(figures)
    print(f"saved to {RESULTS}")


if __name__ == "__main__":
    main()
