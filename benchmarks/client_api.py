"""The storefront client's endpoints, in process: configured facets' cost and the search box.

``facets``: the unified-search mix of ``benchmarks.measure`` run twice per round, once
with only the five facets the search had hard-coded before filters became data
(subjects, categories, product_types, products, modes_of_delivery) and once with the
seeded configuration (which adds subject type, tutorial location and format), alternating
so that both see the same machine. ``search-box``: ``GET /api/catalog/search/`` over the
queries a shopper types.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from search_index.filter_config import FilterSet, active_filters

# The facets of the search before they were configured: the "before" of this comparison.
HARD_CODED_FACETS = ("subjects", "categories", "product_types", "products", "modes_of_delivery")
ROUNDS = 25
SEARCH_BOX_QUERIES = [
    "cm2", "cm2 londn", "ebook", "core study", "tutorial london", "CS1/PCSM01/2025-09",
    "cm2-55-25s", "revision", "live online", "sp9",
]  # fmt: skip
# Where a search reads the configuration: replaced together to choose the facet set.
_READERS = (
    "search_index.search.service.active_filters",
    "search_index.api.unified.active_filters",
)


def percentiles(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "p50_ms": 1000 * ordered[len(ordered) // 2],
        "p95_ms": 1000 * ordered[int(len(ordered) * 0.95)],
        "max_ms": 1000 * ordered[-1],
    }


@contextmanager
def facets(filter_set: FilterSet) -> Iterator[None]:
    with mock.patch(_READERS[0], lambda: filter_set), mock.patch(_READERS[1], lambda: filter_set):
        yield


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.content[:300]
    return elapsed


def configured_facets_cost() -> dict[str, Any]:
    from django.test import Client

    from benchmarks.search_mix import SEARCHES

    client = Client(SERVER_NAME="localhost")
    configured = active_filters()
    hard_coded = FilterSet(tuple(f for f in configured.filters if f.key in HARD_CODED_FACETS))
    timings: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(ROUNDS):
        for body in SEARCHES:
            for label, filter_set in (("before", hard_coded), ("after", configured)):
                with facets(filter_set):
                    timings[label].append(
                        _timed(
                            lambda body=body: client.post(
                                "/api/search/unified/", body, content_type="application/json"
                            )
                        )
                    )
    before, after = percentiles(timings["before"]), percentiles(timings["after"])
    return {
        "documents": len(timings["after"]),
        "facets_before": len(hard_coded.filters),
        "facets_after": len(configured.filters),
        "before": before,
        "after": after,
        "p50_ratio": after["p50_ms"] / before["p50_ms"],
    }


def search_box_latency() -> dict[str, Any]:
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    for query in SEARCH_BOX_QUERIES:  # warm: the first request of a process pays imports
        client.get("/api/catalog/search/", {"q": query, "limit": 50})
    timings = [
        _timed(lambda query=query: client.get("/api/catalog/search/", {"q": query, "limit": 50}))
        for _ in range(ROUNDS)
        for query in SEARCH_BOX_QUERIES
    ]
    return {"documents": len(timings), "kinds": len(SEARCH_BOX_QUERIES), **percentiles(timings)}
