"""Disjunctive facets: each configured filter counted under every other filter, not its own.

Counts count store products (documents). A parent group counts its descendants because
every document carries its groups' ancestors. Which facets exist, and what each counts,
comes from the filter configuration (``search_index.filter_config``).
"""

from __future__ import annotations

from typing import Any

from catalog.filtering import FilterType
from search_index.filter_config import ConfiguredFilter, FilterSet
from search_index.search.filter_types import HANDLERS, as_ids
from search_index.search.filters import all_of

# More values than any facet of this catalog has (subjects: ~25, locations: ~10).
FACET_SIZE = 200

Counts = dict[str, dict[str, Any]]


def _included(configured: ConfiguredFilter, selected: list[str]) -> list[Any] | None:
    """The values a facet may report, or None for all; an empty list reports nothing.

    Group filters count only the groups assigned to them; the hidden product filter
    only the products selected (its values are ids, shown by name).
    """
    if configured.filter_type == FilterType.FILTER_GROUP:
        return list(configured.group_names)
    if configured.filter_type == FilterType.PRODUCT_ID:
        return as_ids(selected)
    return None


def facet_aggregations(
    clauses: dict[str, dict[str, Any]], filter_set: FilterSet, filters: dict[str, Any]
) -> dict[str, Any]:
    """One filter aggregation per facet, wrapping every *other* active filter."""
    aggs: dict[str, Any] = {}
    for configured in filter_set.filters:
        handler = HANDLERS[configured.filter_type]
        included = _included(configured, list(filters.get(configured.key) or []))
        if included == []:
            continue
        terms: dict[str, Any] = {"field": handler.count_field, "size": FACET_SIZE}
        if included is not None:
            terms["include"] = included
        values: dict[str, Any] = {"terms": terms}
        if handler.name_field:
            values["aggs"] = {"name": {"terms": {"field": handler.name_field, "size": 1}}}
        others = [clause for key, clause in clauses.items() if key != configured.key]
        if handler.scope:
            others.append(handler.scope)
        aggs[f"facet_{configured.key}"] = {"filter": all_of(others), "aggs": {"values": values}}
    return aggs


def facet_counts(aggregations: dict[str, Any], filter_set: FilterSet) -> dict[str, Counts]:
    """Every configured facet, in display order; values by count, zero counts left out."""
    counts: dict[str, Counts] = {}
    for configured in filter_set.filters:
        aggregation = aggregations.get(f"facet_{configured.key}")
        buckets = aggregation["values"]["buckets"] if aggregation else []
        counts[configured.key] = {
            str(bucket["key"]): {"count": bucket["doc_count"], "name": _name(bucket)}
            for bucket in buckets
            if bucket["doc_count"]
        }
    return counts


def _name(bucket: dict[str, Any]) -> str:
    names = bucket.get("name", {}).get("buckets", [])
    return names[0]["key"] if names else str(bucket["key"])
