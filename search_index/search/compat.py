"""The older endpoints the storefront still calls: ``RowSearch`` with product summaries.

Fuzzy and advanced-fuzzy are one search (``FuzzySearch``); default data is the same
search unfiltered, counting every subject and group instead (``DefaultData``). Their
rows, row count and filters are the unified search's; a row is summarised from its
head's ``_source``, so one round trip answers them.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch

from search_index.client import get_search_client
from search_index.search.filters import Clause
from search_index.search.query import (
    RowSearch,
    SearchRequest,
    counted_under_every_filter,
    row_count,
)
from search_index.search.suggestions import (
    ALL_OF_A_KIND,
    SUGGESTIONS_PER_KIND,
    group_from,
    groups_aggregation,
    subject_from,
    subjects_aggregation,
)

# A row as these endpoints show it: a few fields of its head, read from the head's
# _source (no store-product request, unlike the unified search's rows).
SUMMARY_FIELDS = [
    "id",
    "product_id",
    "product_code",
    "product_name",
    "product_short_name",
    "subject_id",
    "subject_code",
    "exam_session_code",
    "type",
]
# The endpoints' filter parameters (ids, OR-ed within one) and the field each matches.
ID_FILTER_FIELDS = {"subjects": "subject_id", "categories": "search.group_ids"}
# What fuzzy suggests narrowing to, by code: the field each lists.
SUGGESTED_FIELDS = {
    "subjects": "subject_code",
    "categories": "search.categories",
    "products": "product_code",
}


def _summary(hit: dict[str, Any]) -> dict[str, Any]:
    return {field: hit["_source"].get(field) for field in SUMMARY_FIELDS}


class FuzzySearch(RowSearch):
    """``/api/search/fuzzy/`` and ``/advanced-fuzzy/``: ``limit`` rows for ``q`` within the
    ``subjects`` and ``categories`` ids, and the codes they suggest."""

    head_source = SUMMARY_FIELDS

    def __init__(
        self,
        query: str,
        limit: int,
        subject_ids: list[int] | None = None,
        group_ids: list[int] | None = None,
    ) -> None:
        self.asked = query
        filters = {"subjects": subject_ids or [], "categories": group_ids or []}
        super().__init__(SearchRequest(query=query, filters=filters, page_size=limit))

    def filter_clauses(self) -> dict[str, Clause]:
        return {
            key: {"terms": {ID_FILTER_FIELDS[key]: ids}}
            for key, ids in self.request.filters.items()
            if ids
        }

    def aggregations(self) -> dict[str, Any]:
        return {
            name: {"terms": {"field": field, "size": SUGGESTIONS_PER_KIND}}
            for name, field in SUGGESTED_FIELDS.items()
        }

    def response(
        self, row_hits: list[dict[str, Any]], aggregations: dict[str, Any], client: OpenSearch
    ) -> dict[str, Any]:
        counted = counted_under_every_filter(aggregations)
        total = row_count(aggregations)
        return {
            "products": [_summary(hit) for hit in row_hits],
            "total_count": total,
            "search_info": {"query": self.asked, "matches_found": total},
            "suggested_filters": {
                name: [
                    {"code": b["key"], "count": b["doc_count"]} for b in counted[name]["buckets"]
                ]
                for name in SUGGESTED_FIELDS
            },
        }


class DefaultData(FuzzySearch):
    """``/api/search/default-data/``: the first ``limit`` rows of the whole catalog, and
    every subject and product group for the filter panel."""

    def __init__(self, limit: int) -> None:
        super().__init__("", limit)

    def aggregations(self) -> dict[str, Any]:
        return {
            "subjects": subjects_aggregation(ALL_OF_A_KIND, order={"_key": "asc"}),
            "groups": groups_aggregation(ALL_OF_A_KIND),
        }

    def response(
        self, row_hits: list[dict[str, Any]], aggregations: dict[str, Any], client: OpenSearch
    ) -> dict[str, Any]:
        counted = counted_under_every_filter(aggregations)
        groups = [
            {**group, "description": group["name"]}
            for group in map(group_from, counted["groups"]["buckets"])
        ]
        return {
            "suggested_filters": {
                "subjects": [subject_from(bucket) for bucket in counted["subjects"]["buckets"]],
                "product_groups": sorted(groups, key=lambda g: g["id"]),
            },
            "popular_products": [_summary(hit) for hit in row_hits],
            "total_count": row_count(aggregations),
        }


def fuzzy(
    query: str,
    limit: int,
    *,
    subject_ids: list[int] | None = None,
    group_ids: list[int] | None = None,
    client: OpenSearch | None = None,
) -> dict[str, Any]:
    search = FuzzySearch(query, limit, subject_ids, group_ids)
    return search.execute(client or get_search_client())


def default_data(limit: int, client: OpenSearch | None = None) -> dict[str, Any]:
    return DefaultData(limit).execute(client or get_search_client())
