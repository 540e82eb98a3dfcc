"""Search hits back into the storefront's result rows and pagination block."""

from __future__ import annotations

import math
from typing import Any

from search_index.row_kinds import SINGLE_ROW_KEY_PREFIX
from search_index.search.query import ROW_KEY


def row_key_of(hit: dict[str, Any]) -> str:
    """The row key: the collapse key of a row hit, a doc-value field of a member hit."""
    return hit["fields"][ROW_KEY][0]


def single_rows(row_hits: list[dict[str, Any]]) -> dict[str, Any]:
    """The page's rows of one store product, by key: each is its head's ``_source``."""
    return {
        key: hit["_source"]
        for hit in row_hits
        if (key := row_key_of(hit)).startswith(SINGLE_ROW_KEY_PREFIX)
    }


def row_sources(row_hits: list[dict[str, Any]], single: dict[str, Any] | None) -> dict[str, list]:
    """Each row's store-product sources, by key, in ``row_hits`` order: a row in
    ``single`` starts with its head's, the others empty (filled from the member hits)."""
    single = single or {}
    return {key: [single[key]] if key in single else [] for key in map(row_key_of, row_hits)}


def rows_from_hits(
    row_hits: list[dict[str, Any]],
    member_hits: list[dict[str, Any]],
    single: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Rows in ``row_hits`` order, each headed by its first store product, with all of
    its matching store products (``member_hits``, in store-product order) as variations.
    A row in ``single`` (``single_rows``) is its one store product, read from its head.

    A row whose store products are gone (deleted between the two requests) is left out.
    """
    members = row_sources(row_hits, single)
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
