"""Settings: defaults, and a clear message naming the variable for every bad value."""

from datetime import date

import pytest

from zoom_assets.settings import (
    DEFAULT_DUCKDB_PATH,
    DEFAULT_TOKEN_URL,
    Settings,
    SettingsError,
    missing_credentials,
)

TODAY = date(2026, 12, 4)


def test_defaults() -> None:
    settings = Settings.from_env({}, today=TODAY)
    assert settings.api_base_url is None  # the client then uses the token's api_url or Zoom's
    assert settings.token_url == DEFAULT_TOKEN_URL
    assert settings.duckdb_path == DEFAULT_DUCKDB_PATH
    assert settings.rate_plan == "pro"
    assert settings.start_date == date(2026, 6, 7)


def test_explicit_values_win() -> None:
    env = {
        "ZOOM_API_BASE_URL": "http://127.0.0.1:8080/v2",
        "ZOOM_OAUTH_TOKEN_URL": "http://127.0.0.1:8080/oauth/token",
        "ZOOM_DUCKDB_PATH": "warehouse/w.duckdb",
        "ZOOM_RATE_PLAN": "Business_Plus",
        "ZOOM_START_DATE": "2026-11-01",
    }
    settings = Settings.from_env(env, today=TODAY)
    assert settings.api_base_url == "http://127.0.0.1:8080/v2"
    assert settings.token_url == "http://127.0.0.1:8080/oauth/token"
    assert settings.duckdb_path == "warehouse/w.duckdb"
    assert settings.rate_plan == "business_plus"
    assert settings.start_date == date(2026, 11, 1)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ZOOM_API_BASE_URL", "api.zoom.us/v2"),
        ("ZOOM_OAUTH_TOKEN_URL", "ftp://zoom.us/oauth/token"),
        ("ZOOM_RATE_PLAN", "enterprise-ultra"),
        ("ZOOM_START_DATE", "04/12/2026"),
        ("ZOOM_START_DATE", "2026-12-04"),
    ],
)
def test_bad_value_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value}, today=TODAY)


def test_missing_credentials_lists_unset_and_blank_ones() -> None:
    env = {"ZOOM_ACCOUNT_ID": "acct", "ZOOM_CLIENT_ID": "  "}
    assert missing_credentials(env) == ["ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"]
    assert missing_credentials({**env, "ZOOM_CLIENT_ID": "c", "ZOOM_CLIENT_SECRET": "s"}) == []
