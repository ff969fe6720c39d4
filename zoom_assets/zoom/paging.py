"""The one paging generator for every list endpoint.

It follows `next_page_token` with the largest page Zoom allows (300) and stops on an empty token.
Page tokens expire after 15 minutes (and may be refused earlier); on 400/300 the listing starts
over from the first page and skips the records it already yielded, recognised by the endpoint's
record identity. Records that legitimately repeat within one listing are still yielded as often as
they occur, because a restarted pass only skips as many copies of a record as were yielded before.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from typing import Any

from zoom_assets.zoom.endpoints import Endpoint, Record
from zoom_assets.zoom.errors import ZoomPageTokenError, ZoomResponseError
from zoom_assets.zoom.stats import ClientStats
from zoom_assets.zoom.transport import Transport

log = logging.getLogger(__name__)

PAGE_SIZE = 300
MAX_RESTARTS = 5


def iter_records(
    transport: Transport,
    stats: ClientStats,
    endpoint: Endpoint,
    params: dict[str, Any],
    *,
    path_id: str | None = None,
    page_size: int = PAGE_SIZE,
) -> Iterator[Record]:
    """Every record of one listing, each exactly once, across page-token restarts."""
    query = {**params, "page_size": page_size}
    yielded: Counter[object] = Counter()
    for restart in range(MAX_RESTARTS + 1):
        seen: Counter[object] = Counter()
        try:
            for record in _pages(transport, stats, endpoint, query, path_id):
                key = endpoint.identity(record)
                seen[key] += 1
                if seen[key] > yielded[key]:
                    yielded[key] += 1
                    stats.add("records")
                    yield record
            return
        except ZoomPageTokenError:
            log.info("%s: page token expired, restart %d", endpoint.name, restart + 1)
    raise ZoomResponseError(
        f"{endpoint.name}: Zoom refused the next page token {MAX_RESTARTS + 1} times in a row; "
        "the listing cannot be completed now, run again later.",
        endpoint=endpoint.name,
        status=400,
        code=300,
    )


def _pages(
    transport: Transport,
    stats: ClientStats,
    endpoint: Endpoint,
    params: dict[str, Any],
    path_id: str | None,
) -> Iterator[Record]:
    page_token = ""
    while True:
        query = {**params, "next_page_token": page_token} if page_token else params
        page = transport.get(endpoint, query, path_id=path_id)
        stats.add("pages")
        yield from page[endpoint.items_key]
        page_token = str(page.get("next_page_token") or "")
        if not page_token:
            return
