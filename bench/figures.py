"""What the benchmark compares with: the fewest requests a sync needs, the rate-limit floor, and
the rate achieved per category, from the emulator's account and its request timeline."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from zoom_assets.emulator.account import Account
from zoom_assets.zoom.paging import PAGE_SIZE
from zoom_assets.zoom.windows import days_between, report_windows

CATEGORY = {"users": "Medium", "report_meetings": "Heavy", "past_participants": "Medium"}
# The endpoint whose requests make up each category's share of a sync.
MAIN_ENDPOINT = {"Heavy": "report_meetings", "Medium": "past_participants"}
OPENING_SECONDS = 1.0


def pages(records: int) -> int:
    """Requests to list `records` in pages of 300 (an empty listing still takes one)."""
    return max(1, math.ceil(records / PAGE_SIZE))


def minimum_requests(
    account: Account, first: date, last: date, *, today: date, users: bool = True
) -> dict[str, Any]:
    """The fewest requests per endpoint that sync the days first..last of `account`, and the
    rows those days hold (to check that the sync wrote them all).

    Users: every status listed in pages of 300. Reports: one request per host per report window
    that the client's own window rules need for the range (a host's meetings of the range fit one
    page); participants: one listing per meeting with two or more participants, in pages of 300.
    """
    days = days_between(first, last)
    per_host: Counter[str] = Counter()
    participant_pages = meetings = rows = 0
    for day in days:
        for host_id, item in account.meetings_on(day):
            per_host[host_id] += 1
            meetings += 1
            rows += item["participants_count"]
            participant_pages += pages(item["participants_count"])
    windows = len(report_windows(first, last, today=today))
    hosts = account.user_ids_with_reports()
    needed = {
        "report_meetings": sum(windows * pages(per_host[h]) for h in hosts),
        "past_participants": participant_pages,
    }
    if users:
        statuses = ("active", "inactive", "pending")
        needed["users"] = sum(pages(len(account.users(s))) for s in statuses)
    return {
        "requests": needed,
        "hosts": len(hosts),
        "windows_per_host": windows,
        "meetings": meetings,
        "participant_rows": rows,
    }


def by_category(requests: Mapping[str, int]) -> dict[str, int]:
    """Requests per endpoint summed per rate-limit category."""
    totals: Counter[str] = Counter()
    for endpoint, count in requests.items():
        totals[CATEGORY[endpoint]] += count
    return dict(totals)


def floor_seconds(requests: Mapping[str, int], limits: Mapping[str, float]) -> float:
    """The shortest a sync can take: each category's requests at its full per-second limit.

    The assets run one after another (participants need the reports), so the categories' times
    add up rather than overlap.
    """
    return sum(count / limits[category] for category, count in by_category(requests).items())


def served(stats: Mapping[str, Any]) -> dict[str, int]:
    """Requests per endpoint that the emulator answered (any status), token requests left out."""
    return {
        endpoint: sum(codes.values())
        for endpoint, codes in stats["requests"].items()
        if endpoint in CATEGORY
    }


def steady_rate(moments: Iterable[float]) -> float | None:
    """Requests per second from one second after the first request to the last.

    The first second is left out because a limit counted over a sliding second lets a client send
    a whole second's allowance at once: counted in, it would flatter a short run (and a client
    that bursts). The requests of that second are left out with it, so a client that spaces its
    requests evenly from the start is measured at its true pace. None when the run is shorter
    than two seconds, too short to have a steady rate.
    """
    times = sorted(moments)
    if len(times) < 2 or times[-1] - times[0] < 1.0 + OPENING_SECONDS:
        return None
    after_opening = [t for t in times if t >= times[0] + OPENING_SECONDS]
    return len(after_opening) / (times[-1] - times[0] - OPENING_SECONDS)


def achieved_rates(
    timeline: Iterable[list[Any]], limits: Mapping[str, float]
) -> dict[str, dict[str, float | None]]:
    """Per category, the rate its main endpoint was served at while it was being synced: the
    steady rate (see `steady_rate`), and the plain average from the first request to the last."""
    times: dict[str, list[float]] = {category: [] for category in MAIN_ENDPOINT}
    endpoints = {endpoint: category for category, endpoint in MAIN_ENDPOINT.items()}
    for seconds, endpoint, status in timeline:
        if status == 200 and endpoint in endpoints:
            times[endpoints[endpoint]].append(seconds)
    rates = {}
    for category, moments in times.items():
        limit = limits[category]
        span = max(moments) - min(moments) if len(moments) > 1 else 0.0
        steady = steady_rate(moments)
        rates[category] = {
            "requests": len(moments),
            "seconds": round(span, 2),
            "limit_per_second": limit,
            "average_rate_per_second": round(len(moments) / span, 1) if span else None,
            "rate_per_second": None if steady is None else round(steady, 1),
            "fraction_of_limit": None if steady is None else round(steady / limit, 3),
        }
    return rates
