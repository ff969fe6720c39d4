"""Typed errors of the Zoom client.

Every error derives from `ZoomError` and from the builtin it resembles, so callers can catch either.
Messages say what to do next. They never contain a client secret or an access token: the request
URL carries neither (the token travels in the `Authorization` header only), and Zoom's own messages
are quoted only from error bodies, which do not echo credentials.
"""

from __future__ import annotations

from datetime import datetime


class ZoomError(Exception):
    """Base class of every error raised by `zoom_assets.zoom`."""


class ZoomConfigError(ZoomError, ValueError):
    """The client was configured with a value it refuses (missing credential, insecure URL)."""


class ZoomAuthError(ZoomError, PermissionError):
    """Zoom refused the credentials or the access token."""


class ZoomScopeError(ZoomAuthError):
    """The app's token lacks a scope (or the role a permission) that the endpoint needs."""

    def __init__(self, message: str, *, endpoint: str, scope: str) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.scope = scope


class ZoomNotFoundError(ZoomError, LookupError):
    """The user (1001) or meeting (3001, 12702) does not exist or is no longer reachable."""

    def __init__(self, message: str, *, endpoint: str, entity_id: str, code: int) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.entity_id = entity_id
        self.code = code


class ZoomRateLimitError(ZoomError, RuntimeError):
    """Zoom kept answering 429 after the client's retries."""


class ZoomDailyLimitError(ZoomRateLimitError):
    """The account's daily quota for a rate-limit category is spent; calls resume at `resets_at`."""

    def __init__(self, message: str, *, category: str, resets_at: datetime) -> None:
        super().__init__(message)
        self.category = category
        self.resets_at = resets_at


class ZoomQuotaBudgetError(ZoomDailyLimitError):
    """This client's share of a daily quota is spent: Zoom still has `remaining` of `limit`
    requests for today, and `reserve` of them are left to the account's other apps."""

    def __init__(
        self,
        message: str,
        *,
        category: str,
        resets_at: datetime,
        limit: int,
        remaining: int,
        reserve: int,
    ) -> None:
        super().__init__(message, category=category, resets_at=resets_at)
        self.limit = limit
        self.remaining = remaining
        self.reserve = reserve


class ZoomReportWindowError(ZoomError, ValueError):
    """A report date range that Zoom cannot serve (older than six months, or rejected)."""


class ZoomResponseError(ZoomError, RuntimeError):
    """An answer the client cannot use: unexpected status, or faults that outlasted the retries."""

    def __init__(
        self, message: str, *, endpoint: str, status: int | None = None, code: int | None = None
    ) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.status = status
        self.code = code


class ZoomPageTokenError(ZoomResponseError):
    """400/300 for a `next_page_token`: internal signal that the listing must restart."""
