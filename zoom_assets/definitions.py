"""The one Definitions object that `dagster dev -w workspace.yaml` loads."""

import dagster as dg

defs = dg.Definitions()
