"""Settings read from the environment, checked once with messages that say what to set.

Credentials are not read here: `definitions.py` hands them to the resource through `dg.EnvVar`, so
their values never reach the code location's snapshot or the UI. Everything else is non-secret and
is read when the code location loads, so that a wrong value stops the load with a clear message
instead of failing a run hours later.
"""

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from zoom_assets.zoom import PLANS

CREDENTIAL_VARS = ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET")
DEFAULT_API_BASE_URL = "https://api.zoom.us/v2"
DEFAULT_TOKEN_URL = "https://zoom.us/oauth/token"  # noqa: S105 (a URL, not a secret)
DEFAULT_DUCKDB_PATH = "data/zoom.duckdb"
DEFAULT_RATE_PLAN = "pro"
# Zoom serves meeting reports for the last six calendar months; 180 days stays inside that.
DEFAULT_HISTORY_DAYS = 180
# A few meetings a day can be deleted before their participants are read; more is worth a look.
DEFAULT_MAX_SKIPPED_SHARE = 0.1
# Zoom's limits are per account, shared by all its apps: leave a fifth of each daily quota to them.
DEFAULT_RATE_LIMIT_SHARE = 1.0
DEFAULT_DAILY_QUOTA_SHARE = 0.8
# What DuckDB's memory_limit setting accepts: a number and a unit, e.g. 512MB, 2GB, 1.5GiB.
MEMORY_SIZE = re.compile(r"\d+(\.\d+)?\s*([KMGT]i?B)", re.IGNORECASE)


class SettingsError(ValueError):
    """A configuration value is missing or invalid; the message names the variable to fix."""


@dataclass(frozen=True)
class Settings:
    """The non-secret configuration of the code location."""

    api_base_url: str | None
    token_url: str
    duckdb_path: str
    rate_plan: str
    start_date: date
    max_skipped_share: float = DEFAULT_MAX_SKIPPED_SHARE
    """ZOOM_MAX_SKIPPED_MEETING_SHARE, 0..1: the `past_participants` check
    `skipped_meetings_within_share` warns for a day when a larger share of its meetings was
    skipped (Zoom answered 3001 or 12702 for them; they are listed in `sync_skips`)."""
    rate_limit_share: float = DEFAULT_RATE_LIMIT_SHARE
    """ZOOM_RATE_LIMIT_SHARE, above 0 up to 1: the share of each per-second limit of the plan
    (Light, Medium, Heavy) that runs pace themselves to; lower it when other apps of the account
    call Zoom at the same time."""
    daily_quota_share: float = DEFAULT_DAILY_QUOTA_SHARE
    """ZOOM_DAILY_QUOTA_SHARE, above 0 up to 1: the share of each daily quota (Heavy on Pro and
    Business+) that runs may use. Runs read what is left from Zoom's X-RateLimit headers and stop,
    saying which days are left and when the quota resets (00:00 UTC), once no more than the rest
    is left for the account's other apps."""
    duckdb_memory_limit: str | None = None
    """ZOOM_DUCKDB_MEMORY_LIMIT, e.g. 256MB: how much memory DuckDB may use in a run (unset:
    DuckDB's default, 80% of the machine's). DuckDB keeps the blocks it has read or written
    cached up to that limit and spills to disk what does not fit: a bound for a machine shared
    with other work, since a run's memory does not grow with the range it syncs anyway."""

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, today: date | None = None
    ) -> "Settings":
        """Read and validate the ZOOM_* variables; raise SettingsError naming the bad one."""
        env = os.environ if environ is None else environ
        today = today or datetime.now(UTC).date()
        api_base_url = _optional(env, "ZOOM_API_BASE_URL")
        if api_base_url is not None:
            _check_url("ZOOM_API_BASE_URL", api_base_url)
        token_url = _optional(env, "ZOOM_OAUTH_TOKEN_URL") or DEFAULT_TOKEN_URL
        _check_url("ZOOM_OAUTH_TOKEN_URL", token_url)
        rate_plan = (_optional(env, "ZOOM_RATE_PLAN") or DEFAULT_RATE_PLAN).lower()
        if rate_plan not in PLANS:
            raise SettingsError(
                f"ZOOM_RATE_PLAN={rate_plan!r} is not a known Zoom plan: set it to one of "
                f"{', '.join(PLANS)} (the account's plan decides its API rate limits)."
            )
        start_date = _start_date(_optional(env, "ZOOM_START_DATE"), today)
        return cls(
            api_base_url=api_base_url,
            token_url=token_url,
            duckdb_path=_duckdb_path(_optional(env, "ZOOM_DUCKDB_PATH") or DEFAULT_DUCKDB_PATH),
            rate_plan=rate_plan,
            start_date=start_date,
            max_skipped_share=_share(
                env, "ZOOM_MAX_SKIPPED_MEETING_SHARE", DEFAULT_MAX_SKIPPED_SHARE, allow_zero=True
            ),
            rate_limit_share=_share(
                env, "ZOOM_RATE_LIMIT_SHARE", DEFAULT_RATE_LIMIT_SHARE, allow_zero=False
            ),
            daily_quota_share=_share(
                env, "ZOOM_DAILY_QUOTA_SHARE", DEFAULT_DAILY_QUOTA_SHARE, allow_zero=False
            ),
            duckdb_memory_limit=_memory_size(env, "ZOOM_DUCKDB_MEMORY_LIMIT"),
        )


