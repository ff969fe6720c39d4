"""`ZoomResource`: the configuration shell that builds one Zoom client per run process.

The client holds the token cache, the rate-limit pacing and the counters, so every asset of a run
shares them. Credentials come from `dg.EnvVar` (see `definitions.py`); the secret field is hidden
from `repr` and masked in the UI.
"""

import dagster as dg
from pydantic import Field, PrivateAttr

from zoom_assets.settings import (
    DEFAULT_DAILY_QUOTA_SHARE,
    DEFAULT_RATE_LIMIT_SHARE,
    DEFAULT_TOKEN_URL,
)
from zoom_assets.zoom import PLANS, Credentials, QuotaShare, ZoomClient, ZoomConfigError

FIELD_VARS = {
    "account_id": "ZOOM_ACCOUNT_ID",
    "client_id": "ZOOM_CLIENT_ID",
    "client_secret": "ZOOM_CLIENT_SECRET",
}


class ZoomResource(dg.ConfigurableResource):
    """Zoom Server-to-Server OAuth app credentials and client tuning."""

    account_id: str = Field(description="Zoom account id (env ZOOM_ACCOUNT_ID)")
    client_id: str = Field(description="Server-to-Server OAuth app client id (env ZOOM_CLIENT_ID)")
    client_secret: str = Field(
        repr=False,
        description="Server-to-Server OAuth app client secret (env ZOOM_CLIENT_SECRET)",
        json_schema_extra={"dagster__is_secret": True},
    )
    api_base_url: str | None = Field(
        default=None, description="API base URL; unset: the token's api_url, else Zoom's"
    )
    token_url: str = Field(default=DEFAULT_TOKEN_URL, description="OAuth token endpoint")
    rate_plan: str = Field(default="pro", description="account plan: free, pro, business_plus")
    rate_limit_scale: float = Field(
        default=1.0,
        description="multiplies every limit of the plan, per second and daily, to match an "
        "emulator or test account whose limits are scaled (1 = Zoom's); to leave room for the "
        "account's other apps, use rate_limit_share and daily_quota_share instead",
    )
    rate_limit_share: float = Field(
        default=DEFAULT_RATE_LIMIT_SHARE,
        description="share of each per-second limit that runs use (env ZOOM_RATE_LIMIT_SHARE)",
    )
    daily_quota_share: float = Field(
        default=DEFAULT_DAILY_QUOTA_SHARE,
        description="share of each daily quota that runs use; the rest stays for the account's "
        "other apps (env ZOOM_DAILY_QUOTA_SHARE)",
    )
    max_workers: int = Field(default=16, description="concurrent requests at most")
    connect_timeout: float = Field(default=5.0, description="seconds to connect")
    read_timeout: float = Field(default=30.0, description="seconds to wait for an answer")
    max_retries: int = Field(default=6, description="retries per request (429, 5xx, resets)")

    _client: ZoomClient | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._client = self.build_client()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> ZoomClient:
        """The run's client; only inside a run (or a `with build_asset_context(...)` block)."""
        if self._client is None:
            raise RuntimeError("ZoomResource.client is only available while a run executes")
        return self._client

    def build_client(self) -> ZoomClient:
        """Check the configuration, then build the client (no network call happens here)."""
        missing = [var for name, var in FIELD_VARS.items() if not getattr(self, name).strip()]
        if missing:
            raise ZoomConfigError(
                f"Zoom credentials missing: set {', '.join(missing)} to the Server-to-Server OAuth "
                "app's values (Zoom App Marketplace > the app > App Credentials)."
            )
        if self.rate_plan not in PLANS:
            raise ZoomConfigError(
                f"rate_plan {self.rate_plan!r} is unknown: set ZOOM_RATE_PLAN to one of "
                f"{', '.join(PLANS)}."
            )
        if self.max_workers < 1 or min(self.connect_timeout, self.read_timeout) <= 0:
            raise ZoomConfigError("max_workers must be >= 1 and timeouts > 0 seconds.")
        if self.rate_limit_scale <= 0:
            raise ZoomConfigError("rate_limit_scale must be above 0 (1 = the plan's limits).")
        try:
            share = QuotaShare(per_second=self.rate_limit_share, daily=self.daily_quota_share)
        except ValueError:
            raise ZoomConfigError(
                "ZOOM_RATE_LIMIT_SHARE and ZOOM_DAILY_QUOTA_SHARE must be above 0 and at most 1."
            ) from None
        return ZoomClient(
            Credentials(
                account_id=self.account_id.strip(),
                client_id=self.client_id.strip(),
                client_secret=self.client_secret.strip(),
            ),
            api_base_url=self.api_base_url or None,
            token_url=self.token_url,
            rate_limits=PLANS[self.rate_plan].scaled(self.rate_limit_scale),
            quota_share=share,
            max_workers=self.max_workers,
            timeout=(self.connect_timeout, self.read_timeout),
            max_retries=self.max_retries,
        )
