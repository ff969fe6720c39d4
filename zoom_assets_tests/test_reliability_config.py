"""Bad configuration stops a deployment with a clear error before a single request reaches Zoom.

Each case is a process configured by ZOOM_* variables, as a deployment is, that loads the
project's Definitions and runs the sync job against its own emulator; the emulator's counters
must stay at zero. The cases run side by side to keep the test short. The plain-http cases need
an address other than loopback to serve on, and are left out on a machine without one.
"""

import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from zoom_assets.emulator import ZoomEmulator
from zoom_assets_tests.sync_harness import child_env, start_child


def routable_address() -> str | None:
    """This machine's non-loopback IPv4 address, if it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 9))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def file_as_folder(tmp: Path) -> str:
    (tmp / "not-a-folder").write_text("a file where the DuckDB folder should be")
    return str(tmp / "not-a-folder" / "zoom.duckdb")


tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
# (ZOOM_* overrides given the emulator and a temporary folder, words the error must contain)
CASES: dict[str, tuple[Callable[[ZoomEmulator, Path], dict[str, str]], list[str]]] = {
    "malformed-start-date": (
        lambda emu, tmp: {"ZOOM_START_DATE": "2026-02-30"},
        ["ZOOM_START_DATE='2026-02-30' is not a date", "YYYY-MM-DD"],
    ),
    "future-start-date": (
        lambda emu, tmp: {"ZOOM_START_DATE": tomorrow},
        [f"ZOOM_START_DATE={tomorrow} is not in the past"],
    ),
    "unknown-plan": (
        lambda emu, tmp: {"ZOOM_RATE_PLAN": "gold"},
        ["ZOOM_RATE_PLAN='gold' is not a known Zoom plan", "free, pro, business_plus"],
    ),
    "plain-http-remote-api": (
        lambda emu, tmp: {"ZOOM_API_BASE_URL": emu.base_url},
        ["plain http", "https://"],
    ),
    "plain-http-remote-token-url": (
        lambda emu, tmp: {"ZOOM_OAUTH_TOKEN_URL": emu.token_url},
        ["plain http", "https://"],
    ),
    "unwritable-duckdb-folder": (
        lambda emu, tmp: {"ZOOM_DUCKDB_PATH": file_as_folder(tmp)},
        ["ZOOM_DUCKDB_PATH", "cannot be written"],
    ),
}


def test_bad_configuration_fails_clearly_before_any_request(tmp_path: Path) -> None:
    remote = routable_address()
    cases = {n: c for n, c in CASES.items() if remote is not None or "http" not in n}
    emulators, children = {}, {}
    try:
        for name, (overrides, _) in cases.items():
            # The plain-http cases point at an emulator on a routable address: had the
            # pipeline accepted the URL, its requests would have reached it and been counted.
            emu = ZoomEmulator(host=remote if "http" in name else "127.0.0.1", users=4, days=2)
            emulators[name] = emu.start()
            home = tmp_path / name
            env = child_env(emu, home / "zoom.duckdb", home / "dagster_home")
            if "http" in name:  # only the URL under test is a remote one
                loopback = {"ZOOM_API_BASE_URL": "http://127.0.0.1:9/v2"}
                loopback["ZOOM_OAUTH_TOKEN_URL"] = "http://127.0.0.1:9/oauth/token"
                env.update(loopback)
            env.update(overrides(emu, home))
            first = emu.account.days[0]
            children[name] = start_child(env, first, first)
        for name, child in children.items():
            output = child.communicate(timeout=120)[0]
            assert child.returncode != 0, f"{name}: {output}"
            for words in cases[name][1]:
                assert words in output, f"{name}: {output}"
            assert emulators[name].stats()["requests"] == {}, name
    finally:
        for child in children.values():
            if child.poll() is None:
                child.kill()
        for emu in emulators.values():
            emu.stop()
