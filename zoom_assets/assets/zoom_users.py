"""`zoom_users`: every user of the account, of every status, replaced as a whole."""

from datetime import UTC, datetime

import dagster as dg
from dagster_duckdb import DuckDBResource

from zoom_assets.assets.common import (
    api_metadata,
    key_check_result,
    stats_delta,
    table_metadata,
    zoom_asset,
    zoom_failures,
)
from zoom_assets.resources import ZoomResource
from zoom_assets.rows import user_rows
from zoom_assets.storage import connect, replace_table
from zoom_assets.tables import ZOOM_USERS


@zoom_asset(ZOOM_USERS)
def zoom_users(
    context: dg.AssetExecutionContext, zoom: ZoomResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """All users of the Zoom account (active, inactive, pending), one row each.

    Key `user_key`: the Zoom user id, or the email of a pending user, who has no id yet. The whole
    table is swapped in one transaction, so readers see the old list or the new one, never a mix.
    """
    before = zoom.client.stats.snapshot()
    with zoom_failures():
        rows = user_rows(zoom.client.iter_all_users(), synced_at=datetime.now(UTC))
    if rows.num_rows == 0:
        raise dg.Failure(
            "Zoom listed no users at all (an account has at least its owner); the table was left "
            "as it was. Check that the app belongs to the intended account.",
            allow_retries=False,
        )
    with connect(duckdb) as conn:
        row_count = replace_table(conn, ZOOM_USERS, rows)
        check = key_check_result(conn, ZOOM_USERS)
    statuses = rows.column("status").value_counts().to_pylist()
    context.log.info("zoom_users: %d users written", row_count)
    return dg.MaterializeResult(
        metadata={
            **table_metadata(ZOOM_USERS, row_count, rows),
            "users_by_status": dg.MetadataValue.json(
                {str(s["values"]): s["counts"] for s in statuses}
            ),
            **api_metadata(
                stats_delta(before, zoom.client.stats.snapshot()), zoom.client.daily_quota()
            ),
        },
        check_results=[check],
    )
