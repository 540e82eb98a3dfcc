"""Disjunctive facets: each configured filter counted under every other filter, not its own.

Counts count store products (documents). A parent group counts its descendants because
every document carries its groups' ancestors. Which facets exist, and what each counts,
comes from the filter configuration (``search_index.filter_config``).

Facets that are counted under the same filters share one ``filter`` aggregation: with k
active filters there are at most k + 1 distinct filter sets (each active key's facet
drops its own clause; all the others, and the row count, use every clause), so a search
evaluates k + 1 filters over the matching documents instead of one per facet. Measured
in BENCHMARKS.md (issue 11).
"""

from __future__ import annotations

from typing import Any

import orjson

from catalog.filtering import FilterType
from search_index.filter_config import ConfiguredFilter, FilterSet
from search_index.search.filter_types import HANDLERS, as_ids
from search_index.search.filters import Clause, all_of

# More values than any facet of this catalog has (subjects: ~25, locations: ~10).
FACET_SIZE = 200
# Prefixes of the aggregation names: a group of facets under one filter set, one facet.
GROUP_PREFIX = "under_"
FACET_PREFIX = "facet_"
# Allowed in aggregation names ("[", "]" and ">" are not), never in a filter key ([a-z0-9_]).
FACET_KEY_SEPARATOR = "|"
# What product-group facets count (every document carries its groups and their ancestors).
GROUP_NAMES = HANDLERS[FilterType.FILTER_GROUP].count_field

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


def _values(configured: ConfiguredFilter, included: list[Any] | None) -> dict[str, Any]:
    handler = HANDLERS[configured.filter_type]
    terms: dict[str, Any] = {"field": handler.count_field, "size": FACET_SIZE}
    if included is not None:
        terms["include"] = included
    values: dict[str, Any] = {"terms": terms}
    if handler.name_field:
        values["aggs"] = {"name": {"terms": {"field": handler.name_field, "size": 1}}}
    return values


class FilterGroups:
    """Named aggregations grouped by the filter they are counted under.

    Product-group facets in one group are one ``terms`` aggregation on the group names,
    whatever groups each offers: two facets over one field answer one question, and the
    field's values are read once. Its name lists the facets (``facet_a|b``); each reads
    back only its own groups.
    """

    def __init__(self) -> None:
        self._groups: dict[bytes, dict[str, Any]] = {}
        self._group_facets: dict[bytes, dict[str, tuple[str, ...]]] = {}

    def _group(self, clauses: list[Clause]) -> tuple[bytes, dict[str, Any]]:
        # Same clauses in the same order: the same filter (clause order follows the request).
        key = orjson.dumps(clauses)
        return key, self._groups.setdefault(key, {"filter": all_of(clauses), "aggs": {}})

    def add(self, clauses: list[Clause], name: str, aggregation: dict[str, Any]) -> None:
        _, group = self._group(clauses)
        group["aggs"][name] = aggregation

    def add_group_facet(self, clauses: list[Clause], key: str, names: tuple[str, ...]) -> None:
        group_key, _ = self._group(clauses)
        self._group_facets.setdefault(group_key, {})[key] = names

    def aggregations(self) -> dict[str, Any]:
        for group_key, facets in self._group_facets.items():
            offered = list(dict.fromkeys(name for names in facets.values() for name in names))
            terms = {"field": GROUP_NAMES, "size": FACET_SIZE, "include": offered}
            name = FACET_PREFIX + FACET_KEY_SEPARATOR.join(facets)
            self._groups[group_key]["aggs"][name] = {"terms": terms}
        self._group_facets = {}
        return {f"{GROUP_PREFIX}{n}": group for n, group in enumerate(self._groups.values())}


def facet_aggregations(
    clauses: dict[str, Clause],
    filter_set: FilterSet,
    filters: dict[str, Any],
    groups: FilterGroups | None = None,
) -> FilterGroups:
    """Each facet's count under every *other* active filter, added to ``groups``."""
    groups = groups or FilterGroups()
    for configured in filter_set.filters:
        included = _included(configured, list(filters.get(configured.key) or []))
        if included == []:
            continue  # nothing it could report: no aggregation at all
        others = [clause for key, clause in clauses.items() if key != configured.key]
        scope = HANDLERS[configured.filter_type].scope
        if scope:
            others.append(scope)
        if configured.filter_type == FilterType.FILTER_GROUP:
            groups.add_group_facet(others, configured.key, configured.group_names)
        else:
            groups.add(others, f"{FACET_PREFIX}{configured.key}", _values(configured, included))
    return groups


def _facets_by_key(aggregations: dict[str, Any]) -> dict[str, Any]:
    """The terms aggregation that counted each facet key (alone, or shared: ``facet_a|b``),
    found in one pass over the answer's groups."""
    by_key: dict[str, Any] = {}
    for group_name, group in aggregations.items():
        if not group_name.startswith(GROUP_PREFIX):
            continue
        for name, aggregation in group.items():
            if name.startswith(FACET_PREFIX):
                for key in name.removeprefix(FACET_PREFIX).split(FACET_KEY_SEPARATOR):
                    by_key.setdefault(key, aggregation)
    return by_key


def facet_counts(aggregations: dict[str, Any], filter_set: FilterSet) -> dict[str, Counts]:
    """Every configured facet, in display order; values by count, zero counts left out."""
    counts: dict[str, Counts] = {}
    by_key = _facets_by_key(aggregations)
    for configured in filter_set.filters:
        aggregation = by_key.get(configured.key)
        buckets = aggregation["buckets"] if aggregation else []
        named = HANDLERS[configured.filter_type].name_field is not None
        # A shared group-names aggregation counts other facets' groups too.
        own = (
            set(configured.group_names)
            if configured.filter_type == FilterType.FILTER_GROUP
            else None
        )
        facet: Counts = {}
        for bucket in buckets:
            key = str(bucket["key"])
            if bucket["doc_count"] and (own is None or key in own):
                facet[key] = {"count": bucket["doc_count"], "name": _name(bucket) if named else key}
        counts[configured.key] = facet
    return counts


def _name(bucket: dict[str, Any]) -> str:
    """The display name counted beside an id value (its ``name`` sub-aggregation)."""
    names = bucket.get("name", {}).get("buckets", [])
    return names[0]["key"] if names else str(bucket["key"])
