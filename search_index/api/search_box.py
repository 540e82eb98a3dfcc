"""The storefront's search box: its query parameters validated, then searched.

One function for the DRF view and the lean path (``search_index.api.lean_path``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search_index.api.quick_validation import quick_search_box_params
from search_index.api.request import SearchBoxQuerySerializer
from search_index.api.unified import MIN_QUERY_LENGTH
from search_index.search.service import empty_search_box, search_box


def search_box_answer(params: Mapping[str, str]) -> dict[str, Any]:
    """``GET /api/catalog/search/?q=&limit=``'s answer; DRF's ``ValidationError`` names a
    bad parameter."""
    data = quick_search_box_params(params)
    if data is None:  # not the usual parameters: the serializer validates and names errors
        serializer = SearchBoxQuerySerializer(data=params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
    query, limit = data["q"].strip(), data["limit"]
    if len(query) < MIN_QUERY_LENGTH:
        return empty_search_box(query)
    # The rows go to the API's renderer only: JSON as OpenSearch sent it.
    return search_box(query, limit, rows_as_json=True)
