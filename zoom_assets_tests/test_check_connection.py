"""Save & test connection: the console script and the Dagster job against the emulator.

Guards: one line per scope, a removed scope is named with what to add and the reactivation step,
the rate limits come from the response headers, the exit status tells success from failure, and
neither a secret nor a token is ever printed.
"""

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from zoom_assets.cli import check_connection as cli
from zoom_assets.connection import matching_plans
from zoom_assets.connection_job import check_zoom_connection
from zoom_assets.emulator import ZoomEmulator
from zoom_assets.resources import ZoomResource
from zoom_assets_tests.test_assets import resources_for

SECRET = "sentinel-secret-7f3a9c"
ALL_SCOPES = [
    "user:read:list_users:admin",
    "report:read:user:admin",
    "meeting:read:list_past_participants:admin",
]


@pytest.fixture
def app(
    emulator_factory: Callable[..., ZoomEmulator], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., ZoomEmulator]:
    """Start an emulator whose app has the given scopes, and point the ZOOM_* variables at it."""

    def start(scopes: list[str] | None = None, secret: str = SECRET) -> ZoomEmulator:
        emu = emulator_factory(users=6, days=3, client_secret=SECRET, scopes=scopes)
        for name, value in {
            "ZOOM_ACCOUNT_ID": "emu-account",
            "ZOOM_CLIENT_ID": "emu-client",
            "ZOOM_CLIENT_SECRET": secret,
            "ZOOM_API_BASE_URL": emu.base_url,
            "ZOOM_OAUTH_TOKEN_URL": emu.token_url,
            "ZOOM_RATE_PLAN": "pro",
        }.items():
            monkeypatch.setenv(name, value)
        return emu

    return start


def assert_no_secret(output: str) -> None:
    assert SECRET not in output
    assert "eyJ" not in output  # every emulator token starts like a JWT header


def test_all_scopes_granted(app: Callable[..., ZoomEmulator], capsys) -> None:
    emu = app()
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    for scope in ALL_SCOPES:
        assert any(line.split()[:2] == ["GRANTED", scope] for line in out.splitlines()), out
    assert "Medium  limit 60" in out and "Heavy" in out
    assert "set it to business_plus" in out  # the emulator serves Business+ limits, we said pro
    assert "Connection OK" in out
    assert_no_secret(out)
    requests = emu.stats()["requests"]
    assert {name: sum(codes.values()) for name, codes in requests.items()} == {
        "token": 1,
        "users": 1,
        "report_meetings": 1,
        "past_participants": 1,
    }


@pytest.mark.parametrize("removed", ALL_SCOPES)
def test_removed_scope_is_named_with_the_fix(
    app: Callable[..., ZoomEmulator], capsys, removed: str
) -> None:
    app(scopes=[scope for scope in ALL_SCOPES if scope != removed])
    assert cli.main([]) == 1
    out = capsys.readouterr().out
    missing = [line for line in out.splitlines() if line.split()[:1] == ["MISSING"]]
    assert len(missing) == 1, out
    assert f"add {removed}" in missing[0]
    assert "reactivate the app" in missing[0]
    assert sum(line.split()[:1] == ["GRANTED"] for line in out.splitlines()) == 2
    assert_no_secret(out)


def test_wrong_secret_is_refused_without_echoing_it(
    app: Callable[..., ZoomEmulator], capsys
) -> None:
    app(secret=SECRET + "-wrong")
    assert cli.main([]) == 1
    out = capsys.readouterr().out
    assert "No token" in out and "client_secret" in out
    assert SECRET not in out


def test_missing_credentials_exit_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    for name in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main([]) == 2
    assert "ZOOM_CLIENT_SECRET" in capsys.readouterr().err


def test_console_module_runs_in_its_own_process(app: Callable[..., ZoomEmulator]) -> None:
    app(scopes=ALL_SCOPES[:2])
    done = subprocess.run(
        [sys.executable, "-m", "zoom_assets.cli.check_connection"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "MISSING  meeting:read:list_past_participants:admin" in done.stdout
    assert_no_secret(done.stdout + done.stderr)


def _resource(emu: ZoomEmulator, tmp_path: Path) -> ZoomResource:
    return resources_for(emu, tmp_path / "unused.duckdb", secret=SECRET)["zoom"]


def test_job_succeeds_and_records_the_scopes(
    app: Callable[..., ZoomEmulator], tmp_path: Path
) -> None:
    emu = app()
    result = check_zoom_connection.execute_in_process(resources={"zoom": _resource(emu, tmp_path)})
    assert result.success
    output = result.get_step_success_events()[0]
    events = [e for e in result.all_events if e.event_type_value == "STEP_OUTPUT"]
    scopes = events[0].event_specific_data.metadata["scopes"].value
    assert {scope: v["status"] for scope, v in scopes.items()} == dict.fromkeys(
        ALL_SCOPES, "granted"
    )
    assert output.step_key == "probe_zoom_scopes"


def test_job_fails_naming_the_missing_scope(
    app: Callable[..., ZoomEmulator], tmp_path: Path
) -> None:
    emu = app(scopes=ALL_SCOPES[1:])
    result = check_zoom_connection.execute_in_process(
        resources={"zoom": _resource(emu, tmp_path)}, raise_on_error=False
    )
    assert not result.success
    failure = result.get_step_failure_events()[0].event_specific_data.error
    assert "add user:read:list_users:admin" in failure.message
    assert SECRET not in str(failure.to_string())


@pytest.mark.parametrize(
    ("headers", "plans"),
    [
        (
            {"Medium": {"limit": "60"}, "Heavy": {"limit": "60000", "type": "Daily-limit"}},
            ["business_plus"],
        ),
        ({"Medium": {"limit": "20"}, "Heavy": {"limit": "10"}}, ["pro"]),
        ({"Light": {"limit": "6000"}}, ["free"]),
        ({"Medium": {"limit": "7"}}, []),
        ({}, []),
    ],
)
def test_plan_from_headers(headers: dict, plans: list[str]) -> None:
    assert matching_plans(headers) == plans
