"""Asset checks beyond the in-asset key checks: references between tables, and freshness.

Freshness, decided once: Dagster 1.13's `FreshnessPolicy` (evaluated by its freshness daemon) looks
only at an asset's latest materialization of any partition, so backfilling last spring would make
`meeting_reports` look fresh while yesterday is missing; the partition-aware builders
(`build_time_partition_freshness_checks` and its sensor) are superseded since 1.12. So freshness is
rules that read the instance's materialization records: `zoom_users` updated within 26 hours,
and the newest materialized day of each daily asset at most two days old. The sensor in
`automation.py` evaluates them every hour and reports the results as asset-check evaluations
(no run is launched); each rule is also an `@asset_check`, so it can be run from the UI. They open
no DuckDB file, so they need no pool.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import dagster as dg
from dagster_duckdb import DuckDBResource

from zoom_assets.assets import meeting_attendance, meeting_reports, past_participants, zoom_users
from zoom_assets.assets.common import POOL
from zoom_assets.quality import Problems, orphans
from zoom_assets.storage import connect
from zoom_assets.tables import MEETING_REPORTS, PAST_PARTICIPANTS, ZOOM_USERS

USERS_MAX_AGE = timedelta(hours=26)
DAYS_MAX_AGE = timedelta(days=2)


def _result(problems: Problems, what: str, severity: dg.AssetCheckSeverity) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=problems.ok,
        severity=severity,
        description=None if problems.ok else f"{problems.count} {what}",
        metadata={"failing_rows": problems.count, "examples": problems.examples},
    )


@dg.asset_check(asset=past_participants, pool=POOL)
def participants_belong_to_meetings(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    """Every participant row's meeting_uuid is a meeting in meeting_reports."""
    with connect(duckdb) as conn:
        problems = orphans(conn, PAST_PARTICIPANTS, "meeting_uuid", MEETING_REPORTS, "uuid")
    return _result(
        problems,
        "participant rows whose meeting is not in meeting_reports",
        dg.AssetCheckSeverity.ERROR,
    )


@dg.asset_check(asset=meeting_reports, pool=POOL)
def report_hosts_are_known_users(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    """Every report's host_id is a user in zoom_users (a warning: users can be deleted later)."""
    with connect(duckdb) as conn:
        problems = orphans(conn, MEETING_REPORTS, "host_id", ZOOM_USERS, "id")
    return _result(
        problems, "meeting reports whose host is not in zoom_users", dg.AssetCheckSeverity.WARN
    )


def updated_recently(last_update: datetime | None, now: datetime) -> dg.AssetCheckResult:
    """Pass when the last materialization is at most USERS_MAX_AGE old."""
    if last_update is None:
        return dg.AssetCheckResult(passed=False, description="never materialized")
    age = now - last_update
    return dg.AssetCheckResult(
        passed=age <= USERS_MAX_AGE,
        description=f"last updated {age} ago (limit {USERS_MAX_AGE})",
        metadata={"last_updated": dg.MetadataValue.timestamp(last_update)},
    )


def latest_day_recent(partition_keys: Collection[str], today: date) -> dg.AssetCheckResult:
    """Pass when the newest materialized day is at most DAYS_MAX_AGE before `today` (UTC)."""
    if not partition_keys:
        return dg.AssetCheckResult(passed=False, description="no day materialized yet")
    latest = max(date.fromisoformat(key) for key in partition_keys)
    oldest_allowed = today - DAYS_MAX_AGE
    return dg.AssetCheckResult(
        passed=latest >= oldest_allowed,
        description=f"newest day {latest}; must be {oldest_allowed} or later",
        metadata={"latest_partition": latest.isoformat()},
    )


def _users_age(
    instance: dg.DagsterInstance, key: dg.AssetKey, now: datetime
) -> dg.AssetCheckResult:
    event = instance.get_latest_materialization_event(key)
    last = None if event is None else datetime.fromtimestamp(event.timestamp, UTC)
    return updated_recently(last, now)


def _latest_day(
    instance: dg.DagsterInstance, key: dg.AssetKey, now: datetime
) -> dg.AssetCheckResult:
    return latest_day_recent(instance.get_materialized_partitions(key), now.date())


@dataclass(frozen=True)
class FreshnessRule:
    """One freshness check: evaluated by the sensor, and runnable as an asset check from the UI."""

    asset: dg.AssetsDefinition
    name: str
    description: str
    evaluate: Callable[[dg.DagsterInstance, dg.AssetKey, datetime], dg.AssetCheckResult]

    def check(self) -> dg.AssetChecksDefinition:
        @dg.asset_check(asset=self.asset, name=self.name, description=self.description)
        def freshness(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
            return self.evaluate(context.instance, self.asset.key, datetime.now(UTC))

        return freshness

    def evaluation(self, instance: dg.DagsterInstance, now: datetime) -> dg.AssetCheckEvaluation:
        result = self.evaluate(instance, self.asset.key, now)
        return dg.AssetCheckEvaluation(
            asset_key=self.asset.key,
            check_name=self.name,
            passed=result.passed,
            metadata=result.metadata,
            severity=result.severity,
            description=result.description,
        )


FRESHNESS_RULES = (
    FreshnessRule(
        zoom_users, "updated_within_26_hours", "materialized in the last 26 hours", _users_age
    ),
    *(
        FreshnessRule(
            asset, "latest_day_within_two_days", "newest day at most two days old", _latest_day
        )
        for asset in (meeting_reports, past_participants, meeting_attendance)
    ),
)


def freshness_evaluations(
    instance: dg.DagsterInstance, now: datetime
) -> list[dg.AssetCheckEvaluation]:
    """Every freshness check's result as of `now`, for the sensor to report."""
    return [rule.evaluation(instance, now) for rule in FRESHNESS_RULES]


QUALITY_CHECKS = [participants_belong_to_meetings, report_hosts_are_known_users]
FRESHNESS_CHECKS = [rule.check() for rule in FRESHNESS_RULES]
