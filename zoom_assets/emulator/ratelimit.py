"""Per-account rate limits by category (REFERENCE §7): a per-second sliding window and daily quotas.

The per-second limit is a sliding log of admission times on the monotonic clock, so no 1-second
window ever holds more admitted requests than the limit (a fractional limit below 1 becomes one
request per 1/limit seconds). Daily quotas count per UTC day of the injectable clock and reset at
00:00 UTC.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

CATEGORIES = ("Light", "Medium", "Heavy")

# (per second, per day or None) by plan; Heavy's daily cap is the one shared with
# Resource-intensive calls, which the emulator does not serve.
PLANS: dict[str, dict[str, tuple[float, int | None]]] = {
    "free": {"Light": (4, 6_000), "Medium": (2, 2_000), "Heavy": (1, 1_000)},
    "pro": {"Light": (30, None), "Medium": (20, None), "Heavy": (10, 30_000)},
    "business_plus": {"Light": (80, None), "Medium": (60, None), "Heavy": (40, 60_000)},
}

# Zoom's X-RateLimit-Type value for the per-second limit is undocumented [U]: "QPS" per one
# source, "Per-second-limit" per another.
PER_SECOND_TYPE = "QPS"
DAILY_TYPE = "Daily-limit"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Outcome of one admission: `limited` is "", "second" or "daily"; headers describe a window."""

    limited: str
    limit_type: str
    limit: int
    remaining: int
    retry_after_seconds: int = 0


class _Window:
    """Sliding log of admissions for one category."""

    def __init__(self, per_second: float) -> None:
        self.span = 1.0 if per_second >= 1 else 1.0 / per_second
        self.capacity = max(1, math.floor(per_second)) if per_second >= 1 else 1
        self.times: deque[float] = deque()
        self.max_in_second = 0

    def admit(self, now: float) -> tuple[bool, int]:
        """(admitted?, seconds until a slot frees); prunes admissions older than the window."""
        times = self.times
        while times and times[0] <= now - self.span:
            times.popleft()
        if len(times) >= self.capacity:
            return False, max(1, math.ceil(times[0] + self.span - now))
        times.append(now)
        in_last_second = len(times) if self.span == 1.0 else 1
        self.max_in_second = max(self.max_in_second, in_last_second)
        return True, 0


class RateLimiter:
    """Admits or refuses requests per category for one account."""

    def __init__(
        self, plan: str, scale: float, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        if plan not in PLANS:
            raise ValueError(f"plan must be one of {', '.join(PLANS)}")
        if scale <= 0:
            raise ValueError("rate_limit_scale must be positive")
        self.per_second = {c: PLANS[plan][c][0] * scale for c in CATEGORIES}
        daily = {c: PLANS[plan][c][1] for c in CATEGORIES}
        self.daily = {c: max(1, round(d * scale)) for c, d in daily.items() if d is not None}
        self._windows = {c: _Window(self.per_second[c]) for c in CATEGORIES}
        self._used: dict[str, int] = dict.fromkeys(CATEGORIES, 0)
        self._day: date | None = None
        self._monotonic = monotonic
        self._lock = threading.Lock()

    def admit(self, category: str, today: date, quota_override: dict[str, int] | None) -> Verdict:
        """Count one request of `category` if the limits allow it.

        `quota_override` (the `daily_quota_remaining` fault) replaces the remaining daily quota of
        the categories it names and is decremented in place by each admitted request, until the
        next 00:00 UTC of the clock, when it is emptied and the plan's quotas apply again.
        """
        with self._lock:
            self._roll_day(today, quota_override)
            override = quota_override is not None and category in quota_override
            daily_limit = self.daily.get(category)
            remaining_daily = (
                quota_override[category]
                if override
                else None
                if daily_limit is None
                else daily_limit - self._used[category]
            )
            window = self._windows[category]
            if remaining_daily is not None and remaining_daily <= 0:
                return Verdict("daily", DAILY_TYPE, daily_limit or 0, 0)
            admitted, retry_after = window.admit(self._monotonic())
            if not admitted:
                return Verdict("second", PER_SECOND_TYPE, window.capacity, 0, retry_after)
            self._used[category] += 1
            if override:
                quota_override[category] -= 1
            if remaining_daily is not None:
                return Verdict("", DAILY_TYPE, daily_limit or 0, remaining_daily - 1)
            return Verdict(
                "", PER_SECOND_TYPE, window.capacity, window.capacity - len(window.times)
            )

    def peek(self, category: str) -> Verdict:
        """Headers for a response that was not counted (e.g. refused before admission)."""
        with self._lock:
            if category in self.daily:
                limit = self.daily[category]
                return Verdict("", DAILY_TYPE, limit, max(0, limit - self._used[category]))
            window = self._windows[category]
            return Verdict(
                "", PER_SECOND_TYPE, window.capacity, max(0, window.capacity - len(window.times))
            )

    def _roll_day(self, today: date, quota_override: dict[str, int] | None) -> None:
        """At 00:00 UTC every quota is whole again, including one the fault had set for the day."""
        if today != self._day:
            if self._day is not None and quota_override:
                quota_override.clear()
            self._day = today
            self._used = dict.fromkeys(CATEGORIES, 0)

    def max_in_any_second(self) -> dict[str, int]:
        """Most requests admitted in any 1-second sliding window since the last reset."""
        with self._lock:
            return {c: w.max_in_second for c, w in self._windows.items()}

    def reset_peaks(self) -> None:
        """Forget the peaks (not the current windows or quotas)."""
        with self._lock:
            for window in self._windows.values():
                window.max_in_second = 0
