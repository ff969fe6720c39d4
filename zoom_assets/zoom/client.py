"""`ZoomClient`: the Zoom API as lazy iterators, for one Server-to-Server OAuth app.

All HTTP goes through `Transport.get` and all paging through `paging.iter_records`. The concurrent
helpers run one listing per user or meeting on a bounded thread pool; together with the pacers
they let the client reach the plan's per-second limits even when each request takes a while.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import chain
from typing import Generic, TypeVar

from zoom_assets.zoom.auth import Credentials, TokenProvider
from zoom_assets.zoom.budget import DEFAULT_SHARE, DailyBudget, QuotaShare
from zoom_assets.zoom.endpoints import (
    ENDPOINTS,
    PAST_PARTICIPANTS,
    REPORT_MEETINGS,
    USERS,
    Endpoint,
    Record,
)
from zoom_assets.zoom.errors import ZoomConfigError, ZoomNotFoundError
from zoom_assets.zoom.fanout import stream_map
from zoom_assets.zoom.paging import PAGE_SIZE, iter_records
from zoom_assets.zoom.ratelimit import PLANS, RateLimiter, RateLimits
from zoom_assets.zoom.stats import ClientStats
from zoom_assets.zoom.transport import Transport
from zoom_assets.zoom.urls import DEFAULT_TOKEN_URL
from zoom_assets.zoom.windows import report_windows

T = TypeVar("T")
G = TypeVar("G")
Item = TypeVar("Item")
USER_STATUSES = ("active", "inactive", "pending")


@dataclass(frozen=True)
class UserReports:
    """The meeting report items of one host over the asked range."""

    user_id: str
    meetings: list[Record]


@dataclass(frozen=True)
class MeetingParticipants:
    """The participant rows of one past meeting instance."""

    meeting_uuid: str
    participants: list[Record]


@dataclass
class _Group(Generic[G]):
    """A group of meetings whose participants are being fetched: how many, and what came back."""

    key: G
    size: int
    answered: int = 0
    results: list[MeetingParticipants] = field(default_factory=list)

    def add(self, result: MeetingParticipants | None) -> None:
        """One meeting answered (None: skipped)."""
        self.answered += 1
        if result is not None:
            self.results.append(result)

    @property
    def complete(self) -> bool:
        return self.answered == self.size


@dataclass(frozen=True)
class ScopeCheck:
    """Whether the app's token carries a scope that one endpoint needs."""

    endpoint: str
    scope: str
    granted: bool
    detail: str


