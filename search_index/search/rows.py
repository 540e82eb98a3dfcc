"""Search hits back into the storefront's result rows and pagination block."""

from __future__ import annotations

import math
from typing import Any


def row_from_hit(hit: dict[str, Any]) -> dict[str, Any]:
    """A collapsed hit: its row from the first store product, variations from all of them."""
    members = [inner["_source"] for inner in hit["inner_hits"]["variations"]["hits"]["hits"]]
    members = members or [hit["_source"]]
    row = dict(members[0])
    row["variations"] = [variation for member in members for variation in member["variations"]]
    return row


def pagination(page: int, page_size: int, total_rows: int) -> dict[str, Any]:
    total_pages = math.ceil(total_rows / page_size) if total_rows else 0
    return {
        "page": page,
        "page_size": page_size,
        "total_count": total_rows,
        "total_pages": total_pages,
        "has_next": page < total_pages,
        "has_previous": page > 1,
    }
