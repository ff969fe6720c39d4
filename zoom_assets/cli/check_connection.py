"""`zoom-check-connection` (`make check-connection`): is the Zoom app set up right?

Reads the same ZOOM_* variables as the pipeline, gets a token, calls each endpoint once and prints
one line per scope. Exit status: 0 all granted, 1 something is missing or refused, 2 configuration.
"""

import argparse
import os
import sys
from datetime import UTC, datetime

from zoom_assets.connection import check_connection
from zoom_assets.resources import FIELD_VARS, ZoomResource
from zoom_assets.settings import Settings, SettingsError, missing_credentials
from zoom_assets.zoom import ZoomError


def main(argv: list[str] | None = None) -> int:
    """Print the connection report; never prints a credential or a token."""
    argparse.ArgumentParser(
        prog="zoom-check-connection",
        description="Get a token from Zoom and probe the three endpoints the pipeline reads. "
        "Configured by ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET and the optional "
        "ZOOM_API_BASE_URL, ZOOM_OAUTH_TOKEN_URL, ZOOM_RATE_PLAN.",
    ).parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    missing = missing_credentials()
    if missing:
        print(
            f"{', '.join(missing)} not set: export the Server-to-Server OAuth app's Account ID, "
            "Client ID and Client Secret (or start `make emulator` and use its values).",
            file=sys.stderr,
        )
        return 2
    credentials = {field: os.environ[var] for field, var in FIELD_VARS.items()}
    print(f"Token endpoint: {settings.token_url}")
    print(f"API:            {settings.api_base_url or 'the api_url the token endpoint names'}")
    try:
        client = ZoomResource(
            **credentials,
            api_base_url=settings.api_base_url,
            token_url=settings.token_url,
            rate_plan=settings.rate_plan,
            max_retries=2,
        ).build_client()
        with client:
            report = check_connection(client, datetime.now(UTC).date())
    except ZoomError as error:
        print(f"No token: {error}")
        return 1
    print("Token: issued")
    for line in report.lines(settings.rate_plan):
        print(line)
    if report.ok:
        print("Connection OK: the app can read users, meeting reports and participants.")
        return 0
    print("Connection incomplete: fix the lines above, then run this check again.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
