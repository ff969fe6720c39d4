"""The code location loads the way `dagster dev` loads it, even without Zoom credentials."""

import dagster as dg

from zoom_assets.assets import ASSETS
from zoom_assets.checks import FRESHNESS_CHECKS, QUALITY_CHECKS
from zoom_assets.definitions import defs


def test_definitions_load() -> None:
    dg.Definitions.validate_loadable(defs)


def test_jobs_schedules_and_sensors_resolve() -> None:
    assert defs.resolve_job_def("zoom_daily_sync")
    assert defs.resolve_schedule_def("daily_sync_schedule").job_name == "zoom_daily_sync"
    assert defs.resolve_sensor_def("freshness_sensor")
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {"zoom_users", "meeting_reports", "past_participants", "meeting_attendance"}


def test_credentials_are_environment_variable_references_not_values() -> None:
    zoom = defs.resources["zoom"]
    for field in ("account_id", "client_id", "client_secret"):
        assert isinstance(getattr(zoom, field), dg.EnvVar)
    assert "ZOOM_CLIENT_SECRET" not in repr(zoom)


def test_every_step_that_opens_duckdb_is_in_the_duckdb_pool() -> None:
    for definition in [*ASSETS, *QUALITY_CHECKS]:
        assert definition.op.pool == "duckdb", definition.op.name
    for check in FRESHNESS_CHECKS:  # these read the Dagster instance only
        assert check.op.pool is None
