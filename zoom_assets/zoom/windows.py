"""Report windows that Zoom accepts for `GET /report/users/{userId}/meetings`.

Zoom serves at most one month per request (`to <= from + 1 calendar month`) and only the last six
months (`from >= today - 6 calendar months`). The report reads `from`/`to` as dates in a zone the
client cannot know for sure, so the asked days are padded by one on each side; the caller keeps
the meetings whose UTC start date it wants.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from zoom_assets.zoom.errors import ZoomReportWindowError

ONE_DAY = timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clipped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def days_between(first: date, last: date) -> list[date]:
    """The days first..last, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def oldest_report_day(today: date) -> date:
    """The first `from` date Zoom still accepts."""
    return add_months(today, -6)


def report_windows(from_date: date, to_date: date, *, today: date) -> list[tuple[date, date]]:
    """The (from, to) windows that cover [from_date - 1, to_date + 1] within Zoom's rules."""
    if to_date < from_date:
        raise ZoomReportWindowError(
            f"The report range {from_date}..{to_date} ends before it starts; swap the dates."
        )
    oldest = oldest_report_day(today)
    if to_date < oldest:
        raise ZoomReportWindowError(
            f"The report range {from_date}..{to_date} is older than six months; Zoom keeps "
            f"meeting reports from {oldest} on. Ask for days on or after {oldest}."
        )
    start, end = max(from_date - ONE_DAY, oldest), to_date + ONE_DAY
    windows = []
    while start <= end:
        stop = min(end, add_months(start, 1))
        windows.append((start, stop))
        start = stop + ONE_DAY
    return windows
