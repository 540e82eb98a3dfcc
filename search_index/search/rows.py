"""Search hits back into the storefront's result rows and pagination block."""

from __future__ import annotations

import math
from typing import Any

from search_index.search.query import ROW_KEY


def row_key_of(hit: dict[str, Any]) -> str:
    """The row key: the collapse key of a row hit, a doc-value field of a member hit."""
    return hit["fields"][ROW_KEY][0]


def rows_from_hits(
    row_hits: list[dict[str, Any]], member_hits: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Rows in ``row_hits`` order, each headed by its first store product, with all of
    its matching store products (``member_hits``, in store-product order) as variations.

    Row heads carry no ``_source``: a row whose store products are gone (deleted between
    the two requests) is left out.
    """
    members: dict[str, list[dict[str, Any]]] = {row_key_of(hit): [] for hit in row_hits}
    for hit in member_hits:
        members[row_key_of(hit)].append(hit["_source"])
    rows = []
    for hit in row_hits:
        sources = members[row_key_of(hit)]
        if not sources:
            continue
        row = dict(sources[0])
        row["variations"] = [variation for source in sources for variation in source["variations"]]
        rows.append(row)
    return rows


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
