"""URL rules: what base and token URLs the client accepts, and how ids go into a path."""

from __future__ import annotations

import ipaddress
from urllib.parse import quote, urlsplit

from zoom_assets.zoom.errors import ZoomConfigError

DEFAULT_API_BASE_URL = "https://api.zoom.us/v2"
DEFAULT_TOKEN_URL = "https://zoom.us/oauth/token"  # noqa: S105 (a URL, not a secret)


def is_loopback(host: str) -> bool:
    """Whether a host name is this machine: localhost, 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, what: str) -> str:
    """Return `url` without a trailing slash, or refuse it.

    Credentials and tokens must never cross a network in clear text, so plain http is allowed only
    to a loopback host (a local emulator); anything else needs https.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in {"http", "https"} or not host:
        raise ZoomConfigError(
            f"The {what} {url!r} is not an http(s) URL; give a full https:// URL."
        )
    if parts.scheme == "http" and not is_loopback(host):
        raise ZoomConfigError(
            f"The {what} {url!r} uses plain http to a non-loopback host; use https:// "
            "(plain http is accepted only for localhost, 127.0.0.0/8 and ::1)."
        )
    return url.rstrip("/")


def encode_path_id(value: str) -> str:
    """Percent-encode a user id or meeting id/UUID for a path segment.

    Zoom decodes a path once before routing, so a meeting UUID that starts with "/" or contains
    "//" would still look like a path after that decode: such UUIDs are encoded twice (REF §5).
    """
    once = quote(value, safe="")
    if value.startswith("/") or "//" in value:
        return quote(once, safe="")
    return once
