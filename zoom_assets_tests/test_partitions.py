"""Partition days and the six-month report limit, from plain dates."""

from datetime import UTC, date, datetime, timedelta

import dagster as dg
import pytest

from zoom_assets.partitions import DAILY, days_in, too_old_message
from zoom_assets.settings import load_settings


def window(start: str, end: str) -> dg.TimeWindow:
    return dg.TimeWindow(
        datetime.fromisoformat(start).replace(tzinfo=UTC),
        datetime.fromisoformat(end).replace(tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-12-01", "2026-12-02", [date(2026, 12, 1)]),
        ("2026-11-29", "2026-12-02", [date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 1)]),
        ("2024-02-28", "2024-03-01", [date(2024, 2, 28), date(2024, 2, 29)]),
    ],
)
def test_days_in_a_window_exclude_its_end(start: str, end: str, expected: list[date]) -> None:
    assert days_in(window(start, end)) == expected


@pytest.mark.parametrize(
    ("first", "today", "too_old"),
    [
        (date(2026, 6, 4), date(2026, 12, 4), False),
        (date(2026, 6, 3), date(2026, 12, 4), True),
        (date(2026, 2, 28), date(2026, 8, 31), False),  # six months before Aug 31 is Feb 28
        (date(2026, 2, 27), date(2026, 8, 31), True),
    ],
)
def test_days_older_than_six_calendar_months_are_refused(
    first: date, today: date, too_old: bool
) -> None:
    message = too_old_message(first, today)
    assert (message is not None) == too_old
    if message:
        assert "six months" in message and "retrying cannot help" in message


def test_partitions_are_utc_days_from_the_start_date_to_yesterday() -> None:
    now = datetime.now(UTC)
    keys = DAILY.get_partition_keys(current_time=now)
    assert keys[0] == load_settings().start_date.isoformat()
    assert keys[-1] == (now.date() - timedelta(days=1)).isoformat()
    assert DAILY.timezone == "UTC"
