"""What the three assets share: error translation, the key check, and their run metadata."""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import dagster as dg
import duckdb
import pyarrow as pa

from zoom_assets.assets.progress import Progress
from zoom_assets.partitions import DAILY
from zoom_assets.quality import duplicate_keys, null_keys
from zoom_assets.tables import Table
from zoom_assets.zoom import (
    ZoomAuthError,
    ZoomConfigError,
    ZoomDailyLimitError,
    ZoomReportWindowError,
)

GROUP = "zoom"
KINDS = {"zoom", "duckdb"}
POOL = "duckdb"
KEY_CHECK = "key_is_unique_and_not_null"
# Outages longer than the client's own retries; errors a retry cannot fix raise
# dg.Failure(allow_retries=False) instead.
RETRY = dg.RetryPolicy(
    max_retries=2, delay=60, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)
SKIPPED_SAMPLE = 10
PREVIEW_ROWS = 5

# Errors that the same request cannot overcome later in this run: credentials, scopes, the
# six-month report window, the daily quota. Each message already says what to do.
NOT_RETRYABLE = (ZoomAuthError, ZoomConfigError, ZoomReportWindowError, ZoomDailyLimitError)


@contextmanager
def zoom_failures(progress: Progress | None = None) -> Iterator[None]:
    """Turn Zoom errors that no retry can fix into a Failure that Dagster does not retry; with
    `progress`, the failure also says which days the step wrote and which are left."""
    try:
        yield
    except NOT_RETRYABLE as error:
        description = f"{type(error).__name__}: {error}"
        metadata = {} if progress is None else progress.metadata()
        if progress is not None:
            description += f" {progress.summary()}"
        if isinstance(error, ZoomDailyLimitError):
            metadata["quota_resets_at"] = error.resets_at.isoformat()
        raise dg.Failure(description=description, metadata=metadata, allow_retries=False) from error


def zoom_asset(table: Table, checks: Sequence[dg.AssetCheckSpec] = (), **kwargs: Any) -> Any:
    """`@dg.asset` for one of our tables: its name, pool, group, kinds, retries, key check and
    any further in-asset `checks`."""
    return dg.asset(
        name=table.name,
        group_name=GROUP,
        kinds=KINDS,
        pool=POOL,
        retry_policy=RETRY,
        check_specs=[key_check_spec(table), *checks],
        **kwargs,
    )


def daily_zoom_asset(
    table: Table, deps: list[dg.AssetsDefinition], checks: Sequence[dg.AssetCheckSpec] = ()
) -> Any:
    """`zoom_asset` partitioned by UTC day; a backfill of any length runs as one run."""
    return zoom_asset(
        table,
        checks,
        deps=deps,
        partitions_def=DAILY,
        backfill_policy=dg.BackfillPolicy.single_run(),
    )


def key_check_spec(table: Table) -> dg.AssetCheckSpec:
    """The in-asset check that the rows just written have a unique, non-empty key."""
    return dg.AssetCheckSpec(
        KEY_CHECK,
        asset=table.name,
        description=f"{' + '.join(table.key)} is unique and never NULL or empty where written",
    )


def key_check_result(
    conn: duckdb.DuckDBPyConnection,
    table: Table,
    first: date | None = None,
    last: date | None = None,
) -> dg.AssetCheckResult:
    """Evaluate the key check over the table, or over the days first..last of it."""
    duplicates = duplicate_keys(conn, table, first, last)
    missing = null_keys(conn, table, first, last)
    passed = duplicates.ok and missing.ok
    return dg.AssetCheckResult(
        check_name=KEY_CHECK,
        asset_key=table.name,
        passed=passed,
        description=None
        if passed
        else f"{duplicates.count} rows share a key, {missing.count} rows have no key",
        metadata={
            "duplicate_rows": duplicates.count,
            "duplicate_key_examples": duplicates.examples,
            "rows_without_key": missing.count,
            "rows_without_key_examples": missing.examples,
        },
    )


def stats_delta(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """What a client's counters gained between two snapshots (the client outlives one asset)."""
    delta: dict[str, Any] = {}
    for name, value in after.items():
        old = before.get(name)
        if isinstance(value, Mapping):
            old = old or {}
            delta[name] = {k: v - old.get(k, 0) for k, v in value.items() if v != old.get(k, 0)}
        elif isinstance(value, list):
            delta[name] = value[len(old or []) :]
        else:
            delta[name] = value - (old or 0)
    return delta


def api_metadata(
    stats: Mapping[str, Any], daily_quota: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Request counts, retries, 429s and skipped users or meetings of one materialization, and
    the quota it used: its requests per rate-limit category, and each daily quota as Zoom last
    reported it (limit, remaining, and the reserve left to the account's other apps)."""
    skipped = stats.get("skipped", [])
    return {
        "api_requests_by_endpoint": dg.MetadataValue.json(stats.get("requests_by_endpoint", {})),
        "api_requests_by_category": dg.MetadataValue.json(stats.get("requests_by_category", {})),
        "daily_quota": dg.MetadataValue.json(dict(daily_quota or {})),
        "api_retries": stats.get("retries", 0),
        "api_429s": stats.get("rate_limited_429", 0),
        "api_pages": stats.get("pages", 0),
        "skipped_count": len(skipped),
        "skipped_sample": dg.MetadataValue.json(
            [
                {"kind": s["kind"], "id": s["id"], "code": s["code"]}
                for s in skipped[:SKIPPED_SAMPLE]
            ]
        ),
    }


def table_metadata(table: Table, row_count: int, written: pa.Table) -> dict[str, Any]:
    """Standard table metadata plus a preview limited to columns that carry no names or emails."""
    preview = written.select(list(table.preview)).slice(0, PREVIEW_ROWS).to_pandas()
    return {
        "dagster/row_count": row_count,
        "dagster/table_name": table.qualified_name,
        "dagster/column_schema": table.table_schema(),
        "preview": dg.MetadataValue.md(preview.to_markdown(index=False)),
    }
