"""Settings: defaults, and a clear message naming the variable for every bad value."""

from datetime import date
from pathlib import Path

import pytest

from zoom_assets.recovery import WarehouseResource
from zoom_assets.settings import (
    DEFAULT_DUCKDB_PATH,
    DEFAULT_TOKEN_URL,
    Settings,
    SettingsError,
    missing_credentials,
)
from zoom_assets.storage import connect

TODAY = date(2026, 12, 4)


def test_defaults() -> None:
    settings = Settings.from_env({}, today=TODAY)
    assert settings.api_base_url is None  # the client then uses the token's api_url or Zoom's
    assert settings.token_url == DEFAULT_TOKEN_URL
    assert settings.duckdb_path == DEFAULT_DUCKDB_PATH
    assert settings.rate_plan == "pro"
    assert settings.start_date == date(2026, 6, 7)
    assert settings.duckdb_memory_limit is None  # DuckDB's own default


def test_explicit_values_win() -> None:
    env = {
        "ZOOM_API_BASE_URL": "http://127.0.0.1:8080/v2",
        "ZOOM_OAUTH_TOKEN_URL": "http://127.0.0.1:8080/oauth/token",
        "ZOOM_DUCKDB_PATH": "warehouse/w.duckdb",
        "ZOOM_RATE_PLAN": "Business_Plus",
        "ZOOM_START_DATE": "2026-11-01",
        "ZOOM_DUCKDB_MEMORY_LIMIT": "1.5GiB",
    }
    settings = Settings.from_env(env, today=TODAY)
    assert settings.api_base_url == "http://127.0.0.1:8080/v2"
    assert settings.token_url == "http://127.0.0.1:8080/oauth/token"
    assert settings.duckdb_path == "warehouse/w.duckdb"
    assert settings.rate_plan == "business_plus"
    assert settings.start_date == date(2026, 11, 1)
    assert settings.duckdb_memory_limit == "1.5GiB"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ZOOM_API_BASE_URL", "api.zoom.us/v2"),
        ("ZOOM_OAUTH_TOKEN_URL", "ftp://zoom.us/oauth/token"),
        ("ZOOM_RATE_PLAN", "enterprise-ultra"),
        ("ZOOM_START_DATE", "04/12/2026"),
        ("ZOOM_START_DATE", "2026-12-04"),
        ("ZOOM_DUCKDB_MEMORY_LIMIT", "512"),
        ("ZOOM_DUCKDB_MEMORY_LIMIT", "lots"),
    ],
)
def test_bad_value_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value}, today=TODAY)


def test_missing_credentials_lists_unset_and_blank_ones() -> None:
    env = {"ZOOM_ACCOUNT_ID": "acct", "ZOOM_CLIENT_ID": "  "}
    assert missing_credentials(env) == ["ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"]
    assert missing_credentials({**env, "ZOOM_CLIENT_ID": "c", "ZOOM_CLIENT_SECRET": "s"}) == []


def test_the_memory_limit_reaches_duckdb(tmp_path: Path) -> None:
    env = {"ZOOM_DUCKDB_PATH": str(tmp_path / "w.duckdb")}
    limits = []
    for limit in ("300MB", None):
        settings = Settings.from_env({**env, "ZOOM_DUCKDB_MEMORY_LIMIT": limit or ""}, today=TODAY)
        with connect(WarehouseResource.from_settings(settings)) as conn:
            [(value,)] = conn.execute("SELECT current_setting('memory_limit')").fetchall()
        limits.append(value)
    assert limits[0] == "286.1 MiB"  # 300 MB as DuckDB spells it
    assert limits[1] != limits[0]  # unset: DuckDB's default
