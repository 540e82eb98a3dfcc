"""One query builder for every search of the rows: ``RowSearch``, FacetedSearch-shaped.

opensearch-py's ``helpers.faceted_search.FacetedSearch`` gives a faceted search its
shape: steps ``query()``, ``filter()``, ``aggregate()``, ``highlight()`` and ``sort()``
that ``build_search()`` runs and a subclass overrides, and ``execute()``. ``RowSearch``
keeps that shape and those names, with three differences:

- its steps build plain dicts, not DSL ``Search`` objects, which clone themselves at
  every step: the page of row heads alone took 515 µs through the DSL against 36 µs as
  a dict (2026-11-26, in process);
- ``build_search()`` builds two bodies, sent in one ``_msearch``: the page of row heads
  (text query → post_filter with every active filter → collapse into rows → sort) and
  the counts (each facet under the *other* filters, the rows and the subclass's own
  ``aggregations()`` under all of them). Apart, so that OpenSearch's request cache keeps
  the counts: page 2 or another sort of the same search reuses page 1's;
- the active filters' clauses and the text query are computed once per search, in
  ``__init__``, and shared by every body (and by the rows' store products,
  ``search_index.search.service``).

The unified search and the search box (``search_index.search.service``) and the older
compatibility endpoints (``search_index.search.compat``) are its subclasses. Building
does no I/O, so bodies are unit-tested without a cluster; ``execute()`` sends them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opensearchpy import OpenSearch

from search_index.filter_config import FilterSet
from search_index.row_kinds import MATERIAL
from search_index.search.facets import GROUP_PREFIX, FilterGroups, facet_aggregations
from search_index.search.filters import (
    Clause,
    NavbarFilter,
    all_of,
    bundles_clause,
    filter_clauses,
)
from search_index.search.multi import search_all
from search_index.search.sorting import sort_clause
from search_index.search.text import text_query

ROW_KEY = "search.row_key"
# The row count's aggregation (grouped with the facets counted under every filter).
ROW_COUNT = "row_count"
# Row counts (cardinality, HyperLogLog++) are near-exact below this many distinct rows:
# exact in practice at catalog sizes. 40000 is OpenSearch's maximum.
ROW_COUNT_PRECISION = 40000
# OpenSearch's index.max_result_window: deeper pages are refused by the cluster.
MAX_RESULT_WINDOW = 10000
# A search that counts no configured facet (the search box, the older endpoints).
NO_FACETS = FilterSet(())

# Only material rows hold several store products; a tutorial or marking row is one. So
# the rows are the documents that are not material plus the distinct material rows:
# exact while those stay below ROW_COUNT_PRECISION (about 28,000 of the 63,000 rows at
# 100,000 store products), where one cardinality over every row key was an estimate
# there, and an estimate whose sketch cost 7 ms to read back even from the request cache
# (issue 11). Read back by ``row_count``.
ROW_COUNT_AGGREGATION: dict[str, Any] = {
    "filter": {"term": {"search.kind": MATERIAL}},
    "aggs": {
        "rows": {"cardinality": {"field": ROW_KEY, "precision_threshold": ROW_COUNT_PRECISION}}
    },
}


@dataclass
class SearchRequest:
    query: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    page: int = 1
    page_size: int = 20
    sort: str | None = None
    include_bundles: bool = True
    navbar: NavbarFilter | None = None


class RowSearch:
    """A search of the rows: a page of row heads and the counts, in one ``_msearch``.

    Subclasses choose the facets (``facets``), what a row head carries
    (``head_source``), which filters apply (``filter_clauses``), what else is counted
    (``aggregations``) and the answer (``response``).
    """

    # The configured facets counted; a unified search is given the active ones.
    facets: FilterSet = NO_FACETS
    # A row head's _source: none when the rows are read from their store products.
    head_source: Any = False

    def __init__(self, request: SearchRequest, facets: FilterSet | None = None) -> None:
        self.request = request
        if facets is not None:
            self.facets = facets
        self.text = request.query.strip()
        # Once per search: every body of it (heads, counts, store products) shares them.
        self.clauses = self.filter_clauses()
        self.main_query = self.query()

    # --- the steps, in FacetedSearch's names --------------------------------------------

    def filter_clauses(self) -> dict[str, Clause]:
        """The active filters' clauses by key (``search_index.search.filters``)."""
        return filter_clauses(self.request.filters, self.facets, self.request.navbar)

    def query(self) -> Clause:
        """The text query and the bundle option: what both hits and counts are under."""
        base: list[Clause] = []
        bundles = bundles_clause(self.request.include_bundles)
        if bundles:
            base.append(bundles)
        if not self.text:
            return all_of(base)
        return {"bool": {"must": [text_query(self.text)], "filter": base}}

    def filter(self, body: dict[str, Any]) -> dict[str, Any]:
        """Every active filter on the heads (the counts body applies each where it counts)."""
        if self.clauses:
            body["post_filter"] = all_of(list(self.clauses.values()))
        return body

    def highlight(self, body: dict[str, Any]) -> dict[str, Any]:
        """Nothing is highlighted: the storefront shows whole rows."""
        return body

    def sort(self, body: dict[str, Any]) -> dict[str, Any]:
        body["sort"] = sort_clause(self.request.sort, has_query=bool(self.text))
        return body

    def aggregate(self, body: dict[str, Any]) -> dict[str, Any]:
        """Each facet under the other filters; the rows and ``aggregations()`` under all."""
        groups = self.facet_groups()
        every_filter = list(self.clauses.values())
        groups.add(every_filter, ROW_COUNT, ROW_COUNT_AGGREGATION)
        for name, aggregation in self.aggregations().items():
            groups.add(every_filter, name, aggregation)
        body["aggs"] = groups.aggregations()
        return body

    def facet_groups(self) -> FilterGroups:
        """The facets counted, each under the other filters (none: ``FilterGroups()``)."""
        return facet_aggregations(self.clauses, self.facets, self.request.filters)

    def aggregations(self) -> dict[str, Any]:
        """What a subclass counts besides the facets (``counted_under_every_filter``)."""
        return {}

    # --- the bodies ---------------------------------------------------------------------

    def heads_body(self) -> dict[str, Any]:
        """The page of row heads: one hit per row, in order, and no counts.

        No aggregation and no hit total, so this request does only the collapse and the
        sort; no ``_source`` unless ``head_source`` asks for one.
        """
        request = self.request
        body: dict[str, Any] = {
            "query": self.main_query,
            "from": (request.page - 1) * request.page_size,
            "size": request.page_size,
            # One hit per row; a row's store products come in one more request rather
            # than collapse's inner_hits (a search per row: measured 9 of 23 ms).
            "collapse": {"field": ROW_KEY},
            "_source": self.head_source,
            "track_total_hits": False,
        }
        return self.sort(self.highlight(self.filter(body)))

    def counts_body(self) -> dict[str, Any]:
        """The facet counts, the row count and ``aggregations()``: nothing else (``size: 0``)."""
        return self.aggregate({"size": 0, "track_total_hits": False, "query": self.main_query})

    def build_search(self) -> list[dict[str, Any]]:
        """The bodies ``execute`` sends together: the row heads, then the counts."""
        return [self.heads_body(), self.counts_body()]

    def execute(self, client: OpenSearch) -> dict[str, Any]:
        """Run the search (one round trip) and answer it (``response``)."""
        heads, counts = search_all(client, self.build_search())
        return self.response(heads["hits"]["hits"], counts["aggregations"], client)

    def response(
        self, row_hits: list[dict[str, Any]], aggregations: dict[str, Any], client: OpenSearch
    ) -> dict[str, Any]:
        """The endpoint's answer from the row heads and the counts."""
        raise NotImplementedError


def counted_under_every_filter(aggregations: dict[str, Any]) -> dict[str, Any]:
    """The answers of the aggregations counted under every filter: the row count and a
    subclass's ``aggregations()``, from a counts body's answer."""
    for name, group in aggregations.items():
        if name.startswith(GROUP_PREFIX) and ROW_COUNT in group:
            return group
    raise KeyError(ROW_COUNT)


def row_count(aggregations: dict[str, Any]) -> int:
    """The number of rows that match, from a counts body's answer."""
    group = counted_under_every_filter(aggregations)
    material = group[ROW_COUNT]
    return int(group["doc_count"] - material["doc_count"] + material["rows"]["value"])
