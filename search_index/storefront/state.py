"""The page's whole state lives in its URL: ``?q=cm2&subjects=CM2&sort=price_asc&page=2``.

Every parameter other than ``q``, ``sort`` and ``page`` is a filter key with its values,
so a newly configured facet needs no change here. The state becomes the unified search
API's JSON body, and the API's own serializer judges it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

QUERY, SORT, PAGE = "q", "sort", "page"
RESERVED = frozenset({QUERY, SORT, PAGE})
PAGE_SIZE = 20

Filters = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class SearchState:
    query: str = ""
    filters: Filters = ()
    sort: str = ""
    # As written in the URL: the API's serializer names a bad page, not this parser.
    page: str = "1"
    _index: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update(self.filters)

    @classmethod
    def from_query(cls, params: QueryDict) -> SearchState:
        filters: dict[str, list[str]] = {}
        for key in params:
            if key in RESERVED:
                continue
            values = [value for value in params.getlist(key) if value != ""]
            if values:
                filters[key] = list(dict.fromkeys(values))  # duplicates once, order kept
        return cls(
            query=params.get(QUERY, "").strip(),
            filters=tuple((key, tuple(values)) for key, values in filters.items()),
            sort=params.get(SORT, ""),
            page=params.get(PAGE, "") or "1",
        )

    def values(self, key: str) -> tuple[str, ...]:
        return self._index.get(key, ())

    @property
    def has_filters(self) -> bool:
        return bool(self.filters)

    def api_body(self) -> dict[str, Any]:
        """The unified search request (``POST /api/search/unified/``) for this state."""
        page: Any = int(self.page) if self.page.isascii() and self.page.isdigit() else self.page
        options: dict[str, Any] = {"sort": self.sort} if self.sort else {}
        return {
            "searchQuery": self.query,
            "filters": {key: list(values) for key, values in self.filters},
            "pagination": {"page": page, "page_size": PAGE_SIZE},
            "options": options,
        }

    # New states: every change of query or filters starts again at page 1.

    def _with_filters(self, filters: dict[str, tuple[str, ...]]) -> SearchState:
        kept = tuple((key, values) for key, values in filters.items() if values)
        return replace(self, filters=kept, page="1", _index={})

    def without_value(self, key: str, value: str) -> SearchState:
        filters = dict(self.filters)
        filters[key] = tuple(v for v in filters.get(key, ()) if v != value)
        return self._with_filters(filters)

    def with_value(self, key: str, value: str) -> SearchState:
        filters = dict(self.filters)
        filters[key] = (*filters.get(key, ()), value)
        return self._with_filters(filters)

    def without_filters(self) -> SearchState:
        return self._with_filters({})

    def with_query(self, query: str) -> SearchState:
        return replace(self, query=query, page="1", _index={})

    def at_page(self, page: int) -> SearchState:
        return replace(self, page=str(page), _index={})

    def url(self) -> str:
        """This state as the page's URL, parameters in a stable order."""
        params: list[tuple[str, str]] = []
        if self.query:
            params.append((QUERY, self.query))
        params.extend((key, value) for key, values in self.filters for value in values)
        if self.sort:
            params.append((SORT, self.sort))
        if self.page != "1":
            params.append((PAGE, self.page))
        page_url = reverse("storefront")
        return f"{page_url}?{urlencode(params)}" if params else page_url
