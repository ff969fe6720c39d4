"""Shared fixtures: a Zoom API emulator on a free loopback port, and a temporary DuckDB file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from zoom_assets.emulator import ZoomEmulator


@pytest.fixture
def emulator() -> Iterator[ZoomEmulator]:
    """A started emulator with a small account (12 users, 5 days); stopped after the test."""
    with ZoomEmulator(seed=7, users=12, days=5) as emu:
        yield emu


@pytest.fixture
def emulator_factory() -> Iterator[Callable[..., ZoomEmulator]]:
    """Start emulators with any `ZoomEmulator` keyword arguments; all are stopped at teardown."""
    started: list[ZoomEmulator] = []

    def start(**kwargs: object) -> ZoomEmulator:
        emu = ZoomEmulator(**kwargs).start()  # type: ignore[arg-type]
        started.append(emu)
        return emu

    yield start
    for emu in started:
        emu.stop()


@pytest.fixture
def api_session() -> Iterator[Callable[[ZoomEmulator], requests.Session]]:
    """A `requests.Session` holding a fresh bearer token for the given emulator."""
    sessions: list[requests.Session] = []

    def open_session(emu: ZoomEmulator) -> requests.Session:
        session = requests.Session()
        sessions.append(session)
        response = session.post(
            emu.token_url,
            auth=(emu.tokens.credentials.client_id, emu.tokens.credentials.client_secret),
            data={
                "grant_type": "account_credentials",
                "account_id": emu.tokens.credentials.account_id,
            },
            timeout=10,
        )
        response.raise_for_status()
        session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        return session

    yield open_session
    for session in sessions:
        session.close()


@pytest.fixture
def duckdb_path(tmp_path: Path) -> Path:
    """A DuckDB file path in this test's temporary directory (not created yet)."""
    return tmp_path / "zoom.duckdb"


@pytest.fixture
def pipeline_resources(emulator: ZoomEmulator, duckdb_path: Path) -> dict[str, object]:
    """The pipeline's resources pointed at the `emulator` fixture and the `duckdb_path` file."""
    # Imported here so that the emulator and client tests never load Dagster.
    from dagster_duckdb import DuckDBResource  # noqa: PLC0415

    from zoom_assets.resources import ZoomResource  # noqa: PLC0415

    credentials = emulator.tokens.credentials
    return {
        "zoom": ZoomResource(
            account_id=credentials.account_id,
            client_id=credentials.client_id,
            client_secret=credentials.client_secret,
            api_base_url=emulator.base_url,
            token_url=emulator.token_url,
            rate_plan="business_plus",
        ),
        "duckdb": DuckDBResource(database=str(duckdb_path)),
    }
