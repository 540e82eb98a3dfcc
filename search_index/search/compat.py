"""The older endpoints the storefront still calls, answered from the same index."""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch

from search_index.client import get_search_client
from search_index.documents import alias_name
from search_index.search.query import ROW_COUNT_PRECISION, ROW_KEY
from search_index.search.sorting import sort_clause
from search_index.search.suggestions import (
    group_from,
    groups_aggregation,
    subject_from,
    subjects_aggregation,
)
from search_index.search.text import text_query

SUGGESTION_SIZE = 5
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


def _summary(hit: dict[str, Any]) -> dict[str, Any]:
    return {field: hit["_source"].get(field) for field in SUMMARY_FIELDS}


def _rows_body(query: str, filters: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    must = [text_query(query)] if query else []
    return {
        "query": {"bool": {"must": must, "filter": filters}},
        "sort": sort_clause(None, has_query=bool(query)),
        "size": limit,
        "collapse": {"field": ROW_KEY},
        "_source": SUMMARY_FIELDS,
        "aggs": {
            "rows": {"cardinality": {"field": ROW_KEY, "precision_threshold": ROW_COUNT_PRECISION}},
            "subjects": {"terms": {"field": "subject_code", "size": SUGGESTION_SIZE}},
            "categories": {"terms": {"field": "search.categories", "size": SUGGESTION_SIZE}},
            "products": {"terms": {"field": "product_code", "size": SUGGESTION_SIZE}},
        },
    }


def fuzzy(
    query: str,
    limit: int,
    *,
    subject_ids: list[int] | None = None,
    group_ids: list[int] | None = None,
    client: OpenSearch | None = None,
) -> dict[str, Any]:
    filters: list[dict[str, Any]] = []
    if subject_ids:
        filters.append({"terms": {"subject_id": subject_ids}})
    if group_ids:
        filters.append({"terms": {"search.group_ids": group_ids}})
    client = client or get_search_client()
    response = client.search(index=alias_name(), body=_rows_body(query.strip(), filters, limit))
    aggs = response["aggregations"]
    products = [_summary(hit) for hit in response["hits"]["hits"]]
    total = aggs["rows"]["value"]
    return {
        "products": products,
        "total_count": total,
        "search_info": {"query": query, "matches_found": total},
        "suggested_filters": {
            name: [{"code": b["key"], "count": b["doc_count"]} for b in aggs[name]["buckets"]]
            for name in ("subjects", "categories", "products")
        },
    }


def default_data(limit: int, client: OpenSearch | None = None) -> dict[str, Any]:
    client = client or get_search_client()
    body = _rows_body("", [], limit)
    body["aggs"] = {
        "rows": body["aggs"]["rows"],
        "subjects": subjects_aggregation(500, order={"_key": "asc"}),
        "groups": groups_aggregation(500),
    }
    response = client.search(index=alias_name(), body=body)
    aggs = response["aggregations"]
    subjects = [subject_from(bucket) for bucket in aggs["subjects"]["buckets"]]
    groups = [
        {**group, "description": group["name"]}
        for group in map(group_from, aggs["groups"]["buckets"])
    ]
    return {
        "suggested_filters": {
            "subjects": subjects,
            "product_groups": sorted(groups, key=lambda g: g["id"]),
        },
        "popular_products": [_summary(hit) for hit in response["hits"]["hits"]],
        "total_count": aggs["rows"]["value"],
    }
