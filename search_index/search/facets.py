"""Disjunctive facets: each dimension counted with every other filter, not its own.

Counts count store products (documents). A parent group counts its descendants because
every document carries its groups' ancestors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from search_index.search.filters import all_of

FACET_SIZE = 200


@dataclass(frozen=True)
class Facet:
    key: str  # the request filter key and the response's filter_counts key
    field: str  # aggregated field (display values)
    name_field: str | None = None  # a display name when the key is a code


FACETS = (
    Facet("subjects", "subject_code"),
    Facet("categories", "search.categories"),
    Facet("product_types", "search.product_types"),
    Facet("products", "product_code", name_field="product_short_name.raw"),
    Facet("modes_of_delivery", "search.modes_of_delivery"),
)


def facet_aggregations(clauses: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One filter aggregation per facet, wrapping every *other* active filter."""
    aggs: dict[str, Any] = {}
    for facet in FACETS:
        others = [clause for key, clause in clauses.items() if key != facet.key]
        terms: dict[str, Any] = {"terms": {"field": facet.field, "size": FACET_SIZE}}
        if facet.name_field:
            terms["aggs"] = {"name": {"terms": {"field": facet.name_field, "size": 1}}}
        aggs[f"facet_{facet.key}"] = {"filter": all_of(others), "aggs": {"values": terms}}
    return aggs


def facet_counts(aggregations: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    counts: dict[str, dict[str, dict[str, Any]]] = {}
    for facet in FACETS:
        buckets = aggregations[f"facet_{facet.key}"]["values"]["buckets"]
        counts[facet.key] = {
            bucket["key"]: {"count": bucket["doc_count"], "name": _name(bucket)}
            for bucket in buckets
            if bucket["doc_count"]
        }
    return counts


def _name(bucket: dict[str, Any]) -> str:
    names = bucket.get("name", {}).get("buckets", [])
    return names[0]["key"] if names else bucket["key"]