class ZoomClient:
    """A thread-safe client of the Zoom REST API for one account.

    Nothing touches the network until the first call. `max_workers` bounds the thread pool of the
    concurrent helpers; pacing keeps every category under `rate_limits` across all threads, times
    `quota_share.per_second`; a daily quota is used down to `quota_share.daily` of it at most
    (the rest stays for the account's other apps; `ZoomQuotaBudgetError` says when it resets).
    """

    def __init__(
        self,
        credentials: Credentials,
        *,
        api_base_url: str | None = None,
        token_url: str = DEFAULT_TOKEN_URL,
        rate_limits: RateLimits = PLANS["pro"],
        quota_share: QuotaShare = DEFAULT_SHARE,
        max_workers: int = 16,
        timeout: tuple[float, float] = (5.0, 30.0),
        max_retries: int = 6,
        today: Callable[[], date] | None = None,
    ) -> None:
        if max_workers < 1 or max_retries < 0 or min(timeout) <= 0:
            raise ZoomConfigError(
                "max_workers must be at least 1, max_retries at least 0 and both timeouts "
                "(connect, read) above 0 seconds."
            )
        self.stats = ClientStats()
        self._auth = TokenProvider(
            credentials, token_url, timeout=timeout, max_retries=max_retries, stats=self.stats
        )
        self._budget = DailyBudget(quota_share.daily, rate_limits)
        self._transport = Transport(
            self._auth,
            RateLimiter(rate_limits.per_second_scaled(quota_share.per_second)),
            self._budget,
            self.stats,
            api_base_url=api_base_url,
            timeout=timeout,
            max_retries=max_retries,
        )
        self._account_id = credentials.account_id
        self._max_workers = max_workers
        self._today = today or (lambda: datetime.now(UTC).date())
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ZoomClient(account_id={self._account_id!r}, max_workers={self._max_workers})"

    def __enter__(self) -> ZoomClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def rate_limit_headers(self) -> dict[str, dict[str, str]]:
        """The last X-RateLimit-* values Zoom sent, per category."""
        return self._transport.rate_limit_headers

    def daily_quota(self) -> dict[str, dict[str, int | None]]:
        """Per category with a daily quota: its limit, what Zoom last said is left, and the
        reserve this client leaves to the account's other apps."""
        return self._budget.snapshot()

    def iter_users(self, status: str = "active", *, page_size: int = PAGE_SIZE) -> Iterator[Record]:
        """Users of one status: "active", "inactive" or "pending" (pending users have no id)."""
        if status not in USER_STATUSES:
            raise ZoomConfigError(f"Unknown user status {status!r}; use one of {USER_STATUSES}.")
        return self._list(USERS, {"status": status}, page_size=page_size)

    def iter_all_users(self, *, page_size: int = PAGE_SIZE) -> Iterator[Record]:
        """Active, then inactive, then pending users."""
        return chain.from_iterable(
            self.iter_users(status, page_size=page_size) for status in USER_STATUSES
        )

    def report_windows(self, from_date: date, to_date: date) -> list[tuple[date, date]]:
        """The (from, to) request windows used for the days [from_date, to_date]."""
        return report_windows(from_date, to_date, today=self._today())

    def iter_meeting_reports(
        self, user_id: str, *, from_date: date, to_date: date, page_size: int = PAGE_SIZE
    ) -> Iterator[Record]:
        """Report items of one host for the days [from_date, to_date], padded by a day each side.

        Raises ZoomReportWindowError at once (before any request) for a range Zoom cannot serve.
        """
        windows = self.report_windows(from_date, to_date)
        return self._meeting_reports(user_id, windows, page_size)

    def _meeting_reports(
        self, user_id: str, windows: list[tuple[date, date]], page_size: int = PAGE_SIZE
    ) -> Iterator[Record]:
        """Items of every window, each meeting once even if two windows both return it."""
        seen: set[object] = set()
        for start, stop in windows:
            params = {"from": start.isoformat(), "to": stop.isoformat()}
            for meeting in self._list(REPORT_MEETINGS, params, user_id, page_size):
                key = REPORT_MEETINGS.identity(meeting)
                if key not in seen:
                    seen.add(key)
                    yield meeting

    def iter_past_participants(
        self, meeting_uuid: str, *, page_size: int = PAGE_SIZE
    ) -> Iterator[Record]:
        """Participant rows of one past meeting instance (UUID double-encoded when needed)."""
        return self._list(PAST_PARTICIPANTS, {}, meeting_uuid, page_size)

    def reports_for_users(
        self, user_ids: Iterable[str], from_date: date, to_date: date
    ) -> Iterator[UserReports]:
        """Each user's report items, fetched concurrently, yielded as each user completes.

        Users Zoom no longer knows (404/1001) are skipped and recorded in `stats.skipped`.
        """
        windows = self.report_windows(from_date, to_date)

        def one(user_id: str) -> UserReports | None:
            meetings = self._unless_gone("user", user_id, self._meeting_reports, windows)
            return None if meetings is None else UserReports(user_id, meetings)

        return self._fan_out(one, user_ids)

    def participants_for_meetings(
        self, meeting_uuids: Iterable[str]
    ) -> Iterator[MeetingParticipants]:
        """Each meeting's participants, fetched concurrently, yielded as each meeting completes.

        Meetings Zoom no longer serves (404/3001, 400/12702) are skipped and recorded.
        """

        return self._fan_out(self._participants_unless_gone, meeting_uuids)

    def participants_by_group(
        self, groups: Iterable[tuple[G, Sequence[str]]]
    ) -> Iterator[tuple[G, list[MeetingParticipants]]]:
        """Each group's meetings' participants, yielded group by group in the input's order.

        All groups feed one stream of work on the pool, so the workers go on with the next group
        while the last meetings of a group finish: grouping (e.g. by day, to write a day at a
        time) then costs no idle rate limit at its boundaries. Groups are read lazily, and no more
        than the pool's requests are in flight at any time, across groups as within one. Skips as
        `participants_for_meetings` does.
        """
        waiting: deque[_Group[G]] = deque()  # read from `groups`, not yet yielded

        def work() -> Iterator[tuple[_Group[G], str]]:
            for key, uuids in groups:
                group = _Group(key, len(uuids))
                waiting.append(group)
                yield from ((group, uuid) for uuid in uuids)

        def one(item: tuple[_Group[G], str]) -> tuple[_Group[G], MeetingParticipants | None]:
            group, uuid = item
            return group, self._participants_unless_gone(uuid)

        for group, result in self._fan_out(one, work()):
            group.add(result)
            while waiting and waiting[0].complete:
                done = waiting.popleft()
                yield done.key, done.results
        for done in waiting:  # groups without meetings, read after the last result
            yield done.key, done.results

    def check_scopes(self) -> list[ScopeCheck]:
        """Compare the scopes granted to the app's token with what each endpoint needs."""
        granted = self._auth.token().scopes
        checks = []
        for endpoint in ENDPOINTS:
            if not granted:
                ok, detail = False, "the token endpoint listed no scopes, so none could be checked"
            elif endpoint.accepts(granted):
                ok, detail = True, "granted"
            else:
                ok, detail = False, f"add {endpoint.scope_hint()} to the app"
            checks.append(ScopeCheck(endpoint.name, endpoint.scope, ok, detail))
        return checks

    def close(self) -> None:
        """Stop the worker pool and close every HTTP connection."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        self._transport.close()
        self._auth.close()

    def _list(
        self,
        endpoint: Endpoint,
        params: dict[str, str],
        path_id: str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> Iterator[Record]:
        return iter_records(
            self._transport, self.stats, endpoint, params, path_id=path_id, page_size=page_size
        )

    def _participants_unless_gone(self, uuid: str) -> MeetingParticipants | None:
        rows = self._unless_gone("meeting", uuid, self.iter_past_participants)
        return None if rows is None else MeetingParticipants(uuid, rows)

    def _unless_gone(
        self, kind: str, entity_id: str, listing: Callable[..., Iterable[Record]], *args: object
    ) -> list[Record] | None:
        try:
            return list(listing(entity_id, *args))
        except ZoomNotFoundError as exc:
            self.stats.skip(kind, entity_id, exc.endpoint, exc.code, str(exc))
            return None

    def _fan_out(self, fn: Callable[[Item], T | None], items: Iterable[Item]) -> Iterator[T]:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._max_workers, thread_name_prefix="zoom")
            pool = self._pool
        results = stream_map(pool, fn, items, in_flight=2 * self._max_workers)
        return (result for result in results if result is not None)
