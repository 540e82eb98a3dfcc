"""``/``: the whole page on first load, just the changing parts when the script asks."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from catalog.filtering import FilterType
from search_index.filter_config import active_filters
from search_index.storefront.facets import configured_labels
from search_index.storefront.page import build_page
from search_index.storefront.state import SearchState

# Sent by storefront.js: answer with the facets and results only, same view, same search.
FRAGMENT_HEADER = "X-Storefront-Fragment"


def _suggestion_keys() -> dict[str, str]:
    """Which filter keys the search box's suggestions set (subjects, locations)."""
    filters = active_filters()
    keys = {}
    for name, filter_type in (
        ("subject", FilterType.SUBJECT),
        ("location", FilterType.TUTORIAL_LOCATION),
    ):
        configured = filters.first_of_type(filter_type)
        if configured:
            keys[name] = configured.key
    return keys


@require_GET
def storefront(request: HttpRequest) -> HttpResponse:
    state = SearchState.from_query(request.GET)
    page = build_page(state, configured_labels())
    fragment = request.headers.get(FRAGMENT_HEADER) == "1"
    template = "storefront/fragment.html" if fragment else "storefront/page.html"
    context = {"page": page, "state": state}
    if not fragment:
        context["suggestion_keys"] = _suggestion_keys()
    response = render(request, template, context, status=page.outcome.status, using="jinja2")
    if page.outcome.retry_after:
        response["Retry-After"] = page.outcome.retry_after
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return response
