"""The code location must load the way `dagster dev` loads it."""

import dagster as dg

from zoom_assets.definitions import defs


def test_definitions_load() -> None:
    dg.Definitions.validate_loadable(defs)
