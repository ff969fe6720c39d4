"""A daily-quota budget: the client's share of the account's daily quotas, kept from the headers.

Zoom's limits belong to the account and are shared by all of its apps (REFERENCE §7.1). Every
answer says, per category, how much of the day's quota is left (`X-RateLimit-Limit`,
`-Remaining`, `-Type: Daily-limit`). The client may use a share of each daily quota: it stops
once Zoom reports no more than the rest left, so that the other apps keep that reserve whoever
spent the quota so far. As the reserve comes near, the client slows down: a request starts only
while the requests in flight cannot take the remainder below the reserve, so with many workers the
last requests go one by one. A category whose first answer has not come back yet takes one
request at a time (the headers say whether it has a daily quota at all).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from zoom_assets.zoom.errors import ZoomQuotaBudgetError
from zoom_assets.zoom.ratelimit import RateLimits, next_utc_midnight

DAILY = "daily-limit"


@dataclass(frozen=True)
class QuotaShare:
    """The share of the account's limits this client may use: of every per-second limit, and of
    every daily quota (Heavy on Pro and Business+; every category on Free)."""

    per_second: float = 1.0
    daily: float = 0.8

    def __post_init__(self) -> None:
        if not (0 < self.per_second <= 1 and 0 < self.daily <= 1):
            raise ValueError("quota shares must be above 0 and at most 1")


DEFAULT_SHARE = QuotaShare()


@dataclass
class _Category:
    day: date
    limit: int | None = None  # None: not known yet
    remaining: int | None = None
    daily: bool | None = None  # None: no answer yet; False: Zoom reports no daily quota
    in_flight: int = 0


def daily_reading(headers: Mapping[str, str], per_second: float) -> tuple[int, int] | None:
    """(limit, remaining) when the headers describe a daily quota, else None.

    Zoom's 200s have been seen without `X-RateLimit-Type` but with a daily counter (REFERENCE
    §7.4); without a type, a limit above the per-second limit is read as the daily one.
    """
    try:
        limit = int(headers.get("X-RateLimit-Limit", ""))
        remaining = int(headers.get("X-RateLimit-Remaining", ""))
    except ValueError:
        return None
    kind = headers.get("X-RateLimit-Type", "").strip().lower()
    is_daily = kind == DAILY if kind else limit > per_second
    return (limit, remaining) if is_daily and limit > 0 else None


class DailyBudget:
    """Admits requests per category while the day's quota stays above the reserve."""

    def __init__(
        self,
        share: float,
        limits: RateLimits,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.share = share
        self._limits = limits
        self._now = now
        self._categories: dict[str, _Category] = {}
        self._changed = threading.Condition()

    def reserve(self, limit: int) -> int:
        """Requests of a daily quota of `limit` that are kept for the account's other apps."""
        return math.ceil(limit * (1 - self.share) - 1e-9)

    def acquire(self, category: str) -> None:
        """Wait until a request of `category` fits the budget; raise when it never will today."""
        with self._changed:
            while True:
                state = self._state(category)
                if state.daily is False or (state.daily is None and not state.in_flight):
                    break
                if state.daily and state.remaining is not None and state.limit is not None:
                    reserve = self.reserve(state.limit)
                    if state.remaining - state.in_flight > reserve:
                        break
                    if not state.in_flight:
                        raise self._spent(category, state.limit, state.remaining, reserve)
                self._changed.wait()
            state.in_flight += 1

    def release(self, category: str, headers: Mapping[str, str] | None) -> None:
        """A request of `category` is answered (`headers`) or failed without an answer (None)."""
        with self._changed:
            state = self._state(category)
            state.in_flight = max(0, state.in_flight - 1)
            if headers is not None and headers.get("X-RateLimit-Category", category) == category:
                reading = daily_reading(headers, self._limits.per_second(category))
                if reading is not None:
                    limit, remaining = reading
                    state.daily, state.limit = True, limit
                    # Answers overtake each other: the smallest remainder of the day is the truth.
                    known = state.remaining
                    state.remaining = remaining if known is None else min(known, remaining)
                elif state.daily is None and headers.get("X-RateLimit-Category"):
                    state.daily = False
            self._changed.notify_all()

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Per category with a daily quota: its limit, what Zoom said is left, and the reserve."""
        with self._changed:
            return {
                name: {
                    "limit": s.limit,
                    "remaining": s.remaining,
                    "reserved_for_other_apps": self.reserve(s.limit),
                }
                for name, s in self._categories.items()
                if s.daily and s.limit is not None
            }

    def _state(self, category: str) -> _Category:
        """The category's state for today: quotas refill at 00:00 UTC."""
        today = self._now().astimezone(UTC).date()
        state = self._categories.get(category)
        if state is None or state.day != today:
            in_flight = state.in_flight if state else 0
            state = self._categories[category] = _Category(today, in_flight=in_flight)
        return state

    def _spent(
        self, category: str, limit: int, remaining: int, reserve: int
    ) -> ZoomQuotaBudgetError:
        resets_at = next_utc_midnight(self._now())
        return ZoomQuotaBudgetError(
            f"This app's share of the account's daily {category} quota is used up: Zoom reports "
            f"{remaining} of {limit} requests left today, and {reserve} "
            f"({1 - self.share:.0%}) stay for the account's other apps. The quota resets at "
            f"{resets_at.isoformat()}; run again after that (or raise the daily share).",
            category=category,
            resets_at=resets_at,
            limit=limit,
            remaining=remaining,
            reserve=reserve,
        )
