"""Run a storefront search against the index alias; no database is touched."""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch

from search_index.client import get_client
from search_index.documents import alias_name
from search_index.search.facets import facet_counts
from search_index.search.query import SearchRequest, build_search_body
from search_index.search.rows import pagination, row_from_hit


def search(request: SearchRequest, client: OpenSearch | None = None) -> dict[str, Any]:
    client = client or get_client()
    response = client.search(index=alias_name(), body=build_search_body(request))
    aggregations = response["aggregations"]
    total_rows = aggregations["rows"]["count"]["value"]
    return {
        "products": [row_from_hit(hit) for hit in response["hits"]["hits"]],
        "filter_counts": facet_counts(aggregations),
        "pagination": pagination(request.page, request.page_size, total_rows),
    }
