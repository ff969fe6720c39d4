"""A Zoom REST API client for Server-to-Server OAuth apps; it knows nothing of Dagster."""

from zoom_assets.zoom.auth import Credentials
from zoom_assets.zoom.budget import QuotaShare
from zoom_assets.zoom.client import MeetingParticipants, ScopeCheck, UserReports, ZoomClient
from zoom_assets.zoom.errors import (
    ZoomAuthError,
    ZoomConfigError,
    ZoomDailyLimitError,
    ZoomError,
    ZoomNotFoundError,
    ZoomQuotaBudgetError,
    ZoomRateLimitError,
    ZoomReportWindowError,
    ZoomResponseError,
    ZoomScopeError,
)
from zoom_assets.zoom.ratelimit import PLANS, RateLimits

__all__ = [
    "PLANS",
    "Credentials",
    "MeetingParticipants",
    "QuotaShare",
    "RateLimits",
    "ScopeCheck",
    "UserReports",
    "ZoomAuthError",
    "ZoomClient",
    "ZoomConfigError",
    "ZoomDailyLimitError",
    "ZoomError",
    "ZoomNotFoundError",
    "ZoomQuotaBudgetError",
    "ZoomRateLimitError",
    "ZoomReportWindowError",
    "ZoomResponseError",
    "ZoomScopeError",
]
