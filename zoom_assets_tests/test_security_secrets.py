"""No credential or access token is ever written anywhere: a whole sync with distinctive
credentials, then a run whose credentials were revoked (its errors are logged too), both through
the project's real Definitions in a deployment-like process; then every file under DAGSTER_HOME
(event log, run storage, compute logs), the run's console output, the DuckDB file and every event
the instance returns are searched for the client secret, the Basic credentials and each token the
emulator issued. Also: a bearer token in the query string is refused, and the client never sends
one there."""

import base64

import dagster as dg
import pytest
import requests

from zoom_assets.emulator import ZoomEmulator
from zoom_assets.emulator.tokens import BEARER_IN_QUERY
from zoom_assets_tests.sync_harness import child_env, requests_to, start_child

ACCOUNT_ID = "acct-leakcheck-5b1e"
CLIENT_ID = "cid-leakcheck-93d2"
CLIENT_SECRET = "SECRET-leakcheck-4f7a9c2e61d8"  # a value that can only come from the credential
API_ENDPOINTS = ("users", "report_meetings", "past_participants")


@pytest.fixture(scope="module")
def leak_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A successful sync, then a failing one after the credentials were revoked."""
    tmp = tmp_path_factory.mktemp("secrets")
    home, db_path = tmp / "dagster_home", tmp / "zoom.duckdb"
    with ZoomEmulator(
        seed=12,
        users=8,
        days=2,
        account_id=ACCOUNT_ID,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token_ttl=1,  # a token per second of the run: each must stay out of the logs
        latency=0.05,
    ) as emu:
        days = emu.account.days
        env = child_env(emu, db_path, home)
        ok = start_child(env, days[0], days[-1])
        outputs = [ok.communicate(timeout=180)[0]]
        stats = emu.stats()
        emu.faults.revoke_credentials = True
        failed = start_child(env, days[0], days[-1])
        outputs.append(failed.communicate(timeout=180)[0])
        tokens = emu.tokens.issued()
    return {
        "returncodes": (ok.returncode, failed.returncode),
        "outputs": outputs,
        "stats": stats,
        "tokens": tokens,
        "home": home,
        "files": [p for p in [*home.rglob("*"), *tmp.glob("zoom.duckdb*")] if p.is_file()],
    }


def secrets_of(leak_run: dict) -> dict[str, bytes]:
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode())
    found = {"client secret": CLIENT_SECRET.encode(), "basic credentials": basic}
    for n, token in enumerate(leak_run["tokens"]):
        found[f"token {n}"] = token.encode()
        found[f"token {n} signature"] = token.rsplit(".", 1)[-1].encode()
    return found


def test_the_runs_did_what_the_search_needs(leak_run: dict) -> None:
    assert leak_run["returncodes"] == (0, 1), leak_run["outputs"]
    assert len(leak_run["tokens"]) >= 2
    assert any(p.name.endswith(".duckdb") for p in leak_run["files"])
    assert any("compute_logs" in str(p) or p.suffix in (".out", ".err") for p in leak_run["files"])


def test_no_secret_or_token_in_any_file_under_dagster_home_or_the_warehouse(leak_run: dict) -> None:
    # The search does see what the runs wrote: the (non-secret) account id of the refused token
    # request is in the failed run's error.
    assert any(ACCOUNT_ID.encode() in path.read_bytes() for path in leak_run["files"])
    leaks = [
        f"{name} in {path}"
        for path in leak_run["files"]
        for name, secret in secrets_of(leak_run).items()
        if secret in path.read_bytes()
    ]
    assert leaks == []


def test_no_secret_or_token_in_console_output_events_or_metadata(leak_run: dict) -> None:
    with dg.DagsterInstance.from_config(str(leak_run["home"])) as instance:
        runs = instance.get_runs()
        events = [
            dg.serialize_value(record.event_log_entry)
            for run in runs
            for record in instance.get_records_for_run(run.run_id, limit=100_000).records
        ]
        configs = [str(run.run_config) + str(run.tags) for run in runs]
    assert len(runs) == 2 and len(events) > 50
    texts = [*leak_run["outputs"], *events, *configs]
    leaks = [
        name
        for name, secret in secrets_of(leak_run).items()
        for text in texts
        if secret.decode() in text
    ]
    assert leaks == []


def test_the_client_never_sends_a_token_in_the_query_string(leak_run: dict) -> None:
    # The emulator answers every query-string token with 401/124; the sync drew none at all.
    requests_made = leak_run["stats"]["requests"]
    for endpoint in API_ENDPOINTS:
        assert set(requests_made[endpoint]) == {"200"}, requests_made


def test_a_bearer_token_in_the_query_string_is_refused() -> None:
    with ZoomEmulator(seed=12, users=3, days=1) as emu:
        credentials = emu.tokens.credentials
        token = requests.post(
            emu.token_url,
            auth=(credentials.client_id, credentials.client_secret),
            data={"grant_type": "account_credentials", "account_id": credentials.account_id},
            timeout=10,
        ).json()["access_token"]
        answer = requests.get(f"{emu.base_url}/users", params={"access_token": token}, timeout=10)
        assert answer.status_code == 401
        assert answer.json() == {"code": 124, "message": BEARER_IN_QUERY}
        both = requests.get(
            f"{emu.base_url}/users",
            params={"access_token": token},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert both.status_code == 401  # even alongside a good header
        assert requests_to(emu, "users", "401") == 2
