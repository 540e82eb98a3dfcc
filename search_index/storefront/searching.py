"""Run the page's search exactly as the API does: its ``unified_search`` (serializer,
request conversion, search service) and its error mapping. No second path for results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rest_framework import status
from rest_framework.response import Response

from search_index.api.errors import exception_handler
from search_index.api.unified import unified_search, unified_total
from search_index.filter_config import active_filters
from search_index.storefront.state import SearchState

# The storefront navbar's parameters (``search_index.api.navbar``): in the page's URL they
# sit beside the filters, and go to the API as query parameters unless a configured filter
# has the same key (``tutorial_format``), which then wins.
NAVBAR_PARAMS = frozenset(
    {"distance_learning", "group", "tutorial_format", "product", "tutorial", "variation"}
)


@dataclass(frozen=True)
class SearchOutcome:
    """The API's answer to a state: its JSON on success, else its status and message."""

    status: int
    response: dict[str, Any] | None = None
    message: str = ""
    field_errors: dict[str, list[str]] = field(default_factory=dict)
    retry_after: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == status.HTTP_200_OK and self.response is not None


def api_call(state: SearchState) -> tuple[dict[str, Any], dict[str, str]]:
    """The unified search's JSON body and navbar query parameters for this state."""
    body = state.api_body()
    navbar = NAVBAR_PARAMS - active_filters().keys
    params = {key: body["filters"].pop(key)[0] for key in navbar if key in body["filters"]}
    return body, params


def run_search(state: SearchState) -> SearchOutcome:
    """``POST /api/search/unified/`` for ``state``, in process."""
    body, params = api_call(state)
    try:
        return SearchOutcome(status.HTTP_200_OK, unified_search(body, params))
    except Exception as exc:
        answer = _api_answer(exc)
        return _from_error_body(answer.status_code, answer.data or {}, answer.get("Retry-After"))


def count_rows(state: SearchState) -> int:
    """How many rows ``state`` finds, at the cost of a count (``unified_total``); 0 when
    the API would answer it with an error: an offer is then not made."""
    body, params = api_call(state)
    try:
        return unified_total(body, params)
    except Exception as exc:
        _api_answer(exc)
        return 0


def _api_answer(exc: Exception) -> Response:
    """The API's error answer to ``exc``; ``exc`` itself when the API does not answer it
    (a bug: let it surface)."""
    answer = exception_handler(exc, {})
    if answer is None:
        raise exc
    return answer


def _from_error_body(code: int, body: dict[str, Any], retry_after: str | None) -> SearchOutcome:
    """Read the API's error body, whichever of its key spellings it carries."""
    errors = body.get("errors") or body.get("details") or {}
    message = body.get("detail") or body.get("error") or "Search failed."
    if not isinstance(errors, dict):
        errors = {"body": [str(errors)]}
    return SearchOutcome(code, message=str(message), field_errors=errors, retry_after=retry_after)
