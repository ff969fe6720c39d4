"""Rate limits per category (REFERENCE §7): sliding window, daily quotas, headers, stats."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

from zoom_assets.emulator.ratelimit import PLANS, RateLimiter
from zoom_assets.emulator.stats import TIMELINE_CAP, Stats

TODAY = date(2026, 6, 1)


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_never_admits_more_than_the_limit_in_any_second():
    clock = FakeMonotonic()
    limiter = RateLimiter("pro", 1.0, monotonic=clock)  # Heavy: 10 per second
    admitted = []
    for step in range(400):  # one attempt every 10 ms for 4 s
        clock.now = 1000.0 + step * 0.01
        if not limiter.admit("Heavy", TODAY, None).limited:
            admitted.append(clock.now)
    for t in admitted:
        assert sum(t <= other < t + 1.0 for other in admitted) <= 10
    assert len(admitted) >= 39
    assert limiter.max_in_any_second()["Heavy"] == 10


def test_refusal_says_when_a_slot_frees():
    clock = FakeMonotonic()
    limiter = RateLimiter("free", 1.0, monotonic=clock)  # Medium: 2 per second
    assert not limiter.admit("Medium", TODAY, None).limited
    clock.now += 0.3
    assert not limiter.admit("Medium", TODAY, None).limited
    refused = limiter.admit("Medium", TODAY, None)
    assert (refused.limited, refused.limit, refused.remaining) == ("second", 2, 0)
    assert refused.retry_after_seconds == 1
    clock.now += 0.71
    assert not limiter.admit("Medium", TODAY, None).limited


def test_fractional_limits_space_requests_out():
    clock = FakeMonotonic()
    limiter = RateLimiter("free", 0.5, monotonic=clock)  # Heavy: one per 2 s
    assert not limiter.admit("Heavy", TODAY, None).limited
    clock.now += 1.5
    assert limiter.admit("Heavy", TODAY, None).limited == "second"
    clock.now += 0.6
    assert not limiter.admit("Heavy", TODAY, None).limited


def test_daily_quota_counts_per_utc_day_and_resets():
    clock = FakeMonotonic()
    limiter = RateLimiter("free", 0.003, monotonic=clock)  # Heavy daily quota 1000 -> 3
    verdicts = []
    for _ in range(4):
        clock.now += 1000
        verdicts.append(limiter.admit("Heavy", TODAY, None))
    assert [v.limited for v in verdicts] == ["", "", "", "daily"]
    assert [v.remaining for v in verdicts[:3]] == [2, 1, 0]
    assert verdicts[3].limit_type == "Daily-limit"
    clock.now += 1000
    assert not limiter.admit("Heavy", TODAY + timedelta(days=1), None).limited


@pytest.mark.parametrize("plan", sorted(PLANS))
def test_plan_presets_and_scale(plan):
    limiter = RateLimiter(plan, 0.5)
    for category, (per_second, daily) in PLANS[plan].items():
        assert limiter.per_second[category] == per_second * 0.5
        assert limiter.daily.get(category) == (None if daily is None else round(daily * 0.5))


def test_every_api_response_carries_rate_limit_headers(emulator, api_session):
    session = api_session(emulator)
    day = emulator.account.days[0].isoformat()
    responses = {
        "users": session.get(f"{emulator.base_url}/users", timeout=10),
        "report": session.get(
            f"{emulator.base_url}/report/users/nobody/meetings",
            params={"from": day, "to": day},
            timeout=10,
        ),
        "participants": session.get(
            f"{emulator.base_url}/past_meetings/1/participants", timeout=10
        ),
        "unauthorized": session.get(
            f"{emulator.base_url}/users", headers={"Authorization": "Bearer x"}, timeout=10
        ),
    }
    categories = {"users": "Medium", "report": "Heavy", "participants": "Medium",
                  "unauthorized": "Medium"}  # fmt: skip
    for name, response in responses.items():
        headers = response.headers
        assert headers["X-RateLimit-Category"] == categories[name], name
        assert headers["X-RateLimit-Type"] in {"QPS", "Daily-limit"}
        assert int(headers["X-RateLimit-Limit"]) >= int(headers["X-RateLimit-Remaining"]) >= 0
    assert responses["report"].headers["X-RateLimit-Type"] == "Daily-limit"
    assert responses["report"].headers["X-RateLimit-Limit"] == "60000"


def test_server_refuses_beyond_the_limit_and_counts_it(emulator_factory, api_session):
    emu = emulator_factory(users=3, days=1, plan="free")  # Medium: 2 per second
    session = api_session(emu)
    codes = [session.get(f"{emu.base_url}/users", timeout=10).status_code for _ in range(6)]
    assert codes.count(200) == 2 and codes.count(429) == 4
    stats = emu.stats()
    assert stats["served_429"] == 4
    assert stats["max_in_any_second"]["Medium"] == 2
    assert stats["limits_per_second"] == {"Light": 4, "Medium": 2, "Heavy": 1}
    assert stats["requests"]["users"] == {"200": 2, "429": 4}
    assert stats["requests_by_category"] == {"Medium": 6}
    users_rows = [row[1:] for row in stats["timeline"] if row[1] == "users"]
    assert users_rows == [["users", c] for c in codes]


def test_latency_is_concurrent_and_peak_concurrency_is_reported(emulator_factory, api_session):
    emu = emulator_factory(users=3, days=1, latency=0.4)
    session = api_session(emu)
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _: session.get(f"{emu.base_url}/users", timeout=10), range(8)))
    assert all(r.status_code == 200 for r in codes)
    assert all(r.elapsed.total_seconds() >= 0.4 for r in codes)
    assert emu.stats()["peak_concurrency"] >= 6


def test_timeline_is_capped():
    stats = Stats()
    for _ in range(TIMELINE_CAP + 10):
        stats.record("users", 200, "Medium")
    snapshot = stats.snapshot()
    assert len(snapshot["timeline"]) == TIMELINE_CAP
    assert snapshot["requests"]["users"]["200"] == TIMELINE_CAP + 10
