"""What `make demo` and `make dev` share: the project's Dagster home and the demo account.

DAGSTER_HOME must be an absolute path to an existing directory that holds `dagster.yaml`; a fixed
one (`.dagster_home/` in the checkout) keeps the demo's runs visible in the UI later.
"""

import shutil
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
DAGSTER_HOME = PROJECT_DIR / ".dagster_home"

# The synthetic account both commands serve: a mid-sized company, two weeks of meetings.
DEMO_ACCOUNT = {"seed": 7, "users": 200, "days": 14}
DEMO_CREDENTIALS = {
    "ZOOM_ACCOUNT_ID": "emu-account",
    "ZOOM_CLIENT_ID": "emu-client",
    "ZOOM_CLIENT_SECRET": "emu-secret",  # the emulator's documented demo value, not a secret
}


def prepare_dagster_home(home: Path = DAGSTER_HOME) -> Path:
    """Create the Dagster home if needed and copy the project's dagster.yaml into it."""
    home = home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT_DIR / "dagster.yaml", home / "dagster.yaml")
    return home


def emulator_env(base_url: str, token_url: str) -> dict[str, str]:
    """The ZOOM_* variables that point the pipeline at an emulator serving the demo account."""
    return {
        **DEMO_CREDENTIALS,
        "ZOOM_API_BASE_URL": base_url,
        "ZOOM_OAUTH_TOKEN_URL": token_url,
        "ZOOM_RATE_PLAN": "business_plus",  # the emulator's plan
    }
