"""Time formatting and calendar arithmetic shared by the account and the routes."""

from __future__ import annotations

import calendar
import time
from datetime import UTC, date, datetime, timedelta

DAY = 86_400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def epoch_of(day: date) -> int:
    """Seconds since the epoch at 00:00 UTC of `day`."""
    return (day.toordinal() - _EPOCH_ORDINAL) * DAY


def iso(epoch: int) -> str:
    """Zoom's timestamp form: ISO-8601 UTC with a `Z` and whole seconds."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def utc_now() -> datetime:
    """The default clock."""
    return datetime.now(UTC)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the last day of the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def next_utc_midnight(now: datetime) -> str:
    """When a daily quota resets: the next 00:00 UTC, in Zoom's `Retry-After` form."""
    tomorrow = now.astimezone(UTC).date() + timedelta(days=1)
    return f"{tomorrow.isoformat()}T00:00:00Z"
