"""Rate limits: the pacer never lets more than the limit start in any 1-second window, yet runs
close to it; 429 answers are honoured in both Retry-After forms; a daily limit fails at once.
"""

from datetime import UTC, datetime, timedelta

import pytest

from zoom_assets.zoom import PLANS
from zoom_assets.zoom.ratelimit import (
    Pacer,
    is_daily_limit,
    next_utc_midnight,
    parse_retry_after,
)

NOW = datetime(2026, 5, 30, 17, 20, 5, tzinfo=UTC)


class FakeClock:
    """A monotonic clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def max_in_any_window(starts: list[float], window: float = 1.0) -> int:
    return max(sum(1 for t in starts if s <= t < s + window) for s in starts)


@pytest.mark.parametrize("limit", [1, 10, 40, 60.5])
def test_pacer_never_exceeds_the_limit_and_reaches_ninety_percent(limit: float) -> None:
    clock = FakeClock()
    pacer = Pacer(limit, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(int(limit) * 10):
        pacer.acquire()
        starts.append(clock())
    assert max_in_any_window(starts) <= int(limit)
    rate = (len(starts) - 1) / (starts[-1] - starts[0]) if starts[-1] > starts[0] else 0
    assert rate >= 0.9 * int(limit)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", NOW + timedelta(seconds=3)),
        ("0.5", NOW + timedelta(seconds=0.5)),
        ("2026-05-31T00:00:00Z", datetime(2026, 5, 31, tzinfo=UTC)),
        ("Sun, 31 May 2026 00:00:00 GMT", datetime(2026, 5, 31, tzinfo=UTC)),
        ("2026-05-31T00:00:00", datetime(2026, 5, 31, tzinfo=UTC)),
        ("", None),
        (None, None),
        ("soon", None),
    ],
)
def test_retry_after_in_seconds_and_date_forms(header: str | None, expected: object) -> None:
    assert parse_retry_after(header, NOW) == expected


def test_daily_limit_is_recognised_by_header_then_by_message() -> None:
    assert is_daily_limit({"X-RateLimit-Type": "Daily-limit"}, "")
    assert not is_daily_limit({"X-RateLimit-Type": "QPS"}, "maximum daily rate limit")
    assert is_daily_limit({}, "You have reached the maximum daily rate limit for this API.")
    assert not is_daily_limit({}, "You have reached the maximum per-second rate limit.")
    assert next_utc_midnight(NOW) == datetime(2026, 5, 31, tzinfo=UTC)


def test_plan_presets_follow_zooms_table() -> None:
    assert (PLANS["pro"].medium, PLANS["pro"].heavy, PLANS["pro"].heavy_daily) == (20, 10, 30000)
    business = PLANS["business_plus"]
    assert (business.light, business.medium, business.heavy) == (80, 60, 40)
    assert business.heavy_daily == 60000
    assert PLANS["free"].scaled(0.5).heavy_daily == 500
