"""Thin views: validate, build the query (``search_index.search``), shape the response."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema
from opensearchpy import OpenSearch
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from search_index.api.navbar import navbar_filter
from search_index.api.request import (
    CompatQuerySerializer,
    FilterConfigurationQuerySerializer,
    SearchBoxQuerySerializer,
    SearchRequestSerializer,
)
from search_index.api.schemas import (
    DefaultDataResponse,
    ErrorResponse,
    FilterConfigurationResponse,
    FuzzySearchResponse,
    SearchBoxResponse,
    UnifiedSearchResponse,
)
from search_index.filter_config import FilterSet, active_filters
from search_index.filter_options import filter_configuration
from search_index.search import compat
from search_index.search.query import SearchRequest
from search_index.search.service import empty_search_box, search, search_box


def responses(ok: Any) -> dict[int, Any]:
    """The documented answers of a search endpoint: its body, or an error naming why."""
    return {200: ok, 400: ErrorResponse, 503: ErrorResponse}


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
    body: Any, params: Mapping[str, str] | None = None, client: OpenSearch | None = None
) -> dict[str, Any]:
    """Validate a unified-search body and run it: the API's and the storefront page's path.

    Raises DRF's ``ValidationError`` naming the field for a bad body.
    """
    filter_set = active_filters()
    serializer = SearchRequestSerializer(data=body, context={"filter_set": filter_set})
    serializer.is_valid(raise_exception=True)
    return search(to_search_request(serializer.validated_data, filter_set, params), client)


class UnifiedSearchView(APIView):
    @extend_schema(request=SearchRequestSerializer, responses=responses(UnifiedSearchResponse))
    def post(self, request: Request) -> Response:
        return Response(unified_search(request.data, request.query_params))


class FuzzySearchView(APIView):
    @extend_schema(parameters=[CompatQuerySerializer], responses=responses(FuzzySearchResponse))
    def get(self, request: Request) -> Response:
        params = CompatQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(compat.fuzzy(params.validated_data["q"], params.validated_data["limit"]))


class AdvancedFuzzySearchView(APIView):
    @extend_schema(parameters=[CompatQuerySerializer], responses=responses(FuzzySearchResponse))
    def get(self, request: Request) -> Response:
        params = CompatQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return Response(
            compat.fuzzy(
                data["q"], data["limit"], subject_ids=data["subjects"], group_ids=data["categories"]
            )
        )


class DefaultDataView(APIView):
    @extend_schema(parameters=[CompatQuerySerializer], responses=responses(DefaultDataResponse))
    def get(self, request: Request) -> Response:
        params = CompatQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(compat.default_data(params.validated_data["limit"]))


class SearchBoxView(APIView):
    """``GET /api/catalog/search/?q=&limit=``: the storefront's search box."""

    @extend_schema(parameters=[SearchBoxQuerySerializer], responses=responses(SearchBoxResponse))
    def get(self, request: Request) -> Response:
        params = SearchBoxQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query, limit = params.validated_data["q"].strip(), params.validated_data["limit"]
        if len(query) < MIN_QUERY_LENGTH:
            return Response(empty_search_box(query))
        return Response(search_box(query, limit))


class FilterConfigurationView(APIView):
    """``GET /api/products/filter-configuration/``: the filter panel the client draws."""

    @extend_schema(
        parameters=[FilterConfigurationQuerySerializer],
        responses=responses(FilterConfigurationResponse),
    )
    def get(self, request: Request) -> Response:
        params = FilterConfigurationQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(filter_configuration(set(params.validated_data["types"]) or None))
