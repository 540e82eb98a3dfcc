"""What a search-box query matches besides its best rows: subjects, groups, products.

Counted by the search box's ``aggregations()`` beside the row count (the storefront's
``fuzzy_search`` shape: ``total_count``, ``total_matches``, ``suggested_filters``).
"""

from __future__ import annotations

from typing import Any

from search_index.search.query import counted_under_every_filter, row_count

# Values listed per kind of suggestion; the box shows a handful.
SUGGESTIONS_PER_KIND = 5
# Subjects or product groups listed in full (the older default-data endpoint's filter
# panel): more than any catalog has (about 25 subjects and 40 groups).
ALL_OF_A_KIND = 500


def subjects_aggregation(size: int, **terms: Any) -> dict[str, Any]:
    """Subjects by id, each with its code and description (``subject_from``)."""
    return {
        "terms": {"field": "subject_id", "size": size, **terms},
        "aggs": {
            "code": {"terms": {"field": "subject_code", "size": 1}},
            "description": {"terms": {"field": "subject_description.raw", "size": 1}},
        },
    }


def groups_aggregation(size: int) -> dict[str, Any]:
    """Product groups as "id:name" keys, so ids and names come from the index alone."""
    return {"terms": {"field": "search.group_keys", "size": size}}


SUGGESTION_AGGREGATIONS: dict[str, Any] = {
    "suggest_subjects": subjects_aggregation(SUGGESTIONS_PER_KIND),
    "suggest_groups": groups_aggregation(SUGGESTIONS_PER_KIND),
    "suggest_products": {
        "terms": {"field": "product_id", "size": SUGGESTIONS_PER_KIND},
        "aggs": {"code": {"terms": {"field": "product_code", "size": 1}}},
    },
    "subject_count": {"cardinality": {"field": "subject_id"}},
    "group_count": {"cardinality": {"field": "search.group_ids"}},
    # Products matched: the row count every search makes already (``row_count``).
}


def _first(bucket: dict[str, Any], name: str) -> str:
    buckets = bucket[name]["buckets"]
    return buckets[0]["key"] if buckets else ""


def subject_from(bucket: dict[str, Any]) -> dict[str, Any]:
    """A ``subjects_aggregation`` bucket as ``{id, code, description}``."""
    return {"id": bucket["key"], "code": _first(bucket, "code"),
            "description": _first(bucket, "description")}  # fmt: skip


def group_from(bucket: dict[str, Any]) -> dict[str, Any]:
    """A ``groups_aggregation`` bucket as ``{id, name}``."""
    group_id, _, name = bucket["key"].partition(":")
    return {"id": int(group_id), "name": name}


def suggestions(query: str, aggregations: dict[str, Any] | None) -> dict[str, Any]:
    """The search box's counts and suggested filters (all empty without aggregations)."""
    if aggregations is None:
        subjects: list[dict[str, Any]] = []
        groups: list[dict[str, Any]] = []
        products: list[dict[str, Any]] = []
        counts = {"subjects": 0, "product_groups": 0, "products": 0}
        total = 0
    else:
        counted = counted_under_every_filter(aggregations)
        subjects = [
            {**subject_from(b), "count": b["doc_count"]}
            for b in counted["suggest_subjects"]["buckets"]
        ]
        groups = [
            {**group_from(b), "count": b["doc_count"]} for b in counted["suggest_groups"]["buckets"]
        ]
        products = [
            {"id": b["key"], "code": _first(b, "code"), "count": b["doc_count"]}
            for b in counted["suggest_products"]["buckets"]
        ]
        total = row_count(aggregations)
        counts = {
            "subjects": counted["subject_count"]["value"],
            "product_groups": counted["group_count"]["value"],
            "products": total,
        }
    return {
        "total_count": total,
        "total_matches": counts,
        "suggested_filters": {
            "subjects": subjects,
            "product_groups": groups,
            "variations": [],
            "products": products,
        },
        "query": query,
    }
