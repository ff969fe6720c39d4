"""The three read endpoints: query rules, lookups and response envelopes (REFERENCE §3-§5).

Each handler takes the decoded query (first value per name) and returns (HTTP status, JSON body).
Authentication, rate limits and random faults are applied around them by the server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from zoom_assets.emulator.account import USER_STATUSES, Account
from zoom_assets.emulator.encoding import meeting_key
from zoom_assets.emulator.faults import Faults
from zoom_assets.emulator.paging import Page, PageTokens, page_size
from zoom_assets.emulator.timefmt import add_months

Response = tuple[int, dict]
REPORT_MAX_PAGE = 300
PARTICIPANTS_MAX_PAGE = 300
# The 2025 Users spec allows 2000 per page; the 2023 spec and the pagination guide say 300 [U].
USERS_MAX_PAGE = 2000
BAD_PAGE_TOKEN = (400, {"code": 300, "message": "The next page token is invalid or expired."})

# schema_drift: one field Zoom might add tomorrow, and one optional field it might stop sending.
DRIFT_ADDED = ("emulator_new_field", "added by schema drift")
DRIFT_DROPPED = {"users": "dept", "meetings": "source", "participants": "internal_user"}


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _validation(field: str, message: str) -> Response:
    return 400, {
        "code": 300,
        "message": "Validation Failed.",
        "errors": [{"field": field, "message": message}],
    }


def _parse_day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw and len(raw) == 10 else None
    except ValueError:
        return None


class Api:
    """Endpoint logic over one account; `faults` is read on every call, so changes apply at once.

    With `free_account_id` set (a Free plan), the report and participants endpoints answer
    400/200 "paid account" as Zoom does: both need Pro or higher.
    """

    def __init__(
        self,
        account: Account,
        page_tokens: PageTokens,
        faults: Faults,
        clock: Callable[[], datetime],
        report_timezone: str,
        *,
        free_account_id: str | None = None,
    ) -> None:
        if report_timezone not in ("user", "UTC"):
            raise ValueError('report_timezone must be "user" or "UTC"')
        self.account = account
        self.page_tokens = page_tokens
        self.faults = faults
        self.clock = clock
        self.report_timezone = report_timezone
        self.free_account_id = free_account_id

    def _page(
        self, listing: str, query: Mapping[str, str], total: int, maximum: int
    ) -> Page | None:
        size = page_size(query.get("page_size"), maximum)
        token = query.get("next_page_token")
        if token:
            offset = self.page_tokens.resolve(
                listing, token, expire_all=self.faults.expire_page_tokens
            )
            return None if offset is None else Page(offset, size, total)
        number = query.get("page_number", "")
        offset = (int(number) - 1) * size if number.isdigit() and int(number) > 0 else 0
        return Page(offset, size, total)

    def _envelope(self, listing: str, page: Page) -> dict:
        token = ""
        if page.has_more:
            fail_once = self.faults.expire_next_page_token_once
            self.faults.expire_next_page_token_once = False
            token = self.page_tokens.issue(listing, page.offset + page.size, fail_once=fail_once)
        return {
            "page_count": page.page_count,
            "page_size": page.size,
            "total_records": page.total,
            "next_page_token": token,
        }

    def _listing(
        self,
        listing: str,
        query: Mapping[str, str],
        records: Sequence[Any],
        *,
        key: str,
        maximum: int,
        build: Callable[[Any], dict] = dict,
        head: dict | None = None,
    ) -> Response:
        """One page of `records` in Zoom's envelope; `build` turns a record into its API dict."""
        page = self._page(listing, query, len(records), maximum)
        if page is None:
            return BAD_PAGE_TOKEN
        body = {**(head or {}), **self._envelope(listing, page)}
        if key != "participants":  # the participants envelope has no page_number
            body["page_number"] = page.offset // page.size + 1
        chunk = [build(r) for r in records[page.offset : page.offset + page.size]]
        if self.faults.schema_drift:
            for record in chunk:
                record[DRIFT_ADDED[0]] = DRIFT_ADDED[1]
                record.pop(DRIFT_DROPPED[key], None)
        body[key] = chunk
        return 200, body

    def users(self, query: Mapping[str, str]) -> Response:
        """`GET /users`: one status per listing (default active); pending users have no id."""
        status = query.get("status") or "active"
        if status not in USER_STATUSES:
            return _validation("status", f"Invalid field value: {status}")
        users = self.account.users_view(status)
        return self._listing(f"users|{status}", query, users, key="users", maximum=USERS_MAX_PAGE)

    def report_meetings(self, user_key: str, query: Mapping[str, str]) -> Response:
        """`GET /report/users/{userId}/meetings`: meetings with >= 2 participants in [from, to].

        Zoom does not say in which time zone `from`/`to` are read [U]; by default the queried
        user's, else UTC (`report_timezone`).
        """
        if self.free_account_id is not None:
            message = f"This is only available for paid account: {self.free_account_id}."
            return 400, {"code": 200, "message": message}
        user_key = unquote(user_key)
        start, end = query.get("from"), query.get("to")
        for name, raw in (("from", start), ("to", end)):
            if _parse_day(raw) is None:
                return _validation(name, f"Invalid field: {name} must be a date (yyyy-MM-dd).")
        first, last = _parse_day(start), _parse_day(end)
        assert first is not None and last is not None
        window_error = self._window_error(first, last)
        if window_error:
            return 400, {"code": 300, "message": window_error}
        host = self.account.host_index(user_key)
        deleted = set(self.faults.deleted_users)
        if host is None or user_key in deleted or self.account.hosts[host]["id"] in deleted:
            return 404, {
                "code": 1001,
                "message": f"User {user_key} not exist or not belong to this account.",
            }
        user = self.account.hosts[host]
        zone = _zone(user["timezone"] if self.report_timezone == "user" else "UTC")
        lo = datetime.combine(first, time(), zone).timestamp()
        hi = datetime.combine(last + timedelta(days=1), time(), zone).timestamp()
        meetings = self.account.reportable_between(host, int(lo), int(hi))
        return self._listing(
            f"report|{user['id']}|{first}|{last}",
            query,
            meetings,
            key="meetings",
            maximum=REPORT_MAX_PAGE,
            build=self.account.report_item,
            head={"from": first.isoformat(), "to": last.isoformat()},
        )

    def _window_error(self, first: date, last: date) -> str | None:
        """Zoom's window rules [V]; the wording of the errors is undocumented [U]."""
        if last < first:
            return "The to date must be on or after the from date."
        if last > add_months(first, 1):
            return "The date range from-to must be within one month."
        if first < add_months(self.clock().date(), -6):
            return "The from date must be within the past six months."
        return None

    def past_participants(self, raw_segment: str, query: Mapping[str, str]) -> Response:
        """`GET /past_meetings/{meetingId}/participants`: by instance UUID or by meeting id."""
        if self.free_account_id is not None:
            message = f"Only available for paid account: {self.free_account_id}"
            return 400, {"code": 200, "message": message}
        key, resolvable = meeting_key(raw_segment)
        meeting = None
        if resolvable:
            meeting = self.account.by_uuid.get(key)
            if meeting is None and key.isdigit():
                meeting = self.account.latest_instance(int(key))
        deleted = set(self.faults.deleted_meetings)
        if meeting is None or key in deleted or meeting.uuid in deleted:
            return 404, {"code": 3001, "message": f"Meeting does not exist: {key}."}
        if meeting.start < (self.clock() - timedelta(days=365)).timestamp():
            return 400, {"code": 12702, "message": "Can not access a meeting a year ago."}
        rows = self.account.participant_rows(meeting)
        return self._listing(
            f"participants|{meeting.uuid}",
            query,
            rows,
            key="participants",
            maximum=PARTICIPANTS_MAX_PAGE,
        )
