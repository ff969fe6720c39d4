"""The daily partitions (UTC days) and the date arithmetic around Zoom's report window.

Pure helpers take dates, so they are tested without Dagster; the assets only read the run's
partition time window and hand it here.
"""

from datetime import date

import dagster as dg

from zoom_assets.settings import load_settings
from zoom_assets.zoom.windows import ONE_DAY, add_months, days_between, oldest_report_day

# UTC days from ZOOM_START_DATE up to yesterday: a day still in progress is not a partition.
DAILY = dg.DailyPartitionsDefinition(
    start_date=load_settings().start_date.isoformat(), timezone="UTC", end_offset=0
)


def days_in(window: dg.TimeWindow) -> list[date]:
    """Every calendar day of a partition time window (its end is exclusive)."""
    return days_between(window.start.date(), window.end.date() - ONE_DAY)


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


def report_chunks(days: list[date], today: date) -> list[list[date]]:
    """The days cut, in order, into runs that each take one report request per host.

    A report request covers its days padded by one on each side and may span one calendar month
    (REFERENCE §4.2), so a run holds about 30 days. `meeting_reports` writes run by run: a backfill
    stopped by the daily quota keeps the runs it finished.
    """
    oldest = oldest_report_day(today)
    chunks: list[list[date]] = []
    start = 0
    while start < len(days):
        last_day = add_months(max(days[start] - ONE_DAY, oldest), 1) - ONE_DAY
        stop = start + 1
        while stop < len(days) and days[stop] <= last_day:
            stop += 1
        chunks.append(days[start:stop])
        start = stop
    return chunks
