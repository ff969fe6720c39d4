"""The `check_zoom_connection` job: the connection check, launchable from the Dagster UI.

It runs the same probes as `make check-connection` with the code location's `zoom` resource, so it
tests exactly the credentials and URLs the assets will use. It fails (without retries) when a scope
is missing, and lists what to add.
"""

from datetime import UTC, datetime

import dagster as dg

from zoom_assets.connection import check_connection
from zoom_assets.resources import ZoomResource
from zoom_assets.zoom import ZoomError


@dg.op(
    description="Get a token and call each Zoom endpoint once; report granted and missing scopes"
)
def probe_zoom_scopes(context: dg.OpExecutionContext, zoom: ZoomResource) -> dg.Output[None]:
    """Log one line per scope; fail with what to add to the app when one is missing."""
    try:
        report = check_connection(zoom.client, datetime.now(UTC).date())
    except ZoomError as error:
        raise dg.Failure(f"No token: {error}", allow_retries=False) from error
    lines = report.lines(zoom.rate_plan)
    for line in lines:
        context.log.info(line)
    metadata = {
        "scopes": dg.MetadataValue.json(
            {r.scope: {"status": r.status.value, "detail": r.detail} for r in report.results}
        ),
        "rate_limit_headers": dg.MetadataValue.json(
            {category: dict(values) for category, values in report.rate_limits.items()}
        ),
    }
    if not report.ok:
        raise dg.Failure(
            "\n".join(line for line in lines if not line.strip().startswith("GRANTED")),
            metadata=metadata,
            allow_retries=False,
        )
    return dg.Output(None, metadata=metadata)


@dg.job(description="Save & test connection: are the app's credentials and scopes right?")
def check_zoom_connection() -> None:
    probe_zoom_scopes()
