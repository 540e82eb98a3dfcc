"""Thin views: validate, build the query (``search_index.search``), shape the response."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from search_index.api.request import (
    CompatQuerySerializer,
    DefaultDataQuerySerializer,
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
from search_index.api.search_box import search_box_answer
from search_index.api.unified import unified_search
from search_index.filter_options import filter_configuration
from search_index.search import compat


def responses(ok: Any) -> dict[int, Any]:
    """The documented answers of a search endpoint: its body, or an error naming why."""
    return {200: ok, 400: ErrorResponse, 503: ErrorResponse}


class UnifiedSearchView(APIView):
    @extend_schema(request=SearchRequestSerializer, responses=responses(UnifiedSearchResponse))
    def post(self, request: Request) -> Response:
        return Response(unified_search(request.data, request.query_params, rows_as_json=True))


class FuzzySearchView(APIView):
    """``GET /api/search/fuzzy/``: ``q`` within the ``subjects`` and ``categories`` ids."""

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


class AdvancedFuzzySearchView(FuzzySearchView):
    """``GET /api/search/advanced-fuzzy/``: the same search; the contract names both paths."""


class DefaultDataView(APIView):
    @extend_schema(
        parameters=[DefaultDataQuerySerializer], responses=responses(DefaultDataResponse)
    )
    def get(self, request: Request) -> Response:
        params = DefaultDataQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(compat.default_data(params.validated_data["limit"]))


class SearchBoxView(APIView):
    """``GET /api/catalog/search/?q=&limit=``: the storefront's search box."""

    @extend_schema(parameters=[SearchBoxQuerySerializer], responses=responses(SearchBoxResponse))
    def get(self, request: Request) -> Response:
        return Response(search_box_answer(request.query_params))


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
