"""One OpenSearch filter clause per request filter key.

Within a key the values are OR-ed (``terms``); the caller AND-s the keys. Event filters
(locations, venues, dates, availability) are one nested clause so that a single event
must satisfy all of them.
"""

from __future__ import annotations

from typing import Any

Clause = dict[str, Any]
EVENTS = "variations.events"

# Request key → indexed field; keyword fields with a folding normalizer match any case.
TERM_FIELDS: dict[str, str] = {
    "subjects": "subject_code.folded",
    "categories": "search.categories",
    "product_types": "search.product_types",
    "products": "product_code.folded",
    "product_ids": "product_id",
    "essp_ids": "store_product_id",
    "modes_of_delivery": "search.modes_of_delivery.folded",
    "exam_sessions": "exam_session_code",
}
EVENT_KEYS = ("locations", "venues", "event_start_from", "event_start_to", "available_only")


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


def all_of(clauses: list[Clause]) -> Clause:
    """The clauses AND-ed (as filters: no scoring); everything when there are none."""
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def filter_clauses(filters: dict[str, Any]) -> dict[str, Clause]:
    """Active filters by request key (event filters together under ``events``)."""
    clauses = {
        key: {"terms": {field: list(filters[key])}}
        for key, field in TERM_FIELDS.items()
        if filters.get(key)
    }
    event_clause = _event_clause(filters)
    if event_clause:
        clauses["events"] = event_clause
    return clauses


def bundles_clause(include_bundles: bool) -> Clause | None:
    """``include_bundles: false`` hides products sold as a bundle (``buy_both``)."""
    return None if include_bundles else {"term": {"buy_both": False}}
