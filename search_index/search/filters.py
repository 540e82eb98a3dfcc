"""One OpenSearch filter clause per active filter: configured keys, built-in keys, navbar.

Within a key the values are OR-ed (``terms``); the caller AND-s the keys. Event filters
(locations, venues, dates, availability) are one nested clause so that a single event
must satisfy all of them. Navbar parameters (``?tutorial=1``, ``?group=…``) are clauses
of their own, so every facet is counted under them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from search_index.filter_config import FilterSet
from search_index.search.filter_types import HANDLERS, as_ids

Clause = dict[str, Any]
EVENTS = "variations.events"
MATCH_NONE: Clause = {"match_none": {}}

# This service's own filter keys, beside the configured ones (``docs/search-api.md``).
BUILTIN_TERM_FIELDS: dict[str, str] = {
    "product_ids": "product_id",
    "essp_ids": "store_product_id",
    "exam_sessions": "exam_session_code",
}
EVENT_KEYS = ("locations", "venues", "event_start_from", "event_start_to", "available_only")


@dataclass(frozen=True)
class NavbarFilter:
    """What the storefront's navbar query parameters ask for, already translated."""

    kinds: frozenset[str] | None = None  # only rows of these kinds
    groups: tuple[str, ...] = ()  # in every one of these groups (by name, any level)


def all_of(clauses: list[Clause]) -> Clause:
    """The clauses AND-ed (as filters: no scoring); everything when there are none."""
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def _event_clause(filters: dict[str, Any]) -> Clause | None:
    must: list[Clause] = []
    if filters.get("locations"):
        must.append({"terms": {f"{EVENTS}.location.folded": filters["locations"]}})
    if filters.get("venues"):
        must.append({"terms": {f"{EVENTS}.venue.folded": filters["venues"]}})
    dates = {
        bound: filters[key].isoformat()
        for key, bound in (("event_start_from", "gte"), ("event_start_to", "lte"))
        if filters.get(key)
    }
    if dates:
        must.append({"range": {f"{EVENTS}.start_date": dates}})
    if filters.get("available_only"):
        must.append({"term": {f"{EVENTS}.is_soldout": False}})
        must.append({"range": {f"{EVENTS}.remain_space": {"gt": 0}}})
    if not must:
        return None
    return {"nested": {"path": EVENTS, "query": {"bool": {"filter": must}}}}


def configured_clause(filter_set: FilterSet, key: str, values: list[str]) -> Clause:
    """The clause of one configured filter, through its type's handler."""
    configured = filter_set.get(key)
    assert configured is not None, f"{key} is validated against the configuration"
    handler = HANDLERS[configured.filter_type]
    terms = as_ids(values) if handler.ids else values
    if not terms:
        return MATCH_NONE
    match: Clause = {"terms": {handler.filter_field: terms}}
    return all_of([match, handler.scope]) if handler.scope else match


def _navbar_clauses(navbar: NavbarFilter) -> dict[str, Clause]:
    clauses: dict[str, Clause] = {}
    if navbar.kinds is not None:
        kinds = sorted(navbar.kinds)
        clauses["navbar:kind"] = {"terms": {"search.kind": kinds}} if kinds else MATCH_NONE
    for index, group in enumerate(navbar.groups):
        clauses[f"navbar:group:{index}"] = {"term": {"search.group_names": group}}
    return clauses


def filter_clauses(
    filters: dict[str, Any], filter_set: FilterSet, navbar: NavbarFilter | None = None
) -> dict[str, Clause]:
    """Active filters by request key (event filters together under ``events``)."""
    clauses: dict[str, Clause] = {}
    configured_keys = filter_set.keys  # a property that builds a set: once, not per key
    for key, values in filters.items():
        if key in BUILTIN_TERM_FIELDS and values:
            clauses[key] = {"terms": {BUILTIN_TERM_FIELDS[key]: list(values)}}
        elif key in configured_keys and values:
            clauses[key] = configured_clause(filter_set, key, list(values))
    event_clause = _event_clause(filters)
    if event_clause:
        clauses["events"] = event_clause
    if navbar:
        clauses.update(_navbar_clauses(navbar))
    return clauses


def bundles_clause(include_bundles: bool) -> Clause | None:
    """``include_bundles: false`` hides products sold as a bundle (``buy_both``)."""
    return None if include_bundles else {"term": {"buy_both": False}}
