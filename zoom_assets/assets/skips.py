"""Skipped users and meetings as data: each step logs them in `sync_skips`, and
`past_participants` checks that a day did not skip too many of its meetings.

The client skips an entity when Zoom no longer serves it (404/1001 for a user, 404/3001 or
400/12702 for a meeting) and lists it in its stats. A step knows which entities it asked for, so
what it asked for and did not skip was fetched: that resolves an earlier skip of the entity.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import dagster as dg
import duckdb
import pyarrow as pa

from zoom_assets.quality import skipped_meetings_by_day
from zoom_assets.settings import load_settings
from zoom_assets.storage import log_skips
from zoom_assets.tables import PAST_PARTICIPANTS, SYNC_SKIPS
from zoom_assets.zoom.endpoints import PAST_PARTICIPANTS as PARTICIPANTS_ENDPOINT
from zoom_assets.zoom.endpoints import REPORT_MEETINGS

SKIP_SHARE_CHECK = "skipped_meetings_within_share"
SKIP_SHARE_SPEC = dg.AssetCheckSpec(
    SKIP_SHARE_CHECK,
    asset=PAST_PARTICIPANTS.name,
    description=(
        "no day skipped more than ZOOM_MAX_SKIPPED_MEETING_SHARE of its meetings (a warning; "
        "the skipped ones are in sync_skips)"
    ),
)


@dataclass(frozen=True)
class Attempt:
    """The entities of one kind that a step asked one endpoint for, for one partition."""

    kind: str
    endpoint: str
    ids: Collection[str]
    partition_key: str


def partition_key(first: date, last: date) -> str:
    """A day's key, or a range as Dagster writes it (first...last)."""
    return first.isoformat() if first == last else f"{first.isoformat()}...{last.isoformat()}"


def host_reports(hosts: Collection[str], first: date, last: date) -> Attempt:
    """`meeting_reports` asking each host's report for the days first..last."""
    return Attempt("user", REPORT_MEETINGS.name, hosts, partition_key(first, last))


def meeting_participants(uuids: Collection[str], day: date) -> Attempt:
    """`past_participants` asking for the participants of one day's meetings."""
    return Attempt("meeting", PARTICIPANTS_ENDPOINT.name, uuids, day.isoformat())


def record_skips(
    conn: duckdb.DuckDBPyConnection,
    attempt: Attempt,
    skipped: Iterable[Mapping[str, Any]],
    run_id: str,
) -> int:
    """Log the attempt's skipped entities (from the client's stats) and resolve the fetched ones;
    returns how many were skipped."""
    now = datetime.now(UTC)
    asked = set(attempt.ids)
    mine = {s["id"]: s for s in skipped if s["kind"] == attempt.kind and s["id"] in asked}.values()
    rows = {
        "entity_kind": [attempt.kind] * len(mine),
        "entity_id": [s["id"] for s in mine],
        "endpoint": [s["endpoint"] for s in mine],
        "code": [s["code"] for s in mine],
        "message": [s["message"] for s in mine],
        "partition_key": [attempt.partition_key] * len(mine),
        "run_id": [run_id] * len(mine),
        "first_seen": [now] * len(mine),
        "last_seen": [now] * len(mine),
        "resolved_at": [None] * len(mine),
    }
    fetched = sorted(asked - {s["id"] for s in mine})
    keys = {
        "entity_kind": [attempt.kind] * len(fetched),
        "entity_id": fetched,
        "endpoint": [attempt.endpoint] * len(fetched),
    }
    log_skips(
        conn,
        pa.Table.from_pydict(rows, schema=SYNC_SKIPS.arrow_schema()),
        pa.Table.from_pydict(keys),
        now,
    )
    return len(mine)


def skip_share_result(
    conn: duckdb.DuckDBPyConnection, first: date, last: date
) -> dg.AssetCheckResult:
    """WARN when a day of first..last has a larger share of unresolved skipped meetings than the
    configured ZOOM_MAX_SKIPPED_MEETING_SHARE."""
    limit = load_settings().max_skipped_share
    days = skipped_meetings_by_day(conn, first, last)
    over = {
        day.isoformat(): f"{skipped} of {meetings}"
        for day, skipped, meetings in days
        if meetings and skipped / meetings > limit
    }
    return dg.AssetCheckResult(
        check_name=SKIP_SHARE_CHECK,
        asset_key=PAST_PARTICIPANTS.name,
        passed=not over,
        severity=dg.AssetCheckSeverity.WARN,
        description=None
        if not over
        else f"{len(over)} days skipped more than {limit:.0%} of their meetings; see sync_skips",
        metadata={
            "max_share": limit,
            "days_over": dg.MetadataValue.json(over),
            "skipped_meetings": sum(skipped for _, skipped, _ in days),
        },
    )
