"""Run a storefront search against the index alias; no database is touched."""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch

from search_index.client import get_search_client
from search_index.documents import alias_name
from search_index.filter_config import active_filters
from search_index.search.facets import facet_counts
from search_index.search.query import SearchRequest, build_search_body, build_variations_body
from search_index.search.rows import pagination, row_key_of, rows_from_hits


def search(request: SearchRequest, client: OpenSearch | None = None) -> dict[str, Any]:
    client = client or get_search_client()
    filter_set = active_filters()
    response = client.search(index=alias_name(), body=build_search_body(request, filter_set))
    aggregations = response["aggregations"]
    total_rows = aggregations["rows"]["count"]["value"]
    row_hits = response["hits"]["hits"]
    member_hits: list[dict[str, Any]] = []
    if row_hits:
        keys = [row_key_of(hit) for hit in row_hits]
        body = build_variations_body(request, filter_set, keys)
        members = client.search(index=alias_name(), body=body)
        member_hits = members["hits"]["hits"]
    return {
        "products": rows_from_hits(row_hits, member_hits),
        "filter_counts": facet_counts(aggregations, filter_set),
        "pagination": pagination(request.page, request.page_size, total_rows),
    }
