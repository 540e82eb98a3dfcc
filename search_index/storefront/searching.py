"""Run the page's search exactly as the API does: its serializer, its request
conversion, its search service and its error mapping. No second code path for results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rest_framework import status
from rest_framework.exceptions import ValidationError

from search_index.api.errors import exception_handler
from search_index.api.request import SearchRequestSerializer
from search_index.api.views import to_search_request
from search_index.search.service import search
from search_index.storefront.state import SearchState


@dataclass(frozen=True)
class SearchOutcome:
    """The API's answer to a state: its JSON on success, else its status and message."""

    status: int
    response: dict[str, Any] | None = None
    message: str = ""
    field_errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == status.HTTP_200_OK and self.response is not None


def run_search(state: SearchState) -> SearchOutcome:
    """``POST /api/search/unified/`` with ``state.api_body()``, in process."""
    try:
        serializer = SearchRequestSerializer(data=state.api_body())
        serializer.is_valid(raise_exception=True)
        response = search(to_search_request(serializer.validated_data))
        return SearchOutcome(status.HTTP_200_OK, response)
    except Exception as exc:
        answer = exception_handler(exc, {})
        if answer is None:  # not an error the API answers: a bug, let it surface
            raise
        return _from_error_body(answer.status_code, answer.data or {}, exc)


def _from_error_body(code: int, body: dict[str, Any], exc: Exception) -> SearchOutcome:
    """Read the API's error body, whichever of its key spellings it uses."""
    errors = body.get("errors") or body.get("details") or {}
    message = body.get("detail") or body.get("error") or "Search failed."
    if isinstance(exc, ValidationError) and not isinstance(errors, dict):
        errors = {"body": [str(errors)]}
    return SearchOutcome(code, message=str(message), field_errors=dict(errors))
