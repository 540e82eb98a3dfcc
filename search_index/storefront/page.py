"""Everything the templates show for one state: the search's outcome, put in page terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from search_index.search.sorting import SORTS
from search_index.search.spelling import respelled
from search_index.storefront.cards import Card, card
from search_index.storefront.facets import Chip, FacetGroup, Labels, active_chips, facet_groups
from search_index.storefront.searching import SearchOutcome, count_rows, run_search
from search_index.storefront.state import SearchState

SORT_LABELS = {
    "relevance": "Best match",
    "subject": "Subject",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "earliest_event": "Earliest tutorial date",
}
PAGE_WINDOW = 2  # page links either side of the current one


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True)
class Pager:
    previous_url: str | None
    next_url: str | None
    links: tuple[PageLink | None, ...]  # None: a gap ("…")


@dataclass(frozen=True)
class Alternative:
    """An empty search's way out: the same query without its filters, if that finds rows."""

    count: int
    url: str


@dataclass(frozen=True)
class Respelling:
    """An empty search's "did you mean": the query respelled from the index's words."""

    query: str
    count: int
    url: str


@dataclass
class SearchPage:
    state: SearchState
    outcome: SearchOutcome
    cards: list[Card] = field(default_factory=list)
    groups: list[FacetGroup] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)
    total: int = 0
    pager: Pager | None = None
    alternative: Alternative | None = None
    respelling: Respelling | None = None

    @property
    def status_text(self) -> str:
        if not self.outcome.ok:
            return self.outcome.message
        noun = "result" if self.total == 1 else "results"
        found = f"{self.total:,} {noun}"
        return f"{found} for “{self.state.query}”" if self.state.query else found

    @property
    def title(self) -> str:
        return f"“{self.state.query}” - Search" if self.state.query else "Search"

    @property
    def sort_options(self) -> list[tuple[str, str, bool]]:
        current = self.state.sort
        return [(key, SORT_LABELS.get(key, key), key == current) for key in SORTS]


def _pager(state: SearchState, pagination: dict[str, Any]) -> Pager | None:
    total_pages, page = int(pagination.get("total_pages") or 0), int(pagination["page"])
    if total_pages <= 1:
        return None
    wanted = {1, total_pages, *range(page - PAGE_WINDOW, page + PAGE_WINDOW + 1)}
    numbers = sorted(n for n in wanted if 1 <= n <= total_pages)
    links: list[PageLink | None] = []
    for index, number in enumerate(numbers):
        if index and number - numbers[index - 1] > 1:
            links.append(None)
        links.append(PageLink(number, state.at_page(number).url(), number == page))
    return Pager(
        previous_url=state.at_page(page - 1).url() if page > 1 else None,
        next_url=state.at_page(page + 1).url() if page < total_pages else None,
        links=tuple(links),
    )


def _alternative(state: SearchState) -> Alternative | None:
    if not (state.has_filters and state.query):
        return None
    wider = state.without_filters()
    count = count_rows(wider)
    return Alternative(count, wider.url()) if count else None


def _respelling(state: SearchState) -> Respelling | None:
    """Offered only when the respelled query, with the same filters, finds something."""
    query = respelled(state.query) if state.query else None
    if query is None:
        return None
    corrected = state.with_query(query)
    count = count_rows(corrected)
    return Respelling(query, count, corrected.url()) if count else None


def build_page(state: SearchState, labels: Labels) -> SearchPage:
    outcome = run_search(state)
    page = SearchPage(state, outcome)
    if not outcome.ok or outcome.response is None:
        return page
    response = outcome.response
    page.cards = [card(row) for row in response.get("products", [])]
    page.groups = facet_groups(response.get("filter_counts", {}), state, labels)
    page.chips = active_chips(state, page.groups, labels)
    page.total = int(response["pagination"]["total_count"])
    page.pager = _pager(state, response["pagination"])
    if not page.total:
        page.respelling = _respelling(state)
        page.alternative = _alternative(state)
    return page
