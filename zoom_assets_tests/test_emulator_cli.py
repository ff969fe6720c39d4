"""`python -m zoom_assets.emulator` starts, announces its URLs, serves, and stops on SIGTERM."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import requests

READY = re.compile(r"^Zoom API emulator ready: api=(\S+) token=(\S+)$")


def test_cli_serves_until_sigterm():
    options = (
        "--port 0 --users 5 --days 2 --client-secret cli-secret --end-date 2026-03-01 "
        "--scopes user:read:list_users:admin"
    )
    command = [sys.executable, "-m", "zoom_assets.emulator", *options.split()]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready = READY.match(process.stdout.readline().strip())
        assert ready, process.stderr.read()
        api, token_url = ready.groups()
        issued = requests.post(
            token_url,
            auth=("emu-client", "cli-secret"),
            data={"grant_type": "account_credentials", "account_id": "emu-account"},
            timeout=10,
        ).json()
        assert issued["scope"] == "user:read:list_users:admin"
        bearer = {"Authorization": f"Bearer {issued['access_token']}"}
        users = requests.get(f"{api}/users", headers=bearer, timeout=10).json()["users"]
        assert len(users) == 3  # 5 users: one pending, one inactive
        url = f"{api}/report/users/{users[0]['id']}/meetings"
        # the report scope was left out
        assert requests.get(url, headers=bearer, timeout=10).json()["code"] == 4711
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "stopped" in out
    assert "cli-secret" not in out + err


def test_cli_help_documents_the_defaults():
    result = subprocess.run(
        [sys.executable, "-m", "zoom_assets.emulator", "--help"],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    for flag in ("--host", "--port", "--account-id", "--client-id", "--client-secret", "--seed",
                 "--users", "--days", "--end-date", "--plan", "--rate-limit-scale", "--latency",
                 "--token-ttl", "--scopes"):  # fmt: skip
        assert flag in result.stdout
    assert "default: 127.0.0.1" in result.stdout
