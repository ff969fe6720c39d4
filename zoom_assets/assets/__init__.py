"""The assets; their keys are also their DuckDB table names."""

from zoom_assets.assets.meeting_attendance import meeting_attendance
from zoom_assets.assets.meeting_reports import meeting_reports
from zoom_assets.assets.past_participants import past_participants
from zoom_assets.assets.zoom_users import zoom_users

ASSETS = [zoom_users, meeting_reports, past_participants, meeting_attendance]

__all__ = ["ASSETS", "meeting_attendance", "meeting_reports", "past_participants", "zoom_users"]
