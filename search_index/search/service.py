"""Run a storefront search against the index alias; no database is touched."""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch

from search_index.client import get_search_client
from search_index.documents import alias_name
from search_index.filter_config import FilterSet, active_filters
from search_index.search.facets import facet_counts
from search_index.search.multi import search_all
from search_index.search.query import (
    SearchRequest,
    build_counts_body,
    build_search_body,
    build_variations_body,
    row_count,
)
from search_index.search.rows import pagination, row_key_of, rows_from_hits
from search_index.search.suggestions import SUGGESTION_AGGREGATIONS, suggestions

# The search box runs the unified search's query without facets: none are shown there.
NO_FACETS = FilterSet(())
# Nor event sessions: the box shows a few rows and the total, and a page of 50 tutorial
# rows with every session day is several hundred kilobytes (measured: "live online",
# 276 KB, 18 ms p50 in process, against 3-14 ms for the other queries).
SEARCH_BOX_LEAVES_OUT = ("variations.events.sessions",)


def _rows_and_aggregations(
    request: SearchRequest,
    filter_set: FilterSet,
    client: OpenSearch,
    extra_aggregations: dict[str, Any] | None = None,
    leave_out: tuple[str, ...] = (),
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One page of result rows and the counts: two round trips (row heads and counts
    together, then the rows' store products)."""
    heads, counts = search_all(
        client,
        [
            build_search_body(request, filter_set),
            build_counts_body(request, filter_set, extra_aggregations),
        ],
    )
    row_hits = heads["hits"]["hits"]
    member_hits: list[dict[str, Any]] = []
    if row_hits:
        keys = [row_key_of(hit) for hit in row_hits]
        members_body = build_variations_body(request, filter_set, keys, leave_out)
        member_hits = client.search(index=alias_name(), body=members_body)["hits"]["hits"]
    return rows_from_hits(row_hits, member_hits), counts["aggregations"]


def search(request: SearchRequest, client: OpenSearch | None = None) -> dict[str, Any]:
    """The unified search: a page of rows, the configured facets' counts, pagination."""
    filter_set = active_filters()
    rows, aggregations = _rows_and_aggregations(request, filter_set, client or get_search_client())
    return {
        "products": rows,
        "filter_counts": facet_counts(aggregations, filter_set),
        "pagination": pagination(request.page, request.page_size, row_count(aggregations)),
    }


def search_box(query: str, limit: int, client: OpenSearch | None = None) -> dict[str, Any]:
    """The storefront's search box: the best rows for ``query`` and what else it matches."""
    request = SearchRequest(query=query, page_size=limit)
    rows, aggregations = _rows_and_aggregations(
        request,
        NO_FACETS,
        client or get_search_client(),
        SUGGESTION_AGGREGATIONS,
        SEARCH_BOX_LEAVES_OUT,
    )
    return {"suggested_products": rows, **suggestions(query, aggregations)}


def empty_search_box(query: str) -> dict[str, Any]:
    """What the search box gets for a query too short to search: nothing, and no request."""
    return {"suggested_products": [], **suggestions(query, None)}
