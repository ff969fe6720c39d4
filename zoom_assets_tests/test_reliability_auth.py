"""Authentication under stress: tokens that expire mid-listing (also with the legacy rule that a
new token revokes the older ones, while many workers hold the old one), credentials revoked in the
middle of a run, and a missing scope. Recoverable cases lose no row; the others fail at once with
a message that says what to do, and never loop on the token endpoint."""

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets.emulator.tokens import DEFAULT_SCOPES
from zoom_assets_tests.sync_harness import (
    assert_synced,
    differences,
    expected_tables,
    failure_messages,
    requests_to,
    resources,
    step_starts,
    sync,
    through,
    when,
    written_days,
)

SPEED = 60  # the emulator's clock runs a minute per real second


def fast_clock(speed: float) -> Callable[[], datetime]:
    """A clock that starts now and runs `speed` times faster than real time."""
    start, origin = time.monotonic(), datetime.now(UTC)
    return lambda: origin + (time.monotonic() - start) * speed * (datetime.min.resolution * 10**6)


@pytest.mark.parametrize("revoke_previous", [False, True], ids=["tokens-coexist", "legacy"])
def test_tokens_expiring_mid_listing_are_replaced_once_each(
    tmp_path: Path, revoke_previous: bool
) -> None:
    # Tokens live a minute of the emulator's clock, one real second, while the client counts a
    # minute: only Zoom's 401/124 tells it that the token died under its workers.
    with ZoomEmulator(
        seed=6,
        users=12,
        days=5,
        latency=0.1,
        token_ttl=60,
        revoke_previous_tokens=revoke_previous,
        clock=fast_clock(SPEED),
    ) as emu:
        days = emu.account.days
        started = time.monotonic()
        result = sync(resources(emu, tmp_path / "zoom.duckdb", max_workers=8), days[0], days[-1])
        elapsed = time.monotonic() - started
        assert result.success
        assert_synced(emu, tmp_path / "zoom.duckdb", days)
        tokens = requests_to(emu, "token", "200")
        refused = sum(
            emu.stats()["requests"][e].get("401", 0)
            for e in ("users", "report_meetings", "past_participants")
        )
        assert tokens >= 2 and refused >= 1  # expiry did happen mid-run
        # One new token per lifetime that ran out, however many workers met the 401 together.
        assert tokens <= elapsed * SPEED / 60 + 2
        assert refused <= (tokens - 1) * 8


def test_credentials_revoked_mid_run_fail_at_once_without_a_retry_loop(tmp_path: Path) -> None:
    db_path = tmp_path / "zoom.duckdb"
    with ZoomEmulator(seed=6, users=12, days=4, latency=0.2) as emu:
        days = emu.account.days
        revoke = lambda: setattr(emu.faults, "revoke_credentials", True)  # noqa: E731
        first_day = len(emu.account.meetings_on(days[0]))  # written before day two is asked
        with when(lambda: requests_to(emu, "past_participants") > first_day, revoke) as fired:
            started = time.monotonic()
            result = sync(
                resources(emu, db_path, max_workers=4), days[0], days[-1], raise_on_error=False
            )
            elapsed = time.monotonic() - started
        assert fired.is_set() and not result.success
        [message] = failure_messages(result)
        assert "ZoomAuthError" in message and "invalid_client" in message
        assert "check client_id and client_secret" in message
        assert emu.tokens.credentials.client_secret not in message
        assert step_starts(result, "past_participants") == 1  # Dagster did not retry it either
        # The first token, then one refused request: the workers that met the revocation
        # after it reuse Zoom's answer instead of asking again.
        assert requests_to(emu, "token") == 2
        assert elapsed < 10
        # Users and reports were written before the revocation, participants up to the day it
        # stopped at: all of them complete and correct.
        done = written_days(db_path)
        assert done and done[-1] < days[-1]
        assert differences(db_path, through(expected_tables(emu, days), done[-1])) == {}


@pytest.mark.parametrize(
    ("missing", "failed_step", "scope"),
    [
        ("report:read:user:admin", "meeting_reports", "report:read:user:admin"),
        ("user:read:list_users:admin", "zoom_users", "user:read:list_users:admin"),
    ],
)
def test_a_missing_scope_fails_at_once_naming_it_and_the_reactivation(
    tmp_path: Path, missing: str, failed_step: str, scope: str
) -> None:
    scopes = [s for s in DEFAULT_SCOPES if s != missing]
    with ZoomEmulator(seed=6, users=12, days=2, scopes=scopes) as emu:
        days = emu.account.days
        result = sync(
            resources(emu, tmp_path / "zoom.duckdb"), days[0], days[-1], raise_on_error=False
        )
        assert not result.success
        [message] = failure_messages(result)
        assert "ZoomScopeError" in message and scope in message
        assert "reactivate" in message.lower()
        assert step_starts(result, failed_step) == 1
        assert requests_to(emu, "token") == 1
        endpoint = "users" if failed_step == "zoom_users" else "report_meetings"
        assert requests_to(emu, endpoint, "400") == requests_to(emu, endpoint) >= 1
        assert emu.stats()["requests_by_category"].get("Heavy", 0) <= 16
