"""A unified-search body as the storefront client sends it, validated and run.

The API view and the storefront page both search through ``unified_search``: one path
from the request to the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opensearchpy import OpenSearch

from search_index.api.navbar import navbar_filter
from search_index.api.quick_validation import quick_validated
from search_index.api.request import SearchRequestSerializer
from search_index.filter_config import FilterSet, active_filters
from search_index.search.query import SearchRequest
from search_index.search.service import row_total, search

# Below this many characters a query is not searched for (the storefront's rule).
MIN_QUERY_LENGTH = 2


def to_search_request(
    data: dict[str, Any],
    filter_set: FilterSet | None = None,
    params: Mapping[str, str] | None = None,
) -> SearchRequest:
    """A validated unified-search body (and the navbar's query parameters) as a search."""
    filter_set = filter_set or active_filters()
    pagination = data.get("pagination") or {}
    options = data.get("options") or {}
    # A copy: navbar parameters are merged into it.
    filters = {key: list(values) if isinstance(values, list) else values
               for key, values in (data.get("filters") or {}).items()}  # fmt: skip
    query = (data.get("searchQuery") or "").strip()
    return SearchRequest(
        query=query if len(query) >= MIN_QUERY_LENGTH else "",
        filters=filters,
        page=pagination.get("page", 1),
        page_size=pagination.get("page_size", 20),
        sort=options.get("sort"),
        include_bundles=options.get("include_bundles", True),
        navbar=navbar_filter(params or {}, filters, filter_set),
    )


def unified_search(
    body: Any,
    params: Mapping[str, str] | None = None,
    client: OpenSearch | None = None,
    rows_as_json: bool = False,
) -> dict[str, Any]:
    """Validate a unified-search body and run it: the API's and the storefront page's path.

    Raises DRF's ``ValidationError`` naming the field for a bad body. ``rows_as_json``:
    the rows as JSON fragments for the API's renderer (``search_index.search.json_rows``).
    """
    return search(validated_request(body, params), client, rows_as_json)


def unified_total(body: Any, params: Mapping[str, str] | None = None) -> int:
    """The ``pagination.total_count`` ``unified_search`` would answer, from a count alone."""
    return row_total(validated_request(body, params))


def validated_request(body: Any, params: Mapping[str, str] | None = None) -> SearchRequest:
    """A unified-search body validated (DRF's ``ValidationError`` naming the field for a
    bad one) and converted to a search."""
    filter_set = active_filters()
    data = quick_validated(body, filter_set)
    if data is None:  # not a usual body: the serializer validates it and names any error
        serializer = SearchRequestSerializer(data=body, context={"filter_set": filter_set})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
    return to_search_request(data, filter_set, params)
