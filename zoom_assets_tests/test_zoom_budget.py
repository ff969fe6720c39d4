"""The quota budget: the client reads the daily quota from Zoom's headers and stops, with a typed
error that says when the quota resets, before it takes the share kept for the account's other
apps, also with many workers in flight; the per-second share slows the pacing."""

from datetime import UTC, date, datetime

import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets.zoom import PLANS, QuotaShare, ZoomDailyLimitError, ZoomQuotaBudgetError
from zoom_assets.zoom.budget import DailyBudget, daily_reading
from zoom_assets.zoom.ratelimit import next_utc_midnight
from zoom_assets_tests.client_helpers import account_days, client_for

BUSINESS_PLUS_HEAVY_DAILY = 60_000


@pytest.mark.parametrize(
    ("headers", "reading"),
    [
        (
            {
                "X-RateLimit-Type": "Daily-limit",
                "X-RateLimit-Limit": "30000",
                "X-RateLimit-Remaining": "29000",
            },
            (30000, 29000),
        ),
        (
            {"X-RateLimit-Type": "QPS", "X-RateLimit-Limit": "20", "X-RateLimit-Remaining": "19"},
            None,
        ),
        ({"X-RateLimit-Limit": "6000", "X-RateLimit-Remaining": "5893"}, (6000, 5893)),
        ({"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "29"}, None),  # a per-second counter
        (
            {
                "X-RateLimit-Type": "Daily-limit",
                "X-RateLimit-Limit": "0",
                "X-RateLimit-Remaining": "3",
            },
            None,
        ),
        ({"X-RateLimit-Type": "Daily-limit"}, None),
    ],
)
def test_daily_quota_is_read_from_the_headers(
    headers: dict[str, str], reading: tuple[int, int] | None
) -> None:
    assert daily_reading(headers, per_second=30) == reading


def test_the_reserve_is_the_share_left_to_other_apps() -> None:
    assert DailyBudget(0.8, PLANS["pro"]).reserve(30_000) == 6_000
    assert DailyBudget(1.0, PLANS["pro"]).reserve(30_000) == 0
    with pytest.raises(ValueError, match="shares"):
        QuotaShare(daily=0)


@pytest.mark.parametrize("workers", [1, 8])
def test_reports_stop_at_the_budget_without_taking_the_reserve(
    emulator_factory: type[ZoomEmulator], workers: int
) -> None:
    emu = emulator_factory(seed=3, users=30, days=2)
    reserve = DailyBudget(0.8, PLANS["business_plus"]).reserve(BUSINESS_PLUS_HEAVY_DAILY)
    allowed = 5
    emu.faults.daily_quota_remaining = {"Heavy": reserve + allowed}
    hosts = emu.account.user_ids_with_reports()
    assert len(hosts) > allowed
    first, last = account_days(2)
    with client_for(emu, max_workers=workers) as client:
        with pytest.raises(ZoomQuotaBudgetError) as stopped:
            list(client.reports_for_users(hosts, first, last))
        quota = client.daily_quota()
    requests = emu.stats()["requests"]["report_meetings"]
    assert requests == {"200": allowed}  # no 429: the last of the quota stays untouched
    error = stopped.value
    assert isinstance(error, ZoomDailyLimitError)
    assert (error.category, error.remaining, error.reserve) == ("Heavy", reserve, reserve)
    assert error.resets_at == next_utc_midnight(datetime.now(UTC))
    assert f"{reserve} of {BUSINESS_PLUS_HEAVY_DAILY} requests left" in str(error)
    assert error.resets_at.isoformat() in str(error)
    assert quota == {
        "Heavy": {
            "limit": BUSINESS_PLUS_HEAVY_DAILY,
            "remaining": reserve,
            "reserved_for_other_apps": reserve,
        }
    }


def test_categories_without_a_daily_quota_are_not_limited(emulator: ZoomEmulator) -> None:
    with client_for(emulator, max_workers=8) as client:
        users = list(client.iter_all_users(page_size=2))
        assert client.daily_quota() == {}
    assert len(users) == len(emulator.account.users())


def test_the_per_second_share_slows_the_pacing(emulator_factory: type[ZoomEmulator]) -> None:
    emu = emulator_factory(seed=3, users=12, days=1, rate_limit_scale=0.1)  # Heavy 4/s
    hosts = emu.account.user_ids_with_reports()[:6]
    day: date = account_days(1)[0]
    limits = PLANS["business_plus"].scaled(0.1)
    share = QuotaShare(per_second=0.5)
    with client_for(emu, rate_limits=limits, quota_share=share, max_workers=6) as client:
        list(client.reports_for_users(hosts, day, day))
    stats = emu.stats()
    assert stats["max_in_any_second"]["Heavy"] <= 2
    assert stats["served_429"] == 0
