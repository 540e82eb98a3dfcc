"""The OpenSearch request body for one storefront search, built as a plain dict.

Three bodies: the page of row heads (text query → post_filter with every active filter →
collapse into rows → sort), the counts (each facet under the *other* filters, the row
count under all of them) and the rows' store products. Kept free of I/O so they can be
unit-tested without a cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from search_index.filter_config import FilterSet
from search_index.row_kinds import MATERIAL
from search_index.search.facets import GROUP_PREFIX, facet_aggregations
from search_index.search.filters import NavbarFilter, all_of, bundles_clause, filter_clauses
from search_index.search.sorting import sort_clause
from search_index.search.text import text_query

ROW_KEY = "search.row_key"
# The row count's aggregation (grouped with the facets counted under every filter).
ROW_COUNT = "row_count"
# Store products of one row (Printed, eBook, …): far fewer than this in any real catalog.
MAX_VARIATIONS_PER_ROW = 50
# Row counts (cardinality, HyperLogLog++) are near-exact below this many distinct rows:
# exact in practice at catalog sizes. 40000 is OpenSearch's maximum.
ROW_COUNT_PRECISION = 40000
# OpenSearch's index.max_result_window: deeper pages are refused by the cluster.
MAX_RESULT_WINDOW = 10000


@dataclass
class SearchRequest:
    query: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    page: int = 1
    page_size: int = 20
    sort: str | None = None
    include_bundles: bool = True
    navbar: NavbarFilter | None = None


def _main_query(request: SearchRequest) -> dict[str, Any]:
    """The text query and the bundle option: what both hits and facets are counted under."""
    query = request.query.strip()
    base: list[dict[str, Any]] = []
    bundles = bundles_clause(request.include_bundles)
    if bundles:
        base.append(bundles)
    return {"bool": {"must": [text_query(query)], "filter": base}} if query else all_of(base)


def build_search_body(request: SearchRequest, filter_set: FilterSet) -> dict[str, Any]:
    """The page of row heads: one hit per row, in the requested order, and nothing else.

    Their store products come from ``build_variations_body`` and every count from
    ``build_counts_body``: no aggregation, no ``_source`` and no hit total here, so this
    request does only the collapse and the sort.
    """
    query = request.query.strip()
    clauses = filter_clauses(request.filters, filter_set, request.navbar)
    body: dict[str, Any] = {
        "query": _main_query(request),
        "sort": sort_clause(request.sort, has_query=bool(query)),
        "from": (request.page - 1) * request.page_size,
        "size": request.page_size,
        # One hit per row; its store products come from build_variations_body, in one
        # request rather than collapse's inner_hits (a search per row: measured 9 of 23 ms).
        "collapse": {"field": ROW_KEY},
        "_source": False,
        "track_total_hits": False,
    }
    if clauses:
        body["post_filter"] = all_of(list(clauses.values()))
    return body


def build_counts_body(
    request: SearchRequest,
    filter_set: FilterSet,
    extra_aggregations: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The facet counts and the row count: aggregations only (``size: 0``).

    Apart from the hits, so that OpenSearch's shard request cache can keep the answer:
    page 2 or another sort of the same search reuses page 1's counts. Each facet is
    counted under the *other* filters, the rows under all of them
    (``search_index.search.facets``); ``extra_aggregations`` run under the text query only.
    """
    clauses = filter_clauses(request.filters, filter_set, request.navbar)
    groups = facet_aggregations(clauses, filter_set, request.filters)
    groups.add(list(clauses.values()), ROW_COUNT, _row_count())
    return {
        "size": 0,
        "track_total_hits": False,
        "query": _main_query(request),
        "aggs": {**groups.aggregations(), **(extra_aggregations or {})},
    }


def _row_count() -> dict[str, Any]:
    """Only material rows hold several store products; a tutorial or marking row is one.

    So the rows are the documents that are not material plus the distinct material rows:
    exact while those stay below ``ROW_COUNT_PRECISION`` (about 28,000 of the 63,000 rows
    at 100,000 store products), where one cardinality over every row key was an estimate
    there, and an estimate whose sketch cost 7 ms to read back even from the request
    cache (issue 11).
    """
    return {
        "filter": {"term": {"search.kind": MATERIAL}},
        "aggs": {
            "rows": {"cardinality": {"field": ROW_KEY, "precision_threshold": ROW_COUNT_PRECISION}}
        },
    }


def row_count(aggregations: dict[str, Any]) -> int:
    """The number of rows that match, from a ``build_counts_body`` answer."""
    for name, group in aggregations.items():
        if name.startswith(GROUP_PREFIX) and ROW_COUNT in group:
            material = group[ROW_COUNT]
            return int(group["doc_count"] - material["doc_count"] + material["rows"]["value"])
    raise KeyError(ROW_COUNT)


def build_variations_body(
    request: SearchRequest,
    filter_set: FilterSet,
    row_keys: list[str],
    leave_out: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The matching store products of the given rows, in store-product order, without the
    ``leave_out`` fields (dotted paths of the row)."""
    active = filter_clauses(request.filters, filter_set, request.navbar)
    clauses = [*active.values(), {"terms": {ROW_KEY: row_keys}}]
    return {
        "query": {"bool": {"must": [_main_query(request)], "filter": clauses}},
        "sort": [{"store_product_id": "asc"}],
        "size": len(row_keys) * MAX_VARIATIONS_PER_ROW,
        "docvalue_fields": [ROW_KEY],
        "_source": {"excludes": ["search", *leave_out]},
        "track_total_hits": False,
    }
