"""How Zoom reads a meeting id or UUID from a path segment (REFERENCE §5).

The HTTP layer decodes a path once. A UUID that starts with "/" or contains "//" therefore only
survives if the client encoded it twice; encoded once, Zoom's front end sees path separators and
answers 404/3001. This module reproduces both outcomes.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def needs_double_encoding(uuid: str) -> bool:
    """Zoom's rule: UUIDs that start with "/" or contain "//" must be encoded twice."""
    return uuid.startswith("/") or "//" in uuid


def meeting_key(raw_segment: str) -> tuple[str, bool]:
    """(the id or UUID named by an undecoded path segment, whether Zoom could resolve it).

    After the normal single decode, a segment that still holds %-escapes is decoded again
    (double encoding; accepted whether or not the UUID needed it [U]). A segment that needed
    double encoding but arrived encoded once, or with raw slashes, cannot be resolved.
    """
    once = unquote(raw_segment)
    if _ESCAPE.search(once):
        return unquote(once), True
    return once, "/" not in raw_segment and not needs_double_encoding(once)
