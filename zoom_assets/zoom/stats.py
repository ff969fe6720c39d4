"""Per-client counters, safe to update from every worker thread.

They feed the assets' run metadata: requests per endpoint and category, retries, 429s, pages,
records, bytes, and the entities skipped because Zoom no longer knows them.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class ClientStats:
    """Thread-safe counters of one client; `snapshot()` returns a plain copy."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_endpoint: Counter[str] = Counter()
        self._by_category: Counter[str] = Counter()
        self._totals: Counter[str] = Counter()
        self._skipped: list[dict[str, Any]] = []

    def request(self, endpoint: str, category: str) -> None:
        """Count one attempt at an API endpoint (answered or not)."""
        with self._lock:
            self._by_endpoint[endpoint] += 1
            self._by_category[category] += 1

    def add(self, name: str, amount: int = 1) -> None:
        """Add to a named total (retries, rate_limited_429, pages, records, bytes, ...)."""
        with self._lock:
            self._totals[name] += amount

    def skip(self, kind: str, entity_id: str, endpoint: str, code: int, message: str) -> None:
        """Record an entity that was skipped because Zoom answered not-found for it."""
        entry = {"kind": kind, "id": entity_id, "endpoint": endpoint, "code": code}
        with self._lock:
            self._skipped.append({**entry, "message": message})

    def snapshot(self) -> dict[str, Any]:
        """A consistent copy of every counter."""
        with self._lock:
            totals = {
                name: self._totals[name]
                for name in (
                    "retries",
                    "rate_limited_429",
                    "pages",
                    "records",
                    "bytes",
                    "token_requests",
                )
            }
            return {
                "requests_by_endpoint": dict(self._by_endpoint),
                "requests_by_category": dict(self._by_category),
                **totals,
                "skipped": [dict(entry) for entry in self._skipped],
            }
