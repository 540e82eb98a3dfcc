"""Thin views: validate, build the query (``search_index.search``), shape the response."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from search_index.api.request import CompatQuerySerializer, SearchRequestSerializer
from search_index.search import compat
from search_index.search.query import SearchRequest
from search_index.search.service import search


def to_search_request(data: dict[str, Any]) -> SearchRequest:
    pagination = data.get("pagination") or {}
    options = data.get("options") or {}
    return SearchRequest(
        query=data.get("searchQuery") or "",
        filters=data.get("filters") or {},
        page=pagination.get("page", 1),
        page_size=pagination.get("page_size", 20),
        sort=options.get("sort"),
        include_bundles=options.get("include_bundles", True),
    )


class UnifiedSearchView(APIView):
    @extend_schema(request=SearchRequestSerializer, responses={200: dict})
    def post(self, request: Request) -> Response:
        serializer = SearchRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(search(to_search_request(serializer.validated_data)))


class FuzzySearchView(APIView):
    @extend_schema(parameters=[CompatQuerySerializer], responses={200: dict})
    def get(self, request: Request) -> Response:
        params = CompatQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(compat.fuzzy(params.validated_data["q"], params.validated_data["limit"]))


class AdvancedFuzzySearchView(APIView):
    @extend_schema(parameters=[CompatQuerySerializer], responses={200: dict})
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
    @extend_schema(parameters=[CompatQuerySerializer], responses={200: dict})
    def get(self, request: Request) -> Response:
        params = CompatQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(compat.default_data(params.validated_data["limit"]))
