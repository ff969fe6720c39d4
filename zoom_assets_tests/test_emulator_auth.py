"""Server-to-Server OAuth on the emulator: token endpoint answers, bearer and scope checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import requests

FORM = {"grant_type": "account_credentials", "account_id": "emu-account"}
AUTH = ("emu-client", "emu-secret")


def _token(emu, **kwargs) -> requests.Response:
    kwargs.setdefault("auth", AUTH)
    kwargs.setdefault("data", FORM)
    return requests.post(emu.token_url, timeout=10, **kwargs)


def _users(emu, token: str | None, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(f"{emu.base_url}/users", headers=headers, timeout=10, **kwargs)


def test_token_response_has_zoom_fields(emulator):
    body = _token(emulator).json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["api_url"] + "/v2" == emulator.base_url
    assert "user:read:list_users:admin" in body["scope"].split(" ")
    assert body["access_token"].startswith("eyJ")


def test_token_params_in_the_query_string_are_accepted(emulator):
    response = requests.post(emulator.token_url, params=FORM, auth=AUTH, timeout=10)
    assert response.status_code == 200


def test_token_errors_use_reason_and_error(emulator):
    cases = [
        (_token(emulator, auth=("emu-client", "wrong")), "invalid_client"),
        (_token(emulator, auth=None), "invalid_client"),
        (
            _token(emulator, data={**FORM, "grant_type": "client_credentials"}),
            "unsupported_grant_type",
        ),
        (_token(emulator, data={**FORM, "account_id": "other"}), "invalid_request"),
    ]
    for response, error in cases:
        assert response.status_code == 400
        assert set(response.json()) == {"reason", "error"}
        assert response.json()["error"] == error
        assert "emu-secret" not in response.text


def test_missing_unknown_and_query_tokens_are_401_124(emulator):
    token = _token(emulator).json()["access_token"]
    answers = [
        _users(emulator, None),
        _users(emulator, "not-a-token"),
        _users(emulator, None, params={"access_token": token}),
    ]
    for response in answers:
        assert response.status_code == 401
        assert response.json()["code"] == 124
    assert "query parameter" in answers[2].json()["message"]


def test_expired_token_says_so(emulator_factory):
    now = [datetime(2026, 6, 1, 12, tzinfo=UTC)]
    emu = emulator_factory(users=3, days=1, token_ttl=60, clock=lambda: now[0])
    token = _token(emu).json()["access_token"]
    assert _users(emu, token).status_code == 200
    now[0] += timedelta(seconds=61)
    expired = _users(emu, token)
    assert (expired.status_code, expired.json()) == (
        401,
        {"code": 124, "message": "Access token is expired."},
    )


def test_tokens_stay_valid_together_unless_revoke_previous(emulator_factory):
    tolerant = emulator_factory(users=3, days=1)
    legacy = emulator_factory(users=3, days=1, revoke_previous_tokens=True)
    for emu, old_still_works in ((tolerant, True), (legacy, False)):
        old = _token(emu).json()["access_token"]
        new = _token(emu).json()["access_token"]
        assert (_users(emu, old).status_code == 200) is old_still_works
        assert _users(emu, new).status_code == 200


def test_revoke_all_tokens(emulator):
    token = _token(emulator).json()["access_token"]
    emulator.revoke_all_tokens()
    assert _users(emulator, token).json()["code"] == 124


def test_missing_scope_is_400_4711_naming_the_scope(emulator_factory):
    emu = emulator_factory(users=3, days=1, scopes=["report:read:admin"])
    token = _token(emu).json()["access_token"]
    response = _users(emu, token)
    assert response.status_code == 400
    assert response.json() == {
        "code": 4711,
        "message": "Invalid access token, does not contain scopes:[user:read:list_users:admin].",
    }
    day = emu.account.days[0].isoformat()
    user_id = emu.account.user_ids_with_reports()[0]
    report = requests.get(
        f"{emu.base_url}/report/users/{user_id}/meetings",
        params={"from": day, "to": day},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert report.status_code == 200
