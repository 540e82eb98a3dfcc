"""API errors as JSON that names the problem, never a traceback."""

from __future__ import annotations

import logging
import math
from typing import Any

from django.conf import settings
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import NotFoundError, RequestError, SerializationError, TransportError
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.breaker import CircuitOpenError

logger = logging.getLogger(__name__)


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """``{"filters": {"subjects": [...]}}`` → ``{"filters.subjects": [...]}``."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(key, int):  # a list item: filters.product_ids[0]
                path = f"{prefix}[{key}]"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, path))
        return flat
    if isinstance(detail, list) and detail and all(isinstance(d, (dict, list)) for d in detail):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}[{index}]"))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "body": [str(message) for message in messages]}


def failure(message: str) -> dict[str, Any]:
    """An error body: ``error`` is what the storefront shows, ``detail`` what we sent before."""
    return {"error": message, "details": {}, "detail": message}


def _unavailable(retry_after_s: float) -> Response:
    """503 with ``Retry-After``: when the circuit breaker will let a search try again."""
    return Response(
        failure("Search is temporarily unavailable."),
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(max(1, math.ceil(retry_after_s)))},
    )


def invalid_request(errors: dict[str, list[str]]) -> Response:
    """A 400 in both shapes clients read: the storefront's (``error``, ``details``), whose
    UI shows ``error``, and this API's own (``detail``, ``errors``)."""
    return Response(
        {
            "error": "Invalid request format",
            "details": errors,
            "detail": "Invalid request.",
            "errors": errors,
        },
        status=status.HTTP_400_BAD_REQUEST,
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ValidationError):
        return invalid_request(_flatten(exc.detail))
    if isinstance(exc, ParseError):
        return invalid_request({"body": [str(exc.detail)]})
    if isinstance(exc, NotFoundError):
        logger.error("search index missing: %s", exc)
        return Response(
            failure("The search index has not been built yet."),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    if isinstance(exc, (RequestError, SerializationError)):
        # The cluster refused our query (HTTP 400), or it could not be encoded: a bug on
        # our side that retrying will not fix, so not "temporarily unavailable".
        logger.error("search request rejected: %s", exc, exc_info=exc)
        return Response(failure("Search failed."), status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, CircuitOpenError):
        # Logged once when the circuit opened, not again for every refused search.
        return _unavailable(exc.retry_after_s)
    if isinstance(exc, (OpenSearchConnectionError, TransportError)):
        logger.error("search unavailable: %s", exc)
        return _unavailable(settings.SEARCH_BUDGET["BREAKER_RESET_S"])
    return drf_exception_handler(exc, context)