@cache
def load_settings() -> Settings:
    """The process's settings, read once: the code location and its runs see the same values."""
    return Settings.from_env()


def warn_if_credentials_missing(environ: Mapping[str, str] | None = None) -> None:
    """Log, at load, which credential variables runs will need; the code location still loads."""
    missing = missing_credentials(environ)
    if missing:
        logging.getLogger("zoom_assets").warning(
            "%s not set: the UI works, but runs that call Zoom will fail until they are set to the "
            "Server-to-Server OAuth app's values.",
            ", ".join(missing),
        )


def missing_credentials(environ: Mapping[str, str] | None = None) -> list[str]:
    """The credential variables that are unset or empty (their values are never returned)."""
    env = os.environ if environ is None else environ
    return [name for name in CREDENTIAL_VARS if not env.get(name, "").strip()]


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _share(env: Mapping[str, str], name: str, default: float, *, allow_zero: bool) -> float:
    """A fraction from 0 (or just above, unless `allow_zero`) to 1, e.g. 0.8 for 80%."""
    value = _optional(env, name)
    if value is None:
        return default
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0 or (share == 0.0 and not allow_zero):
        smallest = "0" if allow_zero else "above 0"
        raise SettingsError(
            f"{name}={value!r} is not a share: set it to a number from {smallest} to 1 "
            f"(0.5 is half), or unset it for {default}."
        )
    return share


def _duckdb_path(value: str) -> str:
    """The DuckDB file's path, if its folder exists or can be created, and can be written.

    Checked at load: the assets call Zoom before they write, so a bad folder found at the first
    write would cost a run's worth of requests, and the error would be retried in vain.
    """
    folder = Path(value).expanduser().absolute().parent
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise SettingsError(
            f"ZOOM_DUCKDB_PATH={value!r}: the folder {folder} cannot be written ({existing} is "
            "not a folder this process may write in): set it to a file in a writable folder."
        )
    return value


def _check_url(name: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            f"{name}={url!r} is not an http(s) URL: set it to a full URL such as "
            f"{DEFAULT_API_BASE_URL if 'BASE' in name else DEFAULT_TOKEN_URL}, or unset it."
        )


def _start_date(value: str | None, today: date) -> date:
    if value is None:
        return today - timedelta(days=DEFAULT_HISTORY_DAYS)
    try:
        start = date.fromisoformat(value)
    except ValueError:
        raise SettingsError(
            f"ZOOM_START_DATE={value!r} is not a date: set it as YYYY-MM-DD, the first day to sync."
        ) from None
    if start >= today:
        raise SettingsError(
            f"ZOOM_START_DATE={value} is not in the past: set it to a day before {today}."
        )
    return start


def _memory_size(env: Mapping[str, str], name: str) -> str | None:
    """A size DuckDB understands (512MB, 2GB, 1.5GiB), or None when unset."""
    value = _optional(env, name)
    if value is not None and not MEMORY_SIZE.fullmatch(value):
        raise SettingsError(
            f"{name}={value!r} is not a memory size: set it to a number and a unit, such as "
            "512MB or 2GB, or unset it to let DuckDB use its default."
        )
    return value
