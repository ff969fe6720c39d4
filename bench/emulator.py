"""The emulator in a process of its own, as Zoom would be, and its admin endpoints.

A separate process keeps the emulator's threads from competing with the client's for one
interpreter lock, which would blur what the client itself achieves.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import requests

from zoom_assets.zoom import PLANS, Credentials, ZoomClient

CREDENTIALS = Credentials("bench-account", "bench-client", "bench-secret")
READY = "Zoom API emulator ready: api="
SEED = 11


@dataclass(frozen=True)
class Emulator:
    """Where a running emulator answers."""

    api: str
    token_url: str

    def client(self, *, scale: float, workers: int) -> ZoomClient:
        """A client of this emulator paced at Business+ limits x `scale`."""
        return ZoomClient(
            CREDENTIALS,
            api_base_url=self.api,
            token_url=self.token_url,
            rate_limits=PLANS["business_plus"].scaled(scale),
            max_workers=workers,
        )

    def admin(self, action: str) -> dict[str, Any]:
        """The out-of-process admin endpoints: stats (GET) and reset (POST)."""
        url = self.api.removesuffix("/v2") + f"/_emulator/{action}"
        response = requests.request("GET" if action == "stats" else "POST", url, timeout=60)
        response.raise_for_status()
        return response.json()


@contextmanager
def emulator(
    *, users: int, days: int, scale: float, latency: float, end_date: date | None = None
) -> Iterator[Emulator]:
    """Run `python -m zoom_assets.emulator` on a free port with Business+ limits x `scale`;
    meetings on the `days` days up to `end_date` (default: the emulator's, yesterday UTC)."""
    creds = CREDENTIALS
    command = [
        sys.executable, "-m", "zoom_assets.emulator", "--port", "0",
        "--account-id", creds.account_id, "--client-id", creds.client_id,
        "--client-secret", creds.client_secret, "--seed", str(SEED),
        "--users", str(users), "--days", str(days), "--plan", "business_plus",
        "--rate-limit-scale", str(scale), "--latency", str(latency),
    ]  # fmt: skip
    if end_date is not None:
        command += ["--end-date", end_date.isoformat()]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(READY):
                api, token = line[len(READY) :].split(" token=")
                yield Emulator(api.strip(), token.strip())
                break
        else:
            raise RuntimeError("the emulator stopped before it was ready")
    finally:
        process.terminate()
        process.wait(timeout=10)
