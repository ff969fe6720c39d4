"""Save & test connection: get a token, then call each endpoint once with the smallest request.

The token's scope list alone is not proof: Zoom can still refuse a call (a role without the report
permission, a free plan). So each endpoint is asked for one record (`page_size=1`); a 404 for the
probe's id also proves the call was authorised, because Zoom checks scopes first. The results say,
per scope, what to add to the app; the rate-limit headers of the answers tell which plan's limits
the account has. Nothing here prints or returns a credential or a token.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from zoom_assets.zoom import (
    PLANS,
    RateLimits,
    ScopeCheck,
    ZoomClient,
    ZoomError,
    ZoomNotFoundError,
    ZoomScopeError,
)
from zoom_assets.zoom.endpoints import ENDPOINTS

# A syntactically valid meeting UUID (16 zero bytes) that no meeting has: a 404/3001 answer to it
# proves the participants call itself was allowed.
PROBE_MEETING_UUID = "AAAAAAAAAAAAAAAAAAAAAA=="
REACTIVATE = (
    "then reactivate the app (Zoom App Marketplace > Manage > the app > Activation) so that new "
    "tokens carry it"
)


class Status(StrEnum):
    GRANTED = "granted"
    MISSING = "missing"
    UNKNOWN = "not checked"


@dataclass(frozen=True)
class ScopeResult:
    """What one endpoint's probe showed about the scope it needs."""

    endpoint: str
    scope: str
    status: Status
    detail: str


@dataclass(frozen=True)
class ConnectionReport:
    """The probes' results and the X-RateLimit-* values Zoom sent with them, per category."""

    results: tuple[ScopeResult, ...]
    rate_limits: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(result.status is Status.GRANTED for result in self.results)

    def lines(self, configured_plan: str | None = None) -> list[str]:
        """The human report: one line per scope, then the rate limits and what they mean."""
        lines = [
            f"{r.status.value.upper():>11}  {r.scope:<42} {r.endpoint}: {r.detail}"
            for r in self.results
        ]
        lines.extend(rate_limit_lines(self.rate_limits, configured_plan))
        return lines


def check_connection(client: ZoomClient, today: date) -> ConnectionReport:
    """Fetch a token (ZoomAuthError if refused), then probe users, reports and participants."""
    checks = {check.endpoint: check for check in client.check_scopes()}
    results: list[ScopeResult] = []

    def probe(endpoint: str, call: Callable[[], Iterator[dict[str, Any]]]) -> dict[str, Any]:
        result, record = _probe(checks[endpoint], call)
        results.append(result)
        return record or {}

    yesterday = today - timedelta(days=1)
    user = probe("users", lambda: client.iter_users("active", page_size=1))
    meeting = probe(
        "report_meetings",
        lambda: client.iter_meeting_reports(
            user.get("id") or "me", from_date=yesterday, to_date=yesterday, page_size=1
        ),
    )
    probe(
        "past_participants",
        lambda: client.iter_past_participants(
            meeting.get("uuid") or PROBE_MEETING_UUID, page_size=1
        ),
    )
    return ConnectionReport(tuple(results), client.rate_limit_headers)


def _probe(
    check: ScopeCheck, call: Callable[[], Iterator[dict[str, Any]]]
) -> tuple[ScopeResult, dict[str, Any] | None]:
    """Run one minimal call; only its first page is requested."""

    def result(status: Status, detail: str) -> ScopeResult:
        return ScopeResult(check.endpoint, check.scope, status, detail)

    try:
        record = next(iter(call()), None)
    except ZoomScopeError as error:
        if check.granted:
            detail = (
                f"the token has the scope, but Zoom refused the call ({error}). Reports need a "
                "paid plan and an admin role with the Usage Reports permission."
            )
        else:
            detail = f"add {_scope_hint(check.endpoint)} to the app's scopes, {REACTIVATE}."
        return result(Status.MISSING, detail), None
    except ZoomNotFoundError:
        return result(Status.GRANTED, "call allowed (the probe's id is unknown, as expected)"), None
    except ZoomError as error:
        return result(Status.UNKNOWN, f"the probe failed: {error}"), None
    return result(Status.GRANTED, "call allowed"), record


def _scope_hint(endpoint: str) -> str:
    return next(e.scope_hint() for e in ENDPOINTS if e.name == endpoint)


def rate_limit_lines(
    headers: Mapping[str, Mapping[str, str]], configured_plan: str | None = None
) -> list[str]:
    """The limits Zoom reported per category, and the plan (ZOOM_RATE_PLAN) they match."""
    if not headers:
        return ["Rate limits: Zoom sent no X-RateLimit-* headers; ZOOM_RATE_PLAN decides pacing."]
    lines = ["Rate limits reported by Zoom (X-RateLimit-* headers of the probes):"]
    for category, values in sorted(headers.items()):
        kind = values.get("type") or "type not sent"
        lines.append(
            f"  {category:<7} limit {values.get('limit', '?')}, remaining "
            f"{values.get('remaining', '?')} ({kind})"
        )
    plans = matching_plans(headers)
    if plans:
        advice = f"  These match the {' / '.join(plans)} plan limits"
        if configured_plan and configured_plan not in plans:
            advice += f"; ZOOM_RATE_PLAN is {configured_plan}: set it to {plans[-1]}"
        lines.append(advice + ".")
    return lines


def matching_plans(headers: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Plans whose per-second or daily limits equal every limit Zoom reported."""
    matches = []
    for name, limits in PLANS.items():
        reported = [(c, v) for c, v in headers.items() if v.get("limit", "").isdigit()]
        if reported and all(_plan_allows(limits, c, int(v["limit"])) for c, v in reported):
            matches.append(name)
    return matches


def _plan_allows(limits: RateLimits, category: str, limit: int) -> bool:
    daily = getattr(limits, f"{category.lower()}_daily", None)
    try:
        per_second = limits.per_second(category)
    except AttributeError:
        return False
    return limit in (per_second, daily)
