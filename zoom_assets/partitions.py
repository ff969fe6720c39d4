"""The daily partitions (UTC days) and the date arithmetic around Zoom's report window.

Pure helpers take dates, so they are tested without Dagster; the assets only read the run's
partition time window and hand it here.
"""

from datetime import date, timedelta

import dagster as dg

from zoom_assets.settings import load_settings
from zoom_assets.zoom.windows import oldest_report_day

# UTC days from ZOOM_START_DATE up to yesterday: a day still in progress is not a partition.
DAILY = dg.DailyPartitionsDefinition(
    start_date=load_settings().start_date.isoformat(), timezone="UTC", end_offset=0
)


def days_in(window: dg.TimeWindow) -> list[date]:
    """Every calendar day of a partition time window (its end is exclusive)."""
    first, stop = window.start.date(), window.end.date()
    return [first + timedelta(days=n) for n in range((stop - first).days)]


def too_old_message(first: date, today: date) -> str | None:
    """Why days starting at `first` cannot be synced any more, or None when they can."""
    oldest = oldest_report_day(today)
    if first >= oldest:
        return None
    return (
        f"Zoom keeps meeting reports for six months only: {first} is before {oldest}, the oldest "
        f"day it still serves. Deselect partitions before {oldest} (or set ZOOM_START_DATE to "
        f"{oldest} or later); retrying cannot help."
    )
