"""Report windows: Zoom accepts `to <= from + 1 calendar month` within the last six months only.

A window that breaks either rule costs a failed request per user, so the client must plan legal
windows up front, pad a day each side, and refuse a hopeless range before any request.
"""

from datetime import date, timedelta
from itertools import pairwise

import pytest

from zoom_assets.zoom import ZoomReportWindowError
from zoom_assets.zoom.windows import add_months, report_windows

TODAY = date(2026, 8, 31)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 8, 31), -6, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
    ],
)
def test_add_months_clips_to_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_one_day_is_padded_on_both_sides() -> None:
    assert report_windows(date(2026, 8, 10), date(2026, 8, 10), today=TODAY) == [
        (date(2026, 8, 9), date(2026, 8, 11))
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 3, 1), date(2026, 8, 30)),
        (date(2026, 3, 31), date(2026, 7, 31)),
        (date(2026, 6, 15), date(2026, 7, 14)),
        (date(2026, 6, 1), date(2026, 6, 30)),
    ],
)
def test_windows_are_legal_contiguous_and_cover_the_padded_range(start: date, end: date) -> None:
    windows = report_windows(start, end, today=TODAY)
    assert windows[0][0] == start - timedelta(days=1)
    assert windows[-1][1] == end + timedelta(days=1)
    for (_, w_to), (next_from, _) in pairwise(windows):
        assert next_from == w_to + timedelta(days=1)
    for w_from, w_to in windows:
        assert w_from <= w_to <= add_months(w_from, 1)


def test_start_is_clamped_to_six_months() -> None:
    windows = report_windows(date(2025, 12, 1), date(2026, 3, 5), today=TODAY)
    assert windows[0][0] == date(2026, 2, 28)
    assert windows[-1][1] == date(2026, 3, 6)


def test_range_wholly_older_than_six_months_is_refused_with_the_first_usable_day() -> None:
    with pytest.raises(ZoomReportWindowError, match="2026-02-28"):
        report_windows(date(2026, 1, 1), date(2026, 2, 27), today=TODAY)


def test_reversed_range_is_refused() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        report_windows(date(2026, 8, 2), date(2026, 8, 1), today=TODAY)
