"""Rate limits: the pacer never lets more than the limit start in any 1-second window, yet runs
close to it; 429 answers are honoured in both Retry-After forms; a daily limit fails at once.
"""

import itertools
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets.zoom import PLANS, ZoomDailyLimitError
from zoom_assets.zoom.ratelimit import (
    Pacer,
    is_daily_limit,
    next_utc_midnight,
    parse_retry_after,
)
from zoom_assets.zoom.retry import MAX_DELAY
from zoom_assets_tests.client_helpers import account_days, client_for, record_pauses, user_key

EmulatorFactory = Callable[..., ZoomEmulator]

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


@pytest.mark.parametrize("limit", [0.25, 1, 10, 40, 60.5])
def test_pacer_never_exceeds_the_limit_and_reaches_ninety_percent(limit: float) -> None:
    clock = FakeClock()
    pacer = Pacer(limit, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(max(1, int(limit)) * 10):
        pacer.acquire()
        starts.append(clock())
    window = 1.0 / min(1.0, limit)
    assert max_in_any_window(starts, window) <= max(1, int(limit))
    rate = (len(starts) - 1) / (starts[-1] - starts[0])
    assert rate >= 0.9 * min(limit, int(limit) or limit)


def test_threads_start_evenly_spaced_not_in_bursts() -> None:
    pacer = Pacer(100)
    starts: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            pacer.acquire()
            with lock:
                starts.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts.sort()
    gaps = sorted(b - a for a, b in itertools.pairwise(starts))
    # A sliding-window pacer would let 100 go at once; spacing keeps even the tightest gaps
    # near the interval (a late wake-up can only shorten the gap that follows it).
    assert gaps[len(gaps) // 2] >= 0.9 * pacer.interval
    assert max_in_any_window(starts, 0.1) <= 20


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


def test_429_storm_delivers_every_record_exactly_once(
    emulator: ZoomEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses = record_pauses(monkeypatch)
    emulator.faults.rate_limit_storm_rate = 0.4
    first, last = account_days(5)
    user_ids = emulator.account.user_ids_with_reports()
    with client_for(emulator) as client:
        users = list(client.iter_all_users(page_size=2))
        reports = {r.user_id: r.meetings for r in client.reports_for_users(user_ids, first, last)}
        limited = client.stats.snapshot()["rate_limited_429"]
    assert Counter(map(user_key, users)) == Counter(map(user_key, emulator.account.users()))
    assert reports == {u: emulator.account.report_meetings(u) for u in user_ids}
    assert limited == emulator.stats()["served_429"] == len(pauses) > 0


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("seconds", lambda pause: pause == 1.0),
        ("date", lambda pause: 0 < pause <= 2.0),
        ("none", lambda pause: 0 <= pause <= MAX_DELAY and pause != int(pause)),
    ],
)
def test_per_second_429_waits_as_retry_after_says(
    emulator: ZoomEmulator,
    monkeypatch: pytest.MonkeyPatch,
    form: str,
    expected: Callable[[float], bool],
) -> None:
    pauses = record_pauses(monkeypatch)
    emulator.faults.rate_limit_storm_rate = 0.5
    emulator.faults.retry_after_form = form
    with client_for(emulator) as client:
        users = list(client.iter_all_users(page_size=1))
    assert len(users) == len(emulator.account.users())
    assert pauses
    assert all(expected(pause) for pause in pauses), pauses


def test_daily_limit_fails_at_once_and_says_when_it_resets(
    emulator: ZoomEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses = record_pauses(monkeypatch)
    emulator.faults.daily_quota_remaining = {"Heavy": 0}
    first, last = account_days(5)
    user_ids = emulator.account.user_ids_with_reports()
    with client_for(emulator) as client, pytest.raises(ZoomDailyLimitError) as caught:
        list(client.reports_for_users(user_ids, first, last))
    now = datetime.now(UTC)
    assert caught.value.resets_at == next_utc_midnight(now)
    assert caught.value.category == "Heavy"
    assert caught.value.resets_at.isoformat() in str(caught.value)
    assert pauses == []
    assert 1 <= emulator.stats()["served_daily_limit"] <= 2 * 4  # at most the work in flight


def test_pacing_reaches_but_never_exceeds_the_limit(emulator_factory: EmulatorFactory) -> None:
    """Medium at 6/s: 13 requests from 8 workers take three windows and meet no 429.

    A first round opens the workers' connections, so that the measured round starts each
    request as soon as its slot comes (as a long sync does), not after a TCP handshake.
    """
    emu = emulator_factory(users=12, days=10, rate_limit_scale=0.1, latency=0.02)
    uuids = [m["uuid"] for u in emu.account.user_ids_with_reports()
             for m in emu.account.report_meetings(u)][:13]  # fmt: skip
    limits = PLANS["business_plus"].scaled(0.1)
    with client_for(emu, rate_limits=limits, max_workers=8) as client:
        list(client.participants_for_meetings(uuids[:8]))
        emu.reset_stats()
        assert len(list(client.participants_for_meetings(uuids))) == 13
    stats = emu.stats()
    assert stats["served_429"] == 0
    assert stats["max_in_any_second"]["Medium"] == limits.medium == 6
