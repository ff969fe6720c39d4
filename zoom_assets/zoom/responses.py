"""Zoom error bodies (`{"code", "message"}`) to typed exceptions, branching on status and code.

Zoom's messages vary between endpoints and over time (REFERENCE §6), so the branch is on HTTP
status + `code`; the message is only quoted.
"""

from __future__ import annotations

import json
from typing import Any

from zoom_assets.zoom.endpoints import Endpoint
from zoom_assets.zoom.errors import (
    ZoomAuthError,
    ZoomError,
    ZoomNotFoundError,
    ZoomPageTokenError,
    ZoomReportWindowError,
    ZoomResponseError,
    ZoomScopeError,
)

NOT_FOUND_CODES = {1001, 3001, 12702}


def strict_json(content: bytes) -> Any:
    """Parse a body as standard JSON, refusing NaN and Infinity.

    Python's parser accepts those words, but they are not JSON: kept, they would turn into a
    `raw` column that no other JSON reader can load. Such a body is malformed, like a truncated
    one (ValueError), and is fetched again.
    """
    return json.loads(content, parse_constant=_not_json)


def _not_json(word: str) -> None:
    raise ValueError(f"{word} is not a JSON value")


def error_for(
    endpoint: Endpoint,
    status: int,
    code: int | None,
    message: str,
    *,
    path_id: str | None,
    params: dict[str, Any],
) -> ZoomError:
    """The exception for a non-retryable answer of `endpoint`."""
    said = f"Zoom answered HTTP {status}, code {code}: {message or 'no message'}"
    if code == 4711 or (status == 400 and code == 200):
        return ZoomScopeError(
            f"{said}. {_permission_advice(endpoint, code)}",
            endpoint=endpoint.name,
            scope=endpoint.scope,
        )
    if status == 401:
        return ZoomAuthError(
            f"{said} (after a fresh token was fetched). Check that the Server-to-Server OAuth app "
            "is activated and that its credentials were not regenerated."
        )
    if code in NOT_FOUND_CODES and status in (400, 404):
        return ZoomNotFoundError(
            f"{said}. {path_id!r} is unknown to Zoom or too old; skip it.",
            endpoint=endpoint.name,
            entity_id=path_id or "",
            code=code,
        )
    if status == 400 and code == 300 and params.get("next_page_token"):
        return ZoomPageTokenError(said, endpoint=endpoint.name, status=status, code=300)
    if status == 400 and code == 300 and "from" in params:
        return ZoomReportWindowError(
            f"{said}. Zoom refused the report window {params['from']}..{params.get('to')}: "
            "a window may span at most one month and must lie within the last six months."
        )
    return ZoomResponseError(
        f"{said} for {endpoint.name}; this request cannot succeed as is.",
        endpoint=endpoint.name,
        status=status,
        code=code,
    )


def _permission_advice(endpoint: Endpoint, code: int | None) -> str:
    """4711 is a scope the token lacks; 200 can also be the plan or the owner's role."""
    if code == 4711:
        return (
            f"The app's token lacks the scope {endpoint.scope_hint()} that {endpoint.name} "
            "needs: add it on the Server-to-Server OAuth app's Scopes page, then reactivate the "
            "app (Zoom App Marketplace > Manage > the app > Activation) so that new tokens carry "
            "it; a retry cannot help before that."
        )
    return (
        f"Zoom does not let this app call {endpoint.name}: the account needs a paid plan (Pro "
        "or higher), the app's owner a role allowed to read this data, and the app the scope "
        f"{endpoint.scope_hint()}."
    )
