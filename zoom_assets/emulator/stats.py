"""Request counters for tests and benchmarks; the timeline is capped so memory stays bounded."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager

TIMELINE_CAP = 200_000


class Stats:
    """Thread-safe counters behind `ZoomEmulator.stats()`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Zero every counter and restart the timeline clock."""
        with self._lock:
            self._started = time.monotonic()
            self._requests: defaultdict[str, Counter[str]] = defaultdict(Counter)
            self._by_category: Counter[str] = Counter()
            self._served_429 = 0
            self._served_daily = 0
            self._active = 0
            self._peak = 0
            self._timeline: deque[list] = deque(maxlen=TIMELINE_CAP)

    @contextmanager
    def in_flight(self) -> Iterator[None]:
        """Count a request as concurrent while the block runs (including added latency)."""
        with self._lock:
            self._active += 1
            self._peak = max(self._peak, self._active)
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1

    def record(self, endpoint: str, status: int, category: str | None, limited: str = "") -> None:
        """Count one response."""
        with self._lock:
            self._requests[endpoint][str(status)] += 1
            if category:
                self._by_category[category] += 1
            if status == 429:
                self._served_429 += 1
            if limited == "daily":
                self._served_daily += 1
            elapsed = round(time.monotonic() - self._started, 4)
            self._timeline.append([elapsed, endpoint, status])

    def snapshot(self) -> dict:
        """The counters as plain JSON-ready data (rate-limit figures are added by the caller)."""
        with self._lock:
            return {
                "requests": {e: dict(c) for e, c in self._requests.items()},
                "requests_by_category": dict(self._by_category),
                "served_429": self._served_429,
                "served_daily_limit": self._served_daily,
                "peak_concurrency": self._peak,
                "timeline": [list(row) for row in self._timeline],
            }
