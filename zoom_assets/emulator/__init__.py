"""A local Zoom API emulator: Server-to-Server OAuth plus the users, meeting-report and
past-participants endpoints, over real HTTP, with Zoom's rate limits, errors and faults on demand.

It never imports the client (`zoom_assets.zoom`) or Dagster: it models Zoom, not our code.
"""

from zoom_assets.emulator.account import Account
from zoom_assets.emulator.faults import Faults
from zoom_assets.emulator.server import ZoomEmulator

__all__ = ["Account", "Faults", "ZoomEmulator"]
