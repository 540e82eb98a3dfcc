"""The unified search and the search box: ``RowSearch`` whose rows are store products.

Answered from the index alias alone; no database is touched.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch

from search_index.client import get_search_client
from search_index.filter_config import active_filters
from search_index.search.facets import FilterGroups, facet_counts
from search_index.search.json_rows import heads_and_counts, json_rows
from search_index.search.multi import search_all, search_one
from search_index.search.query import ROW_KEY, RowSearch, SearchRequest, row_count
from search_index.search.rows import pagination, row_key_of, rows_from_hits, single_rows
from search_index.search.stored_source import stored_extras
from search_index.search.suggestions import SUGGESTION_AGGREGATIONS, suggestions

# Store products of one row (Printed, eBook, …): far fewer than this in any real catalog.
MAX_VARIATIONS_PER_ROW = 50


def _source_without(fields: tuple[str, ...]) -> Any:
    """A ``_source`` request leaving ``fields`` out; as stored (no filter to parse) when
    that is nothing."""
    return {"excludes": list(fields)} if fields else True


class UnifiedSearch(RowSearch):
    """A page of rows with all their matching store products, the facets, pagination.

    Three requests in two round trips: the row heads and the counts together, then the
    store products of the page's material rows. A tutorial or marking row is one store
    product: its head, sent with its ``_source``, is the row, so a page of those needs
    no second round trip (issue 11: "tutorial london" 8.4 → 5.2 ms in OpenSearch).
    """

    # Fields (dotted paths of the row) the rows' store products are sent without.
    leave_out: tuple[str, ...] = ()
    # Rows as OpenSearch's JSON, for a renderer (the API), rather than dicts to read.
    rows_as_json = False

    @property
    def head_source(self) -> Any:  # type: ignore[override]
        """A head's ``_source``: the row, when the row is that one store product."""
        return _source_without(self.leave_out)

    def execute(self, client: OpenSearch) -> dict[str, Any]:
        """As ``RowSearch.execute``; with ``rows_as_json`` the heads' ``_source`` is kept
        as OpenSearch sent it (``search_index.search.json_rows``)."""
        if not self.rows_as_json:
            return super().execute(client)
        heads, aggregations = heads_and_counts(search_all(client, self.build_search(), False))
        return self.response(heads, aggregations, client)

    def variations_body(
        self, row_keys: list[str], stored_extras: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """The matching store products of the given rows, in store-product order, without
        ``leave_out`` and what the index stores beyond the row (``stored_extras``,
        ``search_index.search.stored_source``); as stored when that is nothing."""
        return {
            "query": {
                "bool": {
                    "must": [self.main_query],
                    "filter": [*self.clauses.values(), {"terms": {ROW_KEY: row_keys}}],
                }
            },
            "sort": [{"store_product_id": "asc"}],
            "size": len(row_keys) * MAX_VARIATIONS_PER_ROW,
            "docvalue_fields": [ROW_KEY],
            "_source": _source_without((*stored_extras, *self.leave_out)),
            "track_total_hits": False,
        }

    def rows(self, row_hits: list[dict[str, Any]], client: OpenSearch) -> list[Any]:
        """The rows headed by ``row_hits``, with their store products (one more request,
        for the material rows): dicts, or JSON fragments with ``rows_as_json``
        (``search_index.search.json_rows``)."""
        if not row_hits:
            return []
        extras = stored_extras(client, row_hits[0]["_index"])
        # The heads' sources are rows only where the index stores nothing a row leaves out.
        single = {} if extras else single_rows(row_hits)
        others = [key for key in map(row_key_of, row_hits) if key not in single]
        body = self.variations_body(others, extras) if others else None
        if self.rows_as_json:
            answer = search_one(client, body, decode=False) if body else None
            return json_rows(row_hits, answer, single)
        member_hits = search_one(client, body)["hits"]["hits"] if body else []
        return rows_from_hits(row_hits, member_hits, single)

    def response(
        self, row_hits: list[dict[str, Any]], aggregations: dict[str, Any], client: OpenSearch
    ) -> dict[str, Any]:
        request = self.request
        return {
            "products": self.rows(row_hits, client),
            "filter_counts": facet_counts(aggregations, self.facets),
            "pagination": pagination(request.page, request.page_size, row_count(aggregations)),
        }


class SearchBox(UnifiedSearch):
    """The storefront's search box: the best rows for a query and what else it matches.

    The unified search's query without facets (none are shown there), counting the
    suggestions instead.
    """

    # No event sessions: the box shows a few rows and the total, and a page of 50
    # tutorial rows with every session day is several hundred kilobytes (measured: "live
    # online", 276 KB, 18 ms p50 in process, against 3-14 ms for the other queries).
    leave_out = ("variations.events.sessions",)

    def aggregations(self) -> dict[str, Any]:
        return SUGGESTION_AGGREGATIONS

    def response(
        self, row_hits: list[dict[str, Any]], aggregations: dict[str, Any], client: OpenSearch
    ) -> dict[str, Any]:
        rows = self.rows(row_hits, client)
        return {"suggested_products": rows, **suggestions(self.text, aggregations)}


class RowTotal(UnifiedSearch):
    """How many rows a unified search finds, and nothing else: its counts request with
    the row count alone (no page of rows, no facets), one ``size: 0`` request."""

    def facet_groups(self) -> FilterGroups:
        return FilterGroups()

    def total(self, client: OpenSearch) -> int:
        return row_count(search_one(client, self.counts_body())["aggregations"])


def search(
    request: SearchRequest, client: OpenSearch | None = None, rows_as_json: bool = False
) -> dict[str, Any]:
    """The unified search: a page of rows, the configured facets' counts, pagination."""
    search = UnifiedSearch(request, active_filters())
    search.rows_as_json = rows_as_json
    return search.execute(client or get_search_client())


def row_total(request: SearchRequest, client: OpenSearch | None = None) -> int:
    """The unified search's ``pagination.total_count`` for ``request``, at the cost of a
    count: for the offers of an empty page ("did you mean", "without filters")."""
    return RowTotal(request, active_filters()).total(client or get_search_client())


def search_box(
    query: str, limit: int, client: OpenSearch | None = None, rows_as_json: bool = False
) -> dict[str, Any]:
    """The storefront's search box: the best rows for ``query`` and what else it matches."""
    search = SearchBox(SearchRequest(query=query, page_size=limit))
    search.rows_as_json = rows_as_json
    return search.execute(client or get_search_client())


def empty_search_box(query: str) -> dict[str, Any]:
    """What the search box gets for a query too short to search: nothing, and no request."""
    return {"suggested_products": [], **suggestions(query, None)}
