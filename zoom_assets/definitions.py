"""The one Definitions object that `dagster dev -w workspace.yaml` loads: wiring only.

Credentials reach the resource as `dg.EnvVar`s, so only the variable names are in the code
location's snapshot. Runs use the in-process executor: one Zoom client (one token cache, one
rate-limit pacer) per run, and the steps take turns on the DuckDB file anyway.
"""

import dagster as dg

from zoom_assets.assets import ASSETS
from zoom_assets.automation import (
    daily_sync_job,
    daily_sync_schedule,
    freshness_sensor,
)
from zoom_assets.checks import FRESHNESS_CHECKS, QUALITY_CHECKS
from zoom_assets.connection_job import check_zoom_connection
from zoom_assets.recovery import WarehouseResource
from zoom_assets.resources import ZoomResource
from zoom_assets.settings import load_settings, warn_if_credentials_missing

settings = load_settings()
warn_if_credentials_missing()

defs = dg.Definitions(
    assets=ASSETS,
    asset_checks=[*QUALITY_CHECKS, *FRESHNESS_CHECKS],
    jobs=[daily_sync_job, check_zoom_connection],
    schedules=[daily_sync_schedule],
    sensors=[freshness_sensor],
    resources={
        "zoom": ZoomResource(
            account_id=dg.EnvVar("ZOOM_ACCOUNT_ID"),
            client_id=dg.EnvVar("ZOOM_CLIENT_ID"),
            client_secret=dg.EnvVar("ZOOM_CLIENT_SECRET"),
            api_base_url=settings.api_base_url,
            token_url=settings.token_url,
            rate_plan=settings.rate_plan,
            rate_limit_share=settings.rate_limit_share,
            daily_quota_share=settings.daily_quota_share,
        ),
        "duckdb": WarehouseResource.from_settings(settings),
    },
    executor=dg.in_process_executor,
)
