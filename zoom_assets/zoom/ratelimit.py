"""Zoom's rate limits: plan presets, a proactive pacer per category, and reading 429 answers.

Limits are per account and per category (Light, Medium, Heavy), shared by all of the account's
apps (REFERENCE §7). The client paces itself so that it seldom meets a 429 at all: the requests
of a category start at evenly spaced times, booked by all worker threads of a client in turn.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from datetime import time as day_time
from email.utils import parsedate_to_datetime

# Starts are spaced as if a limit's requests were spread over slightly more than one second: Zoom
# counts arrivals, and a request that leaves up to 50 ms late must still not crowd Zoom's second.
PACING_WINDOW = 1.05
MIN_WAIT = 0.001


@dataclass(frozen=True)
class RateLimits:
    """Per-second limits per category and the daily caps of a plan (REFERENCE §7.2)."""

    light: float
    medium: float
    heavy: float
    heavy_daily: int | None = None
    light_daily: int | None = None
    medium_daily: int | None = None

    def per_second(self, category: str) -> float:
        """The per-second limit of "Light", "Medium" or "Heavy"."""
        return float(getattr(self, category.lower()))

    def per_second_scaled(self, factor: float) -> RateLimits:
        """The same plan with the per-second limits multiplied by `factor` (e.g. a share)."""
        return replace(
            self, light=self.light * factor, medium=self.medium * factor, heavy=self.heavy * factor
        )

    def scaled(self, factor: float) -> RateLimits:
        """The same plan with every limit multiplied by `factor` (for emulators and tests)."""

        def scale(value: int | None) -> int | None:
            return None if value is None else max(1, round(value * factor))

        return replace(
            self.per_second_scaled(factor),
            heavy_daily=scale(self.heavy_daily),
            light_daily=scale(self.light_daily),
            medium_daily=scale(self.medium_daily),
        )


PLANS: Mapping[str, RateLimits] = {
    "free": RateLimits(
        light=4, medium=2, heavy=1, heavy_daily=1000, light_daily=6000, medium_daily=2000
    ),
    "pro": RateLimits(light=30, medium=20, heavy=10, heavy_daily=30000),
    "business_plus": RateLimits(light=80, medium=60, heavy=40, heavy_daily=60000),
}


class Pacer:
    """Starts requests one every `window / limit` seconds, evenly spaced.

    One instance per category is shared by all threads of a client; each caller books the next
    free start time and sleeps until it comes. Even spacing, rather than letting a window's worth
    of requests go at once and then waiting, matters for two reasons: requests that leave together
    queue for the interpreter lock and reach Zoom late, crowding the next second into a 429; and
    the client keeps the limit's pace from its first request on. A thread that wakes late still
    counts from when it really started: no more than `limit` requests start in any window of
    `window` seconds. A limit below one per second (a scaled-down plan) means a longer interval.
    """

    def __init__(
        self,
        limit: float,
        *,
        window: float = PACING_WINDOW,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit <= 0:
            raise ValueError("a rate limit must be above 0 requests per second")
        self.interval = window / limit
        self.slots = max(1, int(limit))
        self._window = window / min(1.0, limit)
        self._clock = clock
        self._sleep = sleep
        self._next_booking = -math.inf
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until this request's booked start time, then until the window has room."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next_booking)
            self._next_booking = start + self.interval
        while True:
            if start > now:
                # At least a millisecond, so that rounding can never turn this into a busy loop.
                self._sleep(max(start - now, MIN_WAIT))
            with self._lock:
                now = self._clock()
                while self._starts and self._starts[0] + self._window <= now:
                    self._starts.popleft()
                if len(self._starts) < self.slots:
                    self._starts.append(now)
                    return
                start = self._starts[0] + self._window


class RateLimiter:
    """One pacer per category, built from a plan's per-second limits."""

    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self._pacers = {
            category: Pacer(limits.per_second(category))
            for category in ("Light", "Medium", "Heavy")
        }

    def acquire(self, category: str) -> None:
        """Wait for a slot in `category`'s window."""
        self._pacers[category].acquire()


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """When a `Retry-After` header allows the next call: delta-seconds, ISO 8601 or HTTP date."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return now + timedelta(seconds=max(0.0, float(value)))
    except OverflowError:  # a number of seconds past the calendar: not a usable answer
        return None
    except ValueError:
        pass
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def is_daily_limit(headers: Mapping[str, str], message: str) -> bool:
    """Whether a 429 reports the daily quota (X-RateLimit-Type, else Zoom's message wording)."""
    kind = headers.get("X-RateLimit-Type", "")
    if kind:
        return kind.strip().lower() == "daily-limit"
    return "daily" in message.lower()


def next_utc_midnight(now: datetime) -> datetime:
    """Zoom's daily quotas reset at 00:00 UTC."""
    tomorrow = now.astimezone(UTC).date() + timedelta(days=1)
    return datetime.combine(tomorrow, day_time(0), tzinfo=UTC)
