"""Helpers shared by the client tests: a client of an emulator, recorded retry pauses, the
days of an emulated account, and the key that tells users apart (pending users have no id)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets.zoom import PLANS, Credentials, ZoomClient, retry


def client_for(emu: ZoomEmulator, **options: object) -> ZoomClient:
    """A client of `emu` with its credentials, paced at the emulator's default plan."""
    creds = emu.tokens.credentials
    settings: dict[str, object] = {
        "token_url": emu.token_url,
        "api_base_url": emu.base_url,
        "rate_limits": PLANS["business_plus"],
        "max_workers": 4,
        **options,
    }
    return ZoomClient(
        Credentials(creds.account_id, creds.client_id, creds.client_secret),
        **settings,  # type: ignore[arg-type]
    )


def record_pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Replace the retry sleep with a recorder, so fault tests stay fast."""
    pauses: list[float] = []
    monkeypatch.setattr(retry, "pause", pauses.append)
    return pauses


def account_days(days: int) -> tuple[date, date]:
    """The days an emulator account with `days` days of meetings covers (up to yesterday UTC)."""
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    return yesterday - timedelta(days=days - 1), yesterday


def user_key(user: dict) -> str:
    return user.get("id") or user["email"]
